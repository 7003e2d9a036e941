"""Automatic checks, criteria assessments, advice, national policy rules, screening and refusal letters.

Rules live in licensing/assessment_rules.py; writes in licensing/services/{checks,assessment,denials}.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..assessment_rules import AssessmentOutcome
from ..check_texts import check_text
from .application import Application, ApplicationParty
from .decision import Decision
from .reference import Criterion


class CheckKind(models.TextChoices):
    EMBARGO = "embargo", _("Arms embargo")
    DENIAL_MATCH = "denial_match", _("Denial by another Member State")
    NATIONAL_RULE = "national_rule", _("National policy rule")
    SCREENING = "screening", _("Watch-list screening")
    END_DESTINATION = "end_destination", _("End destination of the final system")


class FlagLevel(models.TextChoices):
    BLOCKING = "blocking", _("Blocking")
    WARNING = "warning", _("Warning")
    INFO = "info", _("For information")


class CheckTrigger(models.TextChoices):
    SUBMISSION = "submission", _("On submission")
    BEFORE_DECISION = "before_decision", _("Before a decision")
    MANUAL = "manual", _("Run by an officer")


class Resolution(models.TextChoices):
    OPEN = "", _("Not yet resolved")
    CLEARED = "cleared", _("Cleared")
    CONFIRMED = "confirmed", _("Confirmed")


class CheckRun(models.Model):
    """One run of all automatic checks on an application, as of a date (the submission or decision date)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="check_runs")
    number = models.PositiveIntegerField(help_text=_("1 for the first run on this application, then 2, 3, ..."))
    checked_on = models.DateField(help_text=_("The date the rules were applied as of."))
    ran_at = models.DateTimeField()
    trigger = models.CharField(max_length=16, choices=CheckTrigger.choices)
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["application_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="one_check_run_number")]

    def __str__(self) -> str:
        return f"checks #{self.number} on {self.application_id} ({self.checked_on})"


class CheckResult(models.Model):
    """One flag raised by a run, with the inputs it rested on, so a later reader sees what the officer saw.

    `key` names what was found (e.g. "embargo:12", "screening:34:5"); an officer's resolution is carried to the
    same key in later runs, so re-running the checks before a decision does not undo the officer's work.
    """

    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="results")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="check_results")
    kind = models.CharField(max_length=16, choices=CheckKind.choices)
    level = models.CharField(max_length=10, choices=FlagLevel.choices)
    key = models.CharField(max_length=100)
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    message = models.TextField(_("message (English)"))
    # The message as a code and its parameters, put into words in the reader's language (licensing.check_texts);
    # empty on rows written before the codes, which show `message`.
    message_code = models.CharField(_("message code"), max_length=32, blank=True)
    message_params = models.JSONField(_("message parameters"), default=dict, blank=True)
    inputs = models.JSONField(default=dict)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True, default=Resolution.OPEN)
    resolution_reason = models.TextField(blank=True)
    exemption_note = models.TextField(
        _("scope and exemption"),
        blank=True,
        help_text=_("For an embargo: the exemption the legal act allows and why it applies."),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The earlier result whose resolution this one took over."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["run_id", "kind", "id"]
        indexes = [
            models.Index(fields=["application", "kind", "key"]),
            models.Index(fields=["application", "resolution"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="one_result_per_key_per_run"),
            models.CheckConstraint(
                condition=Q(resolution="") | ~Q(resolution_reason=""), name="check_resolution_has_reason"
            ),
            # An embargo flag is cleared only with the exemption the legal act allows, recorded.
            models.CheckConstraint(
                condition=~Q(kind="embargo", resolution="cleared") | ~Q(exemption_note=""),
                name="embargo_clearance_has_exemption",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.level}: {self.message[:60]}"

    @property
    def is_flag(self) -> bool:
        return self.level in (FlagLevel.BLOCKING, FlagLevel.WARNING)

    @property
    def text(self) -> str:
        """The finding in the reader's language (the stored English message on rows without a code)."""
        return check_text(self.message_code, self.message_params, self.message)


class PolicyRuleKind(models.TextChoices):
    PRESUMPTION_OF_DENIAL = "presumption_of_denial", _("Presumption of denial")
    RESTRICTION = "restriction", _("Other national restriction")


class NationalPolicyRule(models.Model):
    """A dated national rule on top of the eight criteria (configurable; ended rules stay for history)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    country = models.ForeignKey("parties.Country", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=PolicyRuleKind.choices)
    valid_from = models.DateField(_("in force from"), null=True, blank=True, help_text=_("Empty: start not known."))
    valid_from_text = models.CharField(_("start as the source gives it"), max_length=200, blank=True)
    valid_until = models.DateField(_("in force until (last day)"), null=True, blank=True)
    dates_confirmed = models.BooleanField(_("dates confirmed"), default=False)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("national policy rule")
        verbose_name_plural = _("national policy rules")
        ordering = ["country_id", "valid_from"]
        indexes = [models.Index(fields=["country", "valid_from", "valid_until"])]
        constraints = [
            models.UniqueConstraint(fields=["country", "kind", "name"], name="one_policy_rule_per_name"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="policy_rule_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country_id})"


class WatchListEntry(models.Model):
    """A name on a sanctions or watch list, loaded from a file (load_watch_list)."""

    name = models.CharField(_("name"), max_length=300)
    aliases = models.TextField(_("aliases"), blank=True, help_text=_("One per line."))
    country = models.ForeignKey("parties.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source = models.CharField(_("list"), max_length=200)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("watch list entries")
        indexes = [models.Index(fields=["active", "name"])]
        constraints = [models.UniqueConstraint(fields=["source", "name"], name="one_watch_entry_per_list")]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.splitlines() if a.strip()]


class ScreeningHit(models.Model):
    """A party of an application whose name resembles a watch-list entry; an officer clears or confirms it."""

    party = models.ForeignKey(ApplicationParty, on_delete=models.CASCADE, related_name="screening_hits")
    entry = models.ForeignKey(WatchListEntry, on_delete=models.PROTECT, related_name="hits")
    score = models.FloatField()
    matched_name = models.CharField(max_length=300, help_text=_("The entry's name or alias that matched best."))
    decision = models.CharField(max_length=10, choices=Resolution.choices, blank=True, default=Resolution.OPEN)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["party_id", "-score"]
        indexes = [models.Index(fields=["decision", "found_at"])]
        constraints = [
            models.UniqueConstraint(fields=["party", "entry"], name="one_hit_per_party_entry"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="screening_score_range"),
            models.CheckConstraint(condition=Q(decision="") | ~Q(decision_reason=""), name="screening_decision_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.party_id} ~ {self.entry_id} ({self.score:.0f})"


class CriterionAssessment(models.Model):
    """The current assessment of one criterion for one application; earlier versions are in its history."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="criterion_assessments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=AssessmentOutcome.choices)
    justification = models.TextField(_("justification"), blank=True)
    sub_criteria = models.CharField(_("sub-criteria"), max_length=60, blank=True, help_text=_("e.g. 2a, 2c"))
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application_id", "criterion_id"]
        indexes = [models.Index(fields=["application", "outcome"])]
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="one_assessment_per_criterion"),
            models.CheckConstraint(
                condition=Q(outcome="no_concerns") | ~Q(justification=""), name="assessment_justified"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} criterion {self.criterion_id}: {self.outcome}"


class AdviceStatus(models.TextChoices):
    OPEN = "open", _("Awaiting advice")
    ANSWERED = "answered", _("Advice given")


class AdviceRequest(models.Model):
    """An officer asks a policy adviser (Foreign Affairs) for advice on a case."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="advice_requests")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("question"))
    criteria = models.ManyToManyField(Criterion, blank=True, related_name="+", verbose_name=_("criteria"))
    requested_at = models.DateTimeField()
    respond_by = models.DateField(_("advice wanted by"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=AdviceStatus.choices, default=AdviceStatus.OPEN)
    summary = models.TextField(_("overall advice"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[criteria])

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["adviser", "status", "-requested_at"]),
            models.Index(fields=["application", "-requested_at"]),
        ]

    def __str__(self) -> str:
        return f"advice on {self.application_id} by {self.adviser_id}"


class Advice(models.Model):
    """The adviser's view on one criterion, shown to the officer next to their own assessment."""

    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="advice")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("view"), max_length=20, choices=AssessmentOutcome.choices)
    text = models.TextField(_("advice"), blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["request_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "criterion"], name="one_advice_per_criterion"),
            models.CheckConstraint(condition=Q(outcome="no_concerns") | ~Q(text=""), name="advice_justified"),
        ]

    def __str__(self) -> str:
        return f"advice {self.request_id} criterion {self.criterion_id}: {self.outcome}"


class RefusalLetter(models.Model):
    """The letter the exporter receives with a refusal: criteria invoked and how to object (Awb 6:7)."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="refusal_letter")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="refusal_letters")
    sent_on = models.DateField(help_text=_("The day the decision was sent; the objection term starts the next day."))
    objection_deadline = models.DateField(help_text=_("Awb 6:7 six weeks, extended by the Atw."))
    document = models.FileField(upload_to="refusal-letters/%Y/")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["application", "-created_at"])]

    def __str__(self) -> str:
        return f"refusal letter {self.application_id}"
