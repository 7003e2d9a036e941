"""Forms for changing a licence (amendment, extension, surrender) and deciding the change. They validate input
only; the rules and their messages live in licensing.services.amendments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Licence
from ..services.amendments import ERR_DECISION_REASONS, ERR_REASON_REQUIRED
from ..transitions import ERR_REASON
from .casework import DATE_INPUT, PageForm


class AmendmentRequestForm(PageForm):
    """One quantity and one value field per licensed goods line (goods-<id>-quantity, goods-<id>-value_eur), so the
    service's field errors land on the line they are about."""

    id_prefix = "amend"
    reason = forms.CharField(
        label=_("Why does the licence need to change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_REASON_REQUIRED},
    )
    valid_until = forms.DateField(label=_("Valid up to and including"), widget=DATE_INPUT, required=False)

    def __init__(self, *args: Any, licence: Licence, kind: str, countries: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.licence, self.kind = licence, kind
        self.fields["valid_until"].initial = licence.valid_until
        if kind == "extension":
            self.fields["valid_until"].required = True
            self.fields["valid_until"].label = _("New last day of validity")
            return
        self.fields["destination"] = forms.ChoiceField(
            label=_("Destination"), choices=countries, initial=licence.destination_id, required=False
        )
        for line in licence.goods.all():
            self.fields[f"goods-{line.pk}-quantity"] = forms.DecimalField(
                label=_("%(description)s: quantity (%(unit)s)") % {"description": line.description, "unit": line.unit},
                initial=line.quantity.normalize(),
                min_value=0,
                max_digits=14,
                decimal_places=3,
            )
            self.fields[f"goods-{line.pk}-value_eur"] = forms.DecimalField(
                label=_("%(description)s: value (EUR)") % {"description": line.description},
                initial=line.value_eur,
                min_value=0,
                max_digits=16,
                decimal_places=2,
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs: dict[str, Any] = {"kind": self.kind, "reason": data["reason"], "new_valid_until": data["valid_until"]}
        if self.kind == "extension":
            return kwargs
        kwargs["new_destination"] = data.get("destination") or None
        kwargs["goods_changes"] = [
            {
                "goods": line.pk,
                "quantity": data[f"goods-{line.pk}-quantity"],
                "value_eur": data[f"goods-{line.pk}-value_eur"],
            }
            for line in self.licence.goods.all()
        ]
        return kwargs


class ReasonForm(PageForm):
    id_prefix = "reason"
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": ERR_REASON}
    )


class SurrenderForm(ReasonForm):
    id_prefix = "surrender"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why do you give the licence back?")


class AmendmentDecideForm(PageForm):
    id_prefix = "decide"
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the change")), ("refuse", _("Refuse the change"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_DECISION_REASONS},
    )


class AmendmentCountersignForm(PageForm):
    id_prefix = "countersign"
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AmendmentReturnForm(PageForm):
    id_prefix = "return"
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why do you send it back?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": ERR_REASON},
    )
