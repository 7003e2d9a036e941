"""Forms of the officer's case page and of the registration review. Each validates input only; the rules (and
their messages) live in licensing.services.casework and parties.services, whose messages the forms reuse so
that a browser-side and a service-side refusal read the same."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parties.models import User
from parties.services import ERR_REASON_REQUIRED

from ..models import Criterion, DecisionOutcome
from ..models.treaty import TreatyRefusalGround
from ..services.casework import (
    ERR_CRITERIA_REQUIRED,
    ERR_JUSTIFICATION,
    ERR_NOTE_REQUIRED,
    ERR_QUESTION_REQUIRED,
    ERR_RETURN_REASON,
    ERR_VALIDITY_REQUIRED,
    default_validity,
)
from ..transitions import ERR_REASON, LicenceAction

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PageForm(forms.Form):
    """A form that shares its page with others: its own id prefix keeps every element id unique, so each
    label, help text and error message stays tied to its own field (WCAG 1.3.1, 4.1.1)."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class VersionedForm(PageForm):
    """Carries the version of the record the officer was looking at, so a change made meanwhile by someone
    else is refused (HTTP 409) instead of silently overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AssignForm(VersionedForm):
    id_prefix = "assign"

    assignee = OfficerChoiceField(
        queryset=None,  # set per request from selectors_queue.officer_list
        required=False,
        label=_("Assign to"),
        empty_label=_("Nobody (unassign)"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        help_text=_("Recorded in the case history, e.g. “holiday cover”."),
    )

    def __init__(self, *args: Any, officers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type for mypy
        field.queryset = User.objects.filter(pk__in=[o.pk for o in officers])
        # Render the choices from the list already read for the page, not with a second query.
        field.choices = [("", field.empty_label), *((o.pk, str(o)) for o in officers)]


class InformationRequestForm(VersionedForm):
    id_prefix = "rfi"

    question = forms.CharField(
        label=_("Question for the exporter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": ERR_QUESTION_REQUIRED},
        help_text=_("The exporter is notified. The legal decision term is suspended until they answer (Awb 4:15)."),
    )
    respond_by = forms.DateField(
        label=_("Answer by"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty for 10 working days from today."),
    )


class NoteForm(VersionedForm):
    """Carries the version like every action form, but a note is never refused as stale: it only adds to the
    case, so what it says stays true whatever changed meanwhile (see officer_case.CaseAddNoteView)."""

    id_prefix = "note"

    text = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_NOTE_REQUIRED},
        help_text=_("Internal: exporters never see notes."),
    )


class ApproveDecisionForm(VersionedForm):
    id_prefix = "approve"

    outcome = DecisionOutcome.APPROVE

    valid_from = forms.DateField(
        label=_("Licence valid from"), widget=DATE_INPUT, error_messages={"required": ERR_VALIDITY_REQUIRED}
    )
    valid_until = forms.DateField(
        label=_("Licence valid until"),
        widget=DATE_INPUT,
        error_messages={"required": ERR_VALIDITY_REQUIRED},
        help_text=_("Up to and including this day."),
    )
    conditions = forms.CharField(
        label=_("Licence conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": ERR_JUSTIFICATION},
        help_text=_("Recorded with the decision and shown in the case history."),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        start, end = default_validity(today)
        kwargs["initial"] = {"valid_from": start, "valid_until": end, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)


class CriterionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.local_title}"


class RefuseDecisionForm(VersionedForm):
    id_prefix = "refuse"

    outcome = DecisionOutcome.REFUSE

    criteria = CriterionChoiceField(
        queryset=Criterion.objects.none(),  # set per request from selectors_queue.criteria_list
        label=_("Criteria the refusal rests on (Common Position 2008/944/CFSP, Art. 2)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # a de minimis treaty transfer is refused on the treaty ground instead (service checks)
    )
    refusal_ground = forms.ChoiceField(
        label=_("Treaty ground (de minimis treaty transfers only)"),
        required=False,
        choices=[("", _("Not a de minimis treaty transfer: the criteria above apply")), *TreatyRefusalGround.choices],
        help_text=_(
            "A de minimis transfer may be refused only because direct interests or national security are compromised."
        ),
    )
    sub_criteria = forms.CharField(
        label=_("Sub-criteria"), required=False, max_length=100, help_text=_("For example 2a, 2c, 7b.")
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": ERR_JUSTIFICATION},
        help_text=_("Recorded with the decision, shown in the case history and sent to the exporter."),
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["criteria"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101 - narrows the type for mypy
        field.queryset = Criterion.objects.filter(pk__in=[c.pk for c in criteria])
        field.choices = [(c.pk, f"{c.number}. {c.local_title}") for c in criteria]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("criteria") and not cleaned.get("refusal_ground"):
            self.add_error("criteria", ERR_CRITERIA_REQUIRED)
        return cleaned

    def criterion_numbers(self) -> list[int]:
        return sorted(c.number for c in self.cleaned_data.get("criteria") or [])


class CountersignForm(VersionedForm):
    id_prefix = "countersign"

    reason = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnDecisionForm(VersionedForm):
    id_prefix = "return"

    reason = forms.CharField(
        label=_("Why you send it back"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_RETURN_REASON},
        help_text=_("The officer who proposed the decision is told."),
    )


LICENCE_ACTION_LABELS = {
    LicenceAction.SUSPEND: _("Suspend"),
    LicenceAction.REINSTATE: _("Reinstate"),
}


class LicenceStatusForm(VersionedForm):
    """Suspend, reinstate or revoke; the version is the licence's own."""

    id_prefix = "licence"

    action = forms.ChoiceField(label=_("Action"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_REASON},
        help_text=_("Recorded in the licence's history and sent to the exporter."),
    )

    def __init__(self, *args: Any, actions: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type for mypy
        field.choices = [(a, LICENCE_ACTION_LABELS[LicenceAction(a)]) for a in actions]


class OrganisationApproveForm(PageForm):
    id_prefix = "approve"

    reason = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        help_text=_("For example “KvK extract checked”."),
    )


class OrganisationRejectForm(PageForm):
    id_prefix = "reject"

    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_REASON_REQUIRED},
        help_text=_("Recorded in the history."),
    )
