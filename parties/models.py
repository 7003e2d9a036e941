"""Countries with dated memberships, exporter organisations and the people who use the register."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import in_language
from core.roles import STAFF_ROLES, Role

# The home state: the Netherlands, whose licensing authority runs the register (../shared/domain/README.md
# "Who is who"). Its treaty membership is a dated row like any other (parties/memberships.py).
HOME_STATE = "NL"

# Staff SSO may give these roles; never the exporter's (companies sign in through eHerkenning).
STAFF_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in STAFF_ROLES]


class Bloc(models.TextChoices):
    EU = "EU", _("European Union")
    NATO = "NATO", _("NATO")
    TREATY = "TREATY", _("Treaty on export controls in the field of defence")


class MembershipBasis(models.TextChoices):
    ACCESSION = "accession", _("Accession")
    FOUNDING = "founding", _("Founding member")
    PROVISIONAL = "provisional", _("Provisional application from signature")
    ENTRY_INTO_FORCE = "in_force", _("Entry into force")
    HYPOTHETICAL = "hypothetical", _("Hypothetical (demo only)")


class Country(models.Model):
    iso2 = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return f"{self.name} ({self.iso2})"

    @property
    def name(self) -> str:
        """The country's name in the reader's language."""
        return in_language(en=self.name_en, nl=self.name_nl)


class Membership(models.Model):
    """A country's membership of a bloc over a closed date interval [since, until]; until is the last day."""

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="memberships"
    )
    bloc = models.CharField(_("bloc"), max_length=8, choices=Bloc.choices)
    since = models.DateField(_("member from"))
    until = models.DateField(_("member until (last day)"), null=True, blank=True)
    basis = models.CharField(
        _("basis"), max_length=16, choices=MembershipBasis.choices, default=MembershipBasis.ACCESSION
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force on"), null=True, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=200, blank=True, help_text=_("Unconfirmed dates stay marked.")
    )
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["country_id", "bloc", "since"]
        indexes = [models.Index(fields=["bloc", "since", "until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
            ),
            models.UniqueConstraint(fields=["country", "bloc", "since"], name="membership_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.bloc} {self.since}–{self.until or ''}"


class Embargo(models.Model):
    """An EU (or UN/OSCE) arms embargo with its legal act, scope and dates (data/reference/embargoes.csv)."""

    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="embargoes", null=True, blank=True
    )
    target = models.CharField(_("target"), max_length=200)
    scope = models.TextField(_("scope"))
    un_basis = models.CharField(_("UN basis"), max_length=300, blank=True)
    legal_act = models.CharField(_("legal act"), max_length=400)
    since = models.DateField(_("since"), null=True, blank=True)
    since_text = models.CharField(
        _("start as published"), max_length=100, blank=True, help_text=_("The date as the source gives it.")
    )
    until = models.DateField(_("until"), null=True, blank=True)
    partial = models.BooleanField(_("partial"), default=False, help_text=_("Only some end users are embargoed."))
    needs_verification = models.BooleanField(_("needs verification"), default=False)
    confidence = models.CharField(_("confidence"), max_length=200, blank=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("embargo")
        verbose_name_plural = _("embargoes")
        ordering = ["target"]
        indexes = [models.Index(fields=["country", "since", "until"])]

    def __str__(self) -> str:
        return f"{self.target}: {self.legal_act}"


kvk_validator = RegexValidator(r"^\d{8}$", _("A KvK (Chamber of Commerce) number has exactly 8 digits."))


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Organisation(models.Model):
    """An exporting company registered with the licensing authority."""

    name = models.CharField(_("company name"), max_length=200)
    kvk_number = models.CharField(_("KvK number"), max_length=8, unique=True, validators=[kvk_validator])
    address = models.TextField(_("address"))
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, default=HOME_STATE)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OrganisationStatus.choices, default=OrganisationStatus.PENDING
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == OrganisationStatus.APPROVED


class User(AbstractUser):
    """A person using the register. Exporters belong to exactly one organisation; staff to none."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    is_org_admin = models.BooleanField(_("organisation administrator"), default=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_org_admin=False) | Q(organisation__isnull=False),
                name="org_admin_needs_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.username


# --- Signing in through the government's identity providers (issue 18) ------------------------------------


class IdentityProvider(models.TextChoices):
    EHERKENNING = "eherkenning", _("eHerkenning")
    STAFF_SSO = "staff_sso", _("Staff single sign-on")


class ExternalIdentity(models.Model):
    """Who a person is at an identity provider: the eHerkenning pseudonym (ActingSubjectID) of someone acting
    for a company, or the `sub` of a civil servant at the ministry's OpenID Connect provider. The register
    never uses the e-mail address to find the account: a pseudonym or subject is the only key."""

    provider = models.CharField(_("identity provider"), max_length=20, choices=IdentityProvider.choices)
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique")]
        verbose_name_plural = _("external identities")

    def __str__(self) -> str:
        return f"{self.get_provider_display()}: {self.user}"


class StaffRoleMapping(models.Model):
    """One value of the staff SSO's role claim (a group name or id) and the register role it gives. The
    administrator maintains these in the admin; every change is audited (parties.services)."""

    claim_value = models.CharField(_("claim value"), max_length=255)
    role = models.CharField(_("role"), max_length=40, choices=STAFF_ROLE_CHOICES)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff role mapping")
        verbose_name_plural = _("staff role mappings")
        ordering = ["claim_value", "role"]
        constraints = [models.UniqueConstraint(fields=["claim_value", "role"], name="staff_role_mapping_unique")]
        indexes = [models.Index(fields=["is_active", "claim_value"])]

    def __str__(self) -> str:
        return f"{self.claim_value} → {self.role}"


class SignInPolicy(models.Model):
    """How people may sign in, switched by the administrator (one row). Exporters' passwords stay as a
    fallback next to eHerkenning until the administrator switches them off."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    exporter_passwords_enabled = models.BooleanField(
        _("exporters may sign in with a password"),
        default=True,
        help_text=_("Switch off once every company signs in with eHerkenning."),
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="sign_in_policy_single_row")]
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policy")

    def __str__(self) -> str:
        return str(_("Sign-in policy"))


class RoleGrantStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a second administrator")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class RoleGrant(models.Model):
    """A request to give someone a role that needs a second administrator (four eyes): officer, senior officer,
    administrator. Case data: who asked, for whom, why, and who approved or refused it."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants", verbose_name=_("for"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    reason = models.TextField(_("reason"))
    # None: the register itself (a company's registration, or the seeded accounts of a new register).
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=RoleGrantStatus.choices, default=RoleGrantStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            # Four eyes in the schema too: the requester never decides their own request.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="role_grant_decided_by_another_administrator",
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(status="pending"), name="role_grant_one_pending_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} → {self.user}"
