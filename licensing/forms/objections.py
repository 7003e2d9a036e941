"""Forms of the objection case (bezwaar). They validate input only; the rules and their messages live in
licensing.services.objections."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ObjectionOutcome
from ..services.objections import ERR_ADVICE, ERR_GROUNDS, ERR_OUTCOME
from ..transitions import ERR_REASON
from .casework import DATE_INPUT, PageForm


class ObjectionFileForm(PageForm):
    id_prefix = "objection"
    grounds = forms.CharField(
        label=_("Why do you object to the decision?"),
        help_text=_("Say which part of the decision you disagree with and why (Awb 6:5)."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": ERR_GROUNDS},
    )


class ObjectionWithdrawForm(PageForm):
    id_prefix = "withdraw"
    reason = forms.CharField(
        label=_("Why do you withdraw the objection?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": ERR_REASON},
    )


class _VersionedForm(PageForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObjectionTermForm(_VersionedForm):
    id_prefix = "term"
    advisory_committee = forms.BooleanField(
        label=_("An advisory committee advises on this objection (twelve weeks, Awb 7:10(1))"), required=False
    )
    postponed_weeks = forms.IntegerField(
        label=_("Postpone the decision by (weeks)"),
        help_text=_("At most six weeks (Awb 7:10(3)); the objector is told the new date."),
        min_value=0,
        max_value=6,
        initial=0,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": ERR_REASON}
    )


class ObjectionHearingForm(_VersionedForm):
    id_prefix = "hearing"
    held_on = forms.DateField(
        label=_("Hearing held on"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Leave empty when no hearing is held, and say why below."),
    )
    record_text = forms.CharField(
        label=_("Record of the hearing (Awb 7:7)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    waived_reason = forms.CharField(
        label=_("Why no hearing is held (Awb 7:3)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ObjectionAdviceForm(_VersionedForm):
    id_prefix = "advice"
    given_on = forms.DateField(label=_("Advice given on"), widget=DATE_INPUT)
    advice = forms.CharField(
        label=_("The advisory committee's advice"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": ERR_ADVICE},
    )


class ObjectionDecideForm(_VersionedForm):
    id_prefix = "decide"
    outcome = forms.ChoiceField(
        label=_("Decision on the objection"),
        choices=ObjectionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERR_OUTCOME},
    )
    reasons = forms.CharField(
        label=_("Reasons (sent to the objector)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": ERR_REASON},
    )
    new_valid_until = forms.DateField(
        label=_("Licence valid until (when the objection changes a licence)"),
        help_text=_(
            "Only for an approval changed on objection: the licence gets a new version. A refusal revoked or "
            "changed goes back under review for a new decision."
        ),
        widget=DATE_INPUT,
        required=False,
    )
