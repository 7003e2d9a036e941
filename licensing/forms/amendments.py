"""Forms for changing a licence (amendment, extension, surrender) and deciding the change. They validate input
only; the rules and their messages live in licensing.services.amendments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Licence, PartyRole, PartyType, Unit
from ..services.amendment_consultations import ERR_DISMISS_REASON
from ..services.amendments import ERR_DECISION_REASONS, ERR_REASON_REQUIRED
from ..transitions import ERR_REASON
from .casework import DATE_INPUT, PageForm

ERR_DENIAL = _("Choose the denial the change is not essentially identical to.")


@dataclass(frozen=True)
class ChangeChoices:
    """What the holder may pick from when changing a licence: their saved parties, catalogue products and
    end-user certificates (read through the scoped selectors), and the reference lists."""

    saved_parties: list[tuple[str, str]]
    products: list[tuple[str, str]]
    certificates: list[tuple[str, str]]
    countries: list[tuple[str, str]]
    ml_categories: list[tuple[str, str]]


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

    def add_change_fields(self, choices: ChangeChoices) -> None:
        """A new consignee or end user (picked from the saved parties or typed in; a new end user with its
        end-user certificate) and one goods line to add (from the catalogue or typed in): <role>-<field>,
        added-0-<field>, the names the service's field errors use."""
        unchanged: list[tuple[str, Any]] = [("", _("— unchanged —"))]
        for role, label in ((PartyRole.CONSIGNEE, _("New consignee")), (PartyRole.END_USER, _("New end user"))):
            self.fields[f"{role}-saved_party"] = forms.ChoiceField(
                label=_("%(label)s: pick a saved party") % {"label": label},
                choices=unchanged + choices.saved_parties,
                required=False,
            )
            self.fields[f"{role}-name"] = forms.CharField(
                label=_("%(label)s: or type the name") % {"label": label}, max_length=300, required=False
            )
            self.fields[f"{role}-address"] = forms.CharField(
                label=_("%(label)s: address") % {"label": label},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
            self.fields[f"{role}-country"] = forms.ChoiceField(
                label=_("%(label)s: country") % {"label": label},
                choices=[("", _("Choose…")), *choices.countries],
                required=False,
            )
            self.fields[f"{role}-party_type"] = forms.ChoiceField(
                label=_("%(label)s: type") % {"label": label},
                choices=[("", _("Choose…")), *PartyType.choices],
                required=False,
            )
        self.fields["end_user_certificate"] = forms.ChoiceField(
            label=_("End-user certificate for the new end user"),
            choices=[("", _("None")), *choices.certificates],
            required=False,
        )
        self.fields["added-0-product"] = forms.ChoiceField(
            label=_("Add a goods line: pick a product from your catalogue"),
            choices=[("", _("None")), *choices.products],
            required=False,
        )
        self.fields["added-0-description"] = forms.CharField(
            label=_("Add a goods line: or describe the goods"), max_length=500, required=False
        )
        self.fields["added-0-ml_category"] = forms.ChoiceField(
            label=_("Added goods: Military List category"),
            choices=[("", _("Choose…")), *choices.ml_categories],
            required=False,
        )
        self.fields["added-0-quantity"] = forms.DecimalField(
            label=_("Added goods: quantity"), min_value=0, max_digits=14, decimal_places=3, required=False
        )
        self.fields["added-0-unit"] = forms.ChoiceField(
            label=_("Added goods: unit"), choices=Unit.choices, initial=Unit.PIECES, required=False
        )
        self.fields["added-0-value_eur"] = forms.DecimalField(
            label=_("Added goods: value in EUR"), min_value=0, max_digits=16, decimal_places=2, required=False
        )

    def groups(self) -> list[tuple[str, list[Any]]]:
        """The fields in the sections the page shows them in (legend, bound fields)."""
        names = list(self.fields)
        sections: list[tuple[str, list[Any]]] = [
            (
                str(_("What changes")),
                [self[n] for n in names if not n.startswith(("consignee-", "end_user", "added-"))],
            ),
            (str(_("New consignee")), [self[n] for n in names if n.startswith("consignee-")]),
            (str(_("New end user")), [self[n] for n in names if n.startswith("end_user")]),
            (str(_("Add a goods line")), [self[n] for n in names if n.startswith("added-")]),
        ]
        return [(legend, fields) for legend, fields in sections if fields]

    def _party_changes(self) -> list[dict[str, Any]]:
        data, changes = self.cleaned_data, []
        change: dict[str, Any]
        for role in (PartyRole.CONSIGNEE, PartyRole.END_USER):
            saved = data.get(f"{role}-saved_party")
            if saved:
                change = {"role": str(role), "saved_party": int(saved)}
                changes.append(change)
            elif data.get(f"{role}-name"):
                change = {"role": str(role)}
                for key in ("name", "address", "country", "party_type"):
                    change[key] = data.get(f"{role}-{key}") or ""
                changes.append(change)
        return changes

    def _goods_additions(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        product, description = data.get("added-0-product"), data.get("added-0-description")
        if not product and not description:
            return []
        return [
            {
                "product": int(product) if product else None,
                "description": description or "",
                "ml_category": data.get("added-0-ml_category") or "",
                "quantity": data.get("added-0-quantity"),
                "unit": data.get("added-0-unit") or Unit.PIECES,
                "value_eur": data.get("added-0-value_eur"),
            }
        ]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs: dict[str, Any] = {"kind": self.kind, "reason": data["reason"], "new_valid_until": data["valid_until"]}
        if self.kind == "extension":
            return kwargs
        kwargs["new_destination"] = data.get("destination") or None
        if "end_user_certificate" in self.fields:
            kwargs["party_changes"] = self._party_changes()
            kwargs["goods_additions"] = self._goods_additions()
            certificate = data.get("end_user_certificate")
            kwargs["end_user_certificate_id"] = int(certificate) if certificate else None
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


class AmendmentConsultForm(PageForm):
    """Open the Art. 4 consultation a change needs (services.amendment_consultations)."""

    id_prefix = "consult"
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why the transaction is essentially identical"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": ERR_REASON},
    )


class AmendmentDismissDenialForm(PageForm):
    """The officer's finding that the change is not essentially identical to one proposed denial
    (services.amendment_consultations.amendment_denial_dismiss, which checks the denial is one still to decide).
    The page fills in the denials to choose from."""

    id_prefix = "dismiss"
    version = forms.IntegerField(widget=forms.HiddenInput)
    denial = forms.IntegerField(label=_("Denial"), widget=forms.Select, error_messages={"required": ERR_DENIAL})
    reason = forms.CharField(
        label=_("Why the transaction is not essentially identical"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": ERR_DISMISS_REASON},
    )

    def denials_offer(self, undecided: list[Any]) -> None:
        """Offer the denials the change still has to be consulted on or dismissed."""
        self.fields["denial"].widget.choices = [("", _("Choose a denial"))] + [
            (
                found.denial.pk,
                f"{found.denial.issuing_state.name} · {found.denial.reference} · {found.found.denied_name}",
            )
            for found in undecided
        ]
