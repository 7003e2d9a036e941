"""Forms of the assessment pages. They parse input and show the rules early (licensing/assessment_rules.py);
the services decide, and their field errors are put back on these forms with `errors_onto`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.roles import Role
from licensing.models.consultation import ConsultationOutcome
from parties.models import Country, User

from ..assessment_rules import AssessmentOutcome, CriterionVerdict, verdict_problems
from ..models import Criterion, MLCategory
from ..models.assessment import Resolution

MAX_CSV_BYTES = 1_000_000


class _Form(forms.Form):
    """Base of the assessment forms (rendered by the project's form renderer)."""


def errors_onto(form: forms.Form, exc: DomainError, *, prefix: str = "") -> None:
    """Put a service's field errors on the form; keys "<prefix><field>" (or unknown fields) as form errors."""
    for key, messages in (exc.field_errors or {"__all__": [exc.message]}).items():
        name = key[len(prefix) :] if prefix and key.startswith(prefix) else key
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class CriterionForm(_Form):
    """One criterion of the assessment (prefix "c<n>"); `criterion` is set by the view."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=AssessmentOutcome.choices, widget=forms.RadioSelect)
    sub_criteria = forms.CharField(
        label=_("Sub-criteria"), required=False, max_length=60, help_text=_("For example 2a, 2c. Optional.")
    )
    justification = forms.CharField(
        label=_("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required unless the outcome is “no concerns”."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, criterion: int, **kwargs: Any) -> None:
        self.criterion = criterion
        kwargs["prefix"] = f"c{criterion}"
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "outcome" in data:
            for name, messages in verdict_problems(self.verdict(data)).items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data

    def verdict(self, data: dict[str, Any] | None = None) -> CriterionVerdict:
        data = data if data is not None else self.cleaned_data
        return CriterionVerdict(
            criterion=self.criterion,
            outcome=data["outcome"],
            justification=data.get("justification") or "",
            sub_criteria=data.get("sub_criteria") or "",
        )


class AdviceCriterionForm(CriterionForm):
    """The adviser's view on one criterion; may be left empty unless the officer asked about it."""

    outcome = forms.ChoiceField(
        label=_("Your view"),
        choices=[("", _("No advice on this criterion")), *AssessmentOutcome.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label=_("Advice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required unless your view is “no concerns”."),
    )
    version = None  # type: ignore[assignment]

    def clean(self) -> dict[str, Any]:
        data = _Form.clean(self) or {}
        if data.get("outcome"):
            for name, messages in verdict_problems(self.verdict(data)).items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data


class AdviceSummaryForm(_Form):
    summary = forms.CharField(label=_("Overall advice"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(_Form):
    resolution = forms.ChoiceField(
        label=_("Resolution"),
        choices=[
            (Resolution.CLEARED, _("Clear: not a problem for this case")),
            (Resolution.CONFIRMED, _("Confirm: the flag stands")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    exemption_note = forms.CharField(
        label=_("Scope and exemption (embargoes)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("To clear an embargo: the exemption the legal act allows and why it applies."),
    )


class MatchDecideForm(_Form):
    decision = forms.ChoiceField(
        label=_("Is this an essentially identical transaction?"),
        choices=[
            ("confirmed", _("Yes: consult the denying state (Art. 4)")),
            ("dismissed", _("No: dismiss the match")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AdviceRequestForm(_Form):
    adviser = forms.ModelChoiceField(label=_("Policy adviser"), queryset=User.objects.none())
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 4}))
    criteria = forms.ModelMultipleChoiceField(
        label=_("Criteria to advise on"),
        queryset=Criterion.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    respond_by = forms.DateField(
        label=_("Advice wanted by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        adviser_field = self.fields["adviser"]
        assert isinstance(adviser_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        adviser_field.queryset = User.objects.filter(groups__name=Role.POLICY_ADVISER.value, is_active=True).order_by(
            "last_name", "first_name"
        )


class DenialFilterForm(_Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("All")), ("incoming", _("Received")), ("outgoing", _("Ours"))],
    )
    issuing_state = forms.ModelChoiceField(label=_("Issuing state"), queryset=Country.objects.all(), required=False)
    destination = forms.ModelChoiceField(label=_("Destination"), queryset=Country.objects.all(), required=False)
    ml_category = forms.ModelChoiceField(label=_("ML category"), queryset=MLCategory.objects.all(), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("withdrawn", _("Withdrawn"))],
    )
    date_from = forms.DateField(label=_("Denied from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Denied until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "direction": data["direction"],
            "issuing_state": data["issuing_state"].pk if data["issuing_state"] else "",
            "destination": data["destination"].pk if data["destination"] else "",
            "ml_category": data["ml_category"].pk if data["ml_category"] else "",
            "status": data["status"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }


class DenialForm(_Form):
    """A denial notification received from another Member State, entered by hand."""

    reference = forms.CharField(label=_("Their reference"), max_length=60)
    issuing_state = forms.ModelChoiceField(label=_("Issuing state"), queryset=Country.objects.all())
    notified_on = forms.DateField(label=_("Date of denial"), widget=forms.DateInput(attrs={"type": "date"}))
    destination = forms.ModelChoiceField(label=_("Destination"), queryset=Country.objects.all())
    ml_category = forms.ModelChoiceField(label=_("ML category"), queryset=MLCategory.objects.all())
    goods_description = forms.CharField(label=_("Goods description"), widget=forms.Textarea(attrs={"rows": 2}))
    quantity = forms.CharField(label=_("Quantity"), max_length=100, required=False)
    consignee = forms.CharField(label=_("Consignee"), max_length=300, required=False)
    end_user = forms.CharField(label=_("End user"), max_length=300)
    end_use = forms.CharField(label=_("Stated end use"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    criteria = forms.ModelMultipleChoiceField(
        label=_("Criteria invoked"), queryset=Criterion.objects.order_by("number"), widget=forms.CheckboxSelectMultiple
    )
    sub_criteria = forms.CharField(label=_("Sub-criteria"), max_length=60, required=False)
    reason = forms.CharField(label=_("Short reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def as_row(self) -> dict[str, str]:
        data = self.cleaned_data
        row = {
            k: str(v or "")
            for k, v in data.items()
            if k not in ("criteria", "issuing_state", "destination", "ml_category", "notified_on")
        }
        row["issuing_state"] = data["issuing_state"].pk
        row["destination"] = data["destination"].pk
        row["ml_category"] = data["ml_category"].pk
        row["notified_on"] = data["notified_on"].isoformat()
        row["criteria"] = " ".join(str(c.number) for c in data["criteria"])
        return row


class DenialImportForm(_Form):
    file = forms.FileField(
        label=_("CSV file of received denials"),
        help_text=_(
            "Columns: reference, issuing_state, notified_on, destination, ml_category, goods_description, "
            "quantity, consignee, end_user, end_use, criteria, sub_criteria, reason. UTF-8, at most 1 MB."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The file is not UTF-8 text; save it as CSV UTF-8.")) from exc
        upload.seek(0)
        return upload

    def lines(self) -> list[str]:
        return self.cleaned_data["file"].read().decode("utf-8-sig").splitlines(keepends=True)


class WithdrawForm(_Form):
    reason = forms.CharField(label=_("Why is the denial withdrawn?"), widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(_Form):
    reason = forms.CharField(label=_("Reason for the revocation"), widget=forms.Textarea(attrs={"rows": 3}))
    criteria = forms.ModelMultipleChoiceField(
        label=_("Criteria invoked"), queryset=Criterion.objects.order_by("number"), widget=forms.CheckboxSelectMultiple
    )
    sub_criteria = forms.CharField(label=_("Sub-criteria"), max_length=60, required=False)


class Art4ConcludeForm(_Form):
    outcome = forms.ChoiceField(
        label=_("What did the denying state answer?"),
        choices=[
            (ConsultationOutcome.DENIAL_MAINTAINED, ConsultationOutcome.DENIAL_MAINTAINED.label),
            (ConsultationOutcome.NO_OBJECTION, ConsultationOutcome.NO_OBJECTION.label),
            (ConsultationOutcome.NO_ANSWER, ConsultationOutcome.NO_ANSWER.label),
        ],
        widget=forms.RadioSelect,
    )
    outcome_text = forms.CharField(
        label=_("Answer and what it means for this case"), widget=forms.Textarea(attrs={"rows": 3})
    )
    concluded_on = forms.DateField(
        label=_("Concluded on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
