"""Forms for general licences. They parse; general_licences.services decides, and its field errors are put back
on the fields (a line's errors on that line of the return)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from licensing.forms.portal import apply_errors, country_choices, ml_category_choices
from licensing.models import Unit

from .models import GeneralLicence, GeneralLicenceKind, GeneralLicenceStatus, TransferGround
from .services import LicenceData, LineData


class GeneralLicenceForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=40, help_text=_("e.g. NL-AGV-2026-01"))
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=GeneralLicenceKind.choices)
    transfer_ground = forms.ChoiceField(
        label=_("Transfer covered (Directive 2009/43/EC, art. 5(2))"), choices=TransferGround.choices, required=False
    )
    ml_categories = forms.MultipleChoiceField(
        label=_("Military List categories covered"), widget=forms.CheckboxSelectMultiple
    )
    destinations = forms.MultipleChoiceField(
        label=_("Destinations"),
        help_text=_("Hold Ctrl (or Cmd) to choose several countries."),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 5}))
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("Valid until (last day)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    requires_approval = forms.BooleanField(label=_("A registration needs an officer's approval"), required=False)
    return_period_months = forms.TypedChoiceField(
        label=_("Reporting period"),
        coerce=int,
        choices=[(1, _("Monthly")), (3, _("Quarterly")), (6, _("Half-yearly")), (12, _("Yearly"))],
        initial=6,
    )
    return_due_days = forms.IntegerField(label=_("Days to file a return after a period ends"), min_value=1, initial=30)
    status = forms.ChoiceField(label=_("Status"), choices=GeneralLicenceStatus.choices, initial="published")
    reason = forms.CharField(label=_("Reason for this change"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ml_categories"]).choices = ml_category_choices()
        cast(forms.ChoiceField, self.fields["destinations"]).choices = country_choices()

    @classmethod
    def initial_for(cls, licence: GeneralLicence) -> dict[str, Any]:
        fields = ["reference", "title", "kind", "transfer_ground", "conditions", "valid_from", "valid_until",
                  "requires_approval", "return_period_months", "return_due_days", "status", "version"]  # fmt: skip
        initial = {name: getattr(licence, name) for name in fields}
        initial["ml_categories"] = [c.pk for c in licence.ml_categories.all()]
        initial["destinations"] = [c.pk for c in licence.destinations.all()]
        return initial

    def data_for_service(self) -> LicenceData:
        d = self.cleaned_data
        return LicenceData(
            reference=d["reference"].strip(),
            title=d["title"].strip(),
            kind=d["kind"],
            transfer_ground=d["transfer_ground"] or "",
            ml_category_codes=list(d["ml_categories"]),
            destination_codes=list(d["destinations"]),
            conditions=d["conditions"],
            valid_from=d["valid_from"],
            valid_until=d["valid_until"],
            requires_approval=d["requires_approval"],
            return_period_months=d["return_period_months"],
            return_due_days=d["return_due_days"],
            status=d["status"],
        )


class RegisterForm(forms.Form):
    intended_use = forms.CharField(
        label=_("How will you use this licence?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: the goods and recipients you expect to ship under it."),
    )


class RegistrationDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the registration")), ("reject", _("Reject the registration"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you reject."),
    )


class RegistrationStatusForm(forms.Form):
    """Suspend or reinstate a registration: the reason is told to the holder; the version guards against two
    officers acting at once."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Reason (the holder is told)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason: it is recorded and the holder is told.")},
    )


class UsageReturnForm(forms.Form):
    period_start = forms.TypedChoiceField(label=_("Reporting period"), coerce=str)
    nil_return = forms.BooleanField(label=_("The licence was not used in this period"), required=False)

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["period_start"]).choices = periods


class UsageLineForm(forms.Form):
    ml_category = forms.ChoiceField(label=_("Military List category"))
    description = forms.CharField(label=_("Goods"), max_length=300)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PIECES)
    value_eur = forms.DecimalField(label=_("Value (EUR)"), max_digits=16, decimal_places=2)
    recipient = forms.CharField(label=_("Recipient"), max_length=300)
    country = forms.ChoiceField(label=_("Country of the recipient"))

    def __init__(self, *args: Any, licence: GeneralLicence, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the licence covers is offered; the service refuses anything else by name (the API path).
        cast(forms.ChoiceField, self.fields["ml_category"]).choices = [("", "—")] + [
            (c.code, f"{c.code} – {c.local_title}") for c in licence.ml_categories.all()
        ]
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—")] + [
            (c.iso2, c.name) for c in licence.destinations.all()
        ]

    def line(self) -> LineData:
        d = self.cleaned_data
        return LineData(
            ml_category_code=d["ml_category"],
            description=d["description"],
            quantity=d["quantity"],
            unit=d["unit"],
            value_eur=d["value_eur"],
            recipient=d["recipient"],
            country_code=d["country"],
        )


UsageLineFormSet = forms.formset_factory(UsageLineForm, extra=3, max_num=50)


def apply_line_errors(form: forms.Form, line_forms: list[Any], exc: DomainError) -> None:
    """`lines.<i>.<field>` errors go on the i-th filled line; the rest on the return form."""
    rest: dict[str, list[str]] = {}
    for key, messages in exc.field_errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines":
            line_form = line_forms[int(parts[1])]
            for message in messages:
                line_form.add_error(parts[2] if parts[2] in line_form.fields else None, message)
        else:
            rest[key] = messages
    if rest or not exc.field_errors:
        apply_errors(form, DomainError(exc.message, field_errors=rest))
