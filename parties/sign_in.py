"""Signing in through the government's identity providers (issue 18): who a verified identity is in the register.

The protocols live in parties/saml.py (eHerkenning, SAML 2.0 through a broker) and parties/oidc.py (staff, OpenID
Connect). They verify the signature and hand this module what the provider asserted; this module decides, and
every refusal is a `SignInRefused` with a message the person can act on.

- **eHerkenning.** The broker asserts the company (its KvK number, `LegalSubjectID`), a pseudonym of the person
  acting for it (`ActingSubjectID`, stable per person and service) and the assurance level of the means used.
  Source: Afsprakenstelsel Elektronische Toegangsdiensten (eTD), Interface specifications DV-HM, §3 (attributes)
  and the "Betrouwbaarheidsniveaus" document (levels EH1 … EH4; the Forum Standaardisatie advises EH3 for
  services that handle confidential company data, such as export-control licensing).
- **Staff SSO.** The ministry's provider asserts `sub`, a role claim (groups) that the administrator maps to the
  register's roles (StaffRoleMapping), and how the person authenticated (`acr`, `amr`: OpenID Connect Core 1.0
  §2, values per RFC 8176). A provider that attests multi-factor authentication satisfies the staff MFA rule
  (core/mfa.py); otherwise the register's own TOTP step applies as for a password login.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Verb
from audit.services import record
from core.roles import Role

from .models import (
    ExternalIdentity,
    IdentityProvider,
    Organisation,
    OrganisationStatus,
    SignInPolicy,
    StaffRoleMapping,
    User,
)

# eHerkenning assurance levels, lowest first (eTD "Betrouwbaarheidsniveaus"; EH2+ sits between EH2 and EH3).
EHERKENNING_LEVELS = (
    "urn:etoegang:core:assurance-class:loa1",
    "urn:etoegang:core:assurance-class:loa2",
    "urn:etoegang:core:assurance-class:loa2plus",
    "urn:etoegang:core:assurance-class:loa3",
    "urn:etoegang:core:assurance-class:loa4",
)
EHERKENNING_DEFAULT_LEVEL = "urn:etoegang:core:assurance-class:loa3"

ERR_NO_KVK = _("Your eHerkenning means did not tell us which company you act for. Please try again.")
ERR_NO_PSEUDONYM = _("Your eHerkenning means did not identify you. Please try again.")
ERR_LEVEL_TOO_LOW = _(
    "This service needs eHerkenning at assurance level %(required)s or higher; you signed in at %(given)s. "
    "Ask your company's eHerkenning administrator for a means at the right level."
)
ERR_ORGANISATION_UNKNOWN = _(
    "No company with KvK number %(kvk)s is registered with the export licence register. Register your company "
    "first, then sign in with eHerkenning."
)
ERR_ORGANISATION_REJECTED = _("The registration of the company with KvK number %(kvk)s was rejected.")
ERR_KVK_MISMATCH = _(
    "You signed in for the company with KvK number %(kvk)s, but your account in the register belongs to another "
    "company. Sign in with an eHerkenning authorisation for your own company, or ask the authority for help."
)
ERR_ACCOUNT_INACTIVE = _("Your account in the register has been switched off. Ask the authority for help.")
ERR_NO_SUBJECT = _("The sign-in service did not identify you. Please try again.")
ERR_NO_ROLE = _(
    "Your account at the ministry's sign-in service gives you no role in the export licence register. Ask the "
    "register's administrator to grant you one."
)
ERR_PASSWORDS_OFF = _(
    "Companies sign in with eHerkenning. Use the button “Sign in with eHerkenning” on the log-in page."
)
ERR_NOT_STAFF = _("This account belongs to a company; companies sign in with eHerkenning.")

# RFC 8176 `amr` values that mean more than one factor was used ("mfa") or a factor that is itself two
# (a hardware key with PIN, "hwk" + "pin" counts through "mfa" at most providers).
MULTI_FACTOR_AMR = frozenset({"mfa"})


class SignInRefused(Exception):
    """The identity is genuine, but it may not sign in here; the message says why, for the person."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


# --- Rules (pure) -------------------------------------------------------------------------------------------


def assurance_level_meets(given: str, required: str) -> bool:
    """Whether the level the broker asserted is at least the level this service requires. An unknown level
    never does."""
    if given not in EHERKENNING_LEVELS or required not in EHERKENNING_LEVELS:
        return False
    return EHERKENNING_LEVELS.index(given) >= EHERKENNING_LEVELS.index(required)


def level_label(level: str) -> str:
    """urn:etoegang:core:assurance-class:loa2plus → EH2+ (as eHerkenning names levels to people)."""
    tail = level.rsplit(":", 1)[-1]
    if tail.startswith("loa"):
        return "EH" + tail[3:].replace("plus", "+")
    return tail or "?"


def claim_values(value: Any) -> list[str]:
    """A claim as a list of strings: providers send groups as a list, or one string (space-separated)."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]


def multi_factor_attested(claims: dict[str, Any]) -> bool:
    """Whether the provider says this sign-in used more than one factor: `amr` contains "mfa", or `acr` is one
    the administrator listed in REGISTER_STAFF_SSO_MFA_ACR_VALUES (e.g. an eIDAS level "substantial")."""
    if MULTI_FACTOR_AMR & set(claim_values(claims.get("amr"))):
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in set(settings.REGISTER_STAFF_SSO_MFA_ACR_VALUES)


# --- Reads --------------------------------------------------------------------------------------------------


def exporter_passwords_enabled() -> bool:
    policy = SignInPolicy.objects.filter(pk=1).only("exporter_passwords_enabled").first()
    return policy.exporter_passwords_enabled if policy else True


def roles_for_claims(values: Iterable[str]) -> set[Role]:
    names = StaffRoleMapping.objects.filter(claim_value__in=list(values), is_active=True).values_list("role", flat=True)
    return {Role(name) for name in names}


# --- Writes -------------------------------------------------------------------------------------------------


def _synthetic_username(provider: str, subject: str) -> str:
    # Usernames must be unique and short; a pseudonym can be long and is not for display.
    return f"{provider}-{hashlib.sha256(subject.encode()).hexdigest()[:24]}"


def _identity_for(provider: IdentityProvider, subject: str) -> ExternalIdentity | None:
    # Lock the identity row: two sign-ins of the same person at once must not both change its roles. (Two first
    # sign-ins at once cannot both link: the unique (provider, subject) constraint refuses the second.)
    return (
        ExternalIdentity.objects.select_for_update(of=("self",))
        .select_related("user", "user__organisation")
        .filter(provider=provider, subject=subject)
        .first()
    )


def _link(*, provider: IdentityProvider, subject: str, user: User, payload: dict[str, Any]) -> ExternalIdentity:
    identity = ExternalIdentity.objects.create(
        provider=provider, subject=subject, user=user, last_sign_in_at=timezone.now()
    )
    record(actor=user, verb=Verb.IDENTITY_LINKED, target=user, payload={"provider": provider.value, **payload})
    return identity


def _touch(identity: ExternalIdentity) -> None:
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["last_sign_in_at"])


@transaction.atomic(durable=True)
def eherkenning_sign_in(*, kvk_number: str, pseudonym: str, assurance_level: str) -> User:
    """The register's user for a person the broker vouched for, acting for the company with `kvk_number`.

    A known pseudonym is that person's account, and the company must be the account's own (KvK mismatch is
    refused: one account acts for one company). A new pseudonym of a registered company becomes a new exporter
    account of that company (the broker has checked the person's authorisation for it)."""
    kvk_number, pseudonym = (kvk_number or "").strip(), (pseudonym or "").strip()
    if not kvk_number:
        raise SignInRefused(ERR_NO_KVK)
    if not pseudonym:
        raise SignInRefused(ERR_NO_PSEUDONYM)
    required = settings.REGISTER_EHERKENNING_LEVEL
    if not assurance_level_meets(assurance_level, required):
        raise SignInRefused(
            ERR_LEVEL_TOO_LOW % {"required": level_label(required), "given": level_label(assurance_level)}
        )
    identity = _identity_for(IdentityProvider.EHERKENNING, pseudonym)
    if identity is not None:
        user = identity.user
        if user.organisation is None or user.organisation.kvk_number != kvk_number:
            raise SignInRefused(ERR_KVK_MISMATCH % {"kvk": kvk_number})
        if not user.is_active:
            raise SignInRefused(ERR_ACCOUNT_INACTIVE)
        _touch(identity)
        return user
    organisation = Organisation.objects.filter(kvk_number=kvk_number).first()
    if organisation is None:
        raise SignInRefused(ERR_ORGANISATION_UNKNOWN % {"kvk": kvk_number})
    if organisation.status == OrganisationStatus.REJECTED:
        raise SignInRefused(ERR_ORGANISATION_REJECTED % {"kvk": kvk_number})
    user = User(username=_synthetic_username("eh", pseudonym), organisation=organisation)
    user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.filter(name=Role.EXPORTER.value))
    _link(
        provider=IdentityProvider.EHERKENNING,
        subject=pseudonym,
        user=user,
        payload={"kvk_number": kvk_number, "assurance_level": assurance_level},
    )
    return user


@transaction.atomic(durable=True)
def staff_sso_sign_in(*, claims: dict[str, Any]) -> User:
    """The register's staff user for the person the ministry's provider vouched for, with the roles the
    administrator's mapping gives their role claim, as of this sign-in (a role taken away at the provider is
    gone at the next sign-in). No mapped role: refused."""
    subject = str(claims.get("sub") or "").strip()
    if not subject:
        raise SignInRefused(ERR_NO_SUBJECT)
    roles = roles_for_claims(claim_values(claims.get(settings.REGISTER_STAFF_SSO_ROLES_CLAIM)))
    if not roles:
        raise SignInRefused(ERR_NO_ROLE)
    identity = _identity_for(IdentityProvider.STAFF_SSO, subject)
    names = {
        "email": str(claims.get("email") or "")[:254],
        "first_name": str(claims.get("given_name") or "")[:150],
        "last_name": str(claims.get("family_name") or "")[:150],
    }
    if identity is None:
        user = User(username=_synthetic_username("sso", subject), **names)
        user.set_unusable_password()
        user.save()
        _link(
            provider=IdentityProvider.STAFF_SSO,
            subject=subject,
            user=user,
            payload={"roles": sorted(r.value for r in roles)},
        )
    else:
        user = identity.user
        if user.organisation_id is not None:
            raise SignInRefused(ERR_NOT_STAFF)
        if not user.is_active:
            raise SignInRefused(ERR_ACCOUNT_INACTIVE)
        changed = [field for field, value in names.items() if value and getattr(user, field) != value]
        for field in changed:
            setattr(user, field, names[field])
        if changed:
            user.save(update_fields=changed)
        _touch(identity)
    _grant_roles(user=user, roles=roles)
    return user


def _grant_roles(*, user: User, roles: set[Role]) -> None:
    before = {g.name for g in user.groups.all()}
    after = {r.value for r in roles}
    if before != after:
        user.groups.set(Group.objects.filter(name__in=after))
        is_staff = Role.ADMINISTRATOR in roles
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
        record(
            actor=user,
            verb=Verb.ROLE_GRANTED,
            target=user,
            payload={"roles": sorted(after), "before": sorted(before), "source": IdentityProvider.STAFF_SSO.value},
        )


@transaction.atomic(durable=True)
def staff_role_mapping_save(
    *, actor: Any, claim_value: str, role: str, is_active: bool, mapping_id: int | None = None
) -> StaffRoleMapping:
    """Create or change one mapping (the administrator, in the admin)."""
    mapping = StaffRoleMapping.objects.select_for_update().get(pk=mapping_id) if mapping_id else StaffRoleMapping()
    before = {"claim_value": mapping.claim_value, "role": mapping.role, "is_active": mapping.is_active}
    mapping.claim_value, mapping.role, mapping.is_active = claim_value, role, is_active
    mapping.full_clean()
    mapping.save()
    after = {"claim_value": claim_value, "role": role, "is_active": is_active}
    record(
        actor=actor,
        verb=Verb.STAFF_ROLE_MAPPING_SAVED,
        target=mapping,
        payload={"before": before if mapping_id else None, "after": after},
    )
    return mapping


@transaction.atomic(durable=True)
def sign_in_policy_update(*, actor: Any, exporter_passwords_enabled: bool, reason: str = "") -> SignInPolicy:
    # Lock the one row: two administrators switching at once must each see what the other did.
    policy, _created = SignInPolicy.objects.select_for_update().get_or_create(pk=1)
    before = policy.exporter_passwords_enabled
    policy.exporter_passwords_enabled = exporter_passwords_enabled
    policy._change_reason = reason  # type: ignore[attr-defined]
    policy.save(update_fields=["exporter_passwords_enabled"])
    record(
        actor=actor,
        verb=Verb.SIGN_IN_POLICY_CHANGED,
        target=policy,
        payload={"exporter_passwords_enabled": {"before": before, "after": exporter_passwords_enabled}},
        reason=reason,
    )
    return policy
