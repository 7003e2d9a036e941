"""Forms of the exporter portal. They parse what the exporter typed; the services decide what is allowed
(licensing.services.applications, licensing.services.casework.shipment_record) and their errors are put back
on the fields here, so one message reaches the exporter whichever layer found the problem."""

from __future__ import annotations

from typing import Any, cast

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.i18n import field_in_language
from licensing.models import Currency, DocumentKind, LicenceType, PartyRole, PartyType, Unit
from licensing.services.applications import ERR_CURRENCY, ERR_NO_END_USE
from parties.models import HOME_STATE

# Plain-language explanations shown next to each licence type (Directive 2009/43/EC for transfers; the
# Agreement on Export Controls in the Field of Defence for treaty component transfers).
LICENCE_TYPE_HELP = {
    LicenceType.INDIVIDUAL_EXPORT: _(
        "One contract or consignment for one end user outside the EU. The most common choice."
    ),
    LicenceType.GLOBAL_EXPORT: _(
        "Repeated shipments over a period to several named consignees and end users outside the EU."
    ),
    LicenceType.TRANSFER_INDIVIDUAL: _(
        "One transfer to a recipient in another EU Member State (Directive 2009/43/EC)."
    ),
    LicenceType.TRANSFER_GLOBAL: _(
        "Repeated transfers to named recipients in other EU Member States (Directive 2009/43/EC)."
    ),
    LicenceType.TREATY_COMPONENT: _(
        "Components sent to a company in a treaty party (France, Germany, Spain, the United Kingdom) to be "
        "built into a final system. No end-user certificate is needed; a certificate of integration may be asked."
    ),
}

ERR_NAME_CONTENT_MISMATCH = _(
    "The file's name ends in .{extension}, but its content is {kind}. Upload the original file, or give it the "
    "right name."
)
_KIND_LABELS = {"application/pdf": _("a PDF"), "image/png": _("a PNG image"), "image/jpeg": _("a JPEG image")}
_EXTENSIONS = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}

Choices = list[tuple[str, Any]]


def apply_errors(
    form: forms.Form, exc: DomainError | ValidationError, *, renamed: dict[str, str] | None = None
) -> None:
    """Put a service's (or a model's full_clean) errors on the form's fields; unknown fields become form errors."""
    renamed = renamed or {}
    if isinstance(exc, DomainError):
        by_field: dict[str, list[str]] = exc.field_errors or {"__all__": [exc.message]}
    elif hasattr(exc, "error_dict"):
        by_field = exc.message_dict
    else:
        by_field = {"__all__": list(exc.messages)}
    for field, messages in by_field.items():
        target = renamed.get(field, field)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationCreateForm(forms.Form):
    licence_type = forms.ChoiceField(
        label=_("Which licence do you need?"), choices=LicenceType.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Short title"),
        max_length=200,
        help_text=_("For your own overview, for example the contract or project name."),
    )

    def licence_type_options(self) -> list[dict[str, Any]]:
        """The radio options with their explanation, for the template to show side by side."""
        return [
            {"widget": option, "help": LICENCE_TYPE_HELP.get(option.data["value"], "")}
            for option in self["licence_type"]
        ]


class ApplicationDetailsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Short title"), max_length=200)
    end_use = forms.CharField(
        label=_("End use"),
        error_messages={"required": ERR_NO_END_USE},
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What will the end user do with the goods, and where? For example: “air defence of the navy's frigates”."
        ),
    )
    intended_shipment_date = forms.DateField(
        label=_("Intended first shipment date"), required=False, widget=_date_input()
    )
    related_licences = forms.CharField(
        label=_("Related earlier licences"),
        max_length=300,
        required=False,
        help_text=_("Numbers of earlier licences for the same contract or end user, if any."),
    )


class GoodsLineForm(forms.Form):
    line_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        help_text=_("Name, type and model as on the contract, e.g. “X-band fire control radar module, type FC-220”."),
    )
    ml_category = forms.ChoiceField(
        label=_("Military List category"),
        help_text=_("The EU Common Military List entry the goods fall under."),
    )
    ml_sub_item = forms.CharField(
        label=_("Sub-item"), max_length=100, required=False, help_text=_("If you know it, e.g. ML5.b.")
    )
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    unit_value = forms.DecimalField(
        label=_("Value per unit"),
        max_digits=14,
        decimal_places=2,
        help_text=_("The contract price of one unit, in the currency you choose next."),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=Currency.choices,
        initial=Currency.EUR,
        error_messages={"invalid_choice": ERR_CURRENCY},
        help_text=_("We convert to euros with the latest reference rate and show the rate used."),
    )
    is_component = forms.BooleanField(label=_("This is a component to be built into a larger system"), required=False)
    part_numbers = forms.CharField(label=_("Part numbers"), max_length=300, required=False)
    un_register_category = forms.ChoiceField(
        label=_("UN Register category"),
        required=False,
        help_text=_("The UN Register of Conventional Arms category (I–VII, or small arms), if the item falls in one."),
    )
    # Not required: a form posted without it (or the API) means made in the home state, the model's empty value.
    production_country = forms.ChoiceField(
        label=_("Country of production"),
        required=False,
        help_text=_("Where the goods were made. The Netherlands unless you choose another country."),
    )

    def __init__(
        self,
        *args: Any,
        ml_choices: Choices,
        line_ids: set[int] | None = None,
        un_choices: Choices | None = None,
        countries: Choices | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ml_category"]).choices = [("", _("Choose a category")), *ml_choices]
        un_field = cast(forms.ChoiceField, self.fields["un_register_category"])
        un_field.choices = [("", _("None of these")), *(un_choices or un_register_choices())]
        country_field = cast(forms.ChoiceField, self.fields["production_country"])
        country_field.choices = countries or country_choices()
        country_field.initial = HOME_STATE  # made in the home state unless the exporter says otherwise
        self.line_ids = line_ids or set()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A form-level error: the id travels in a hidden field, which has no place to show a message.
        if data.get("line_id") is not None and data["line_id"] not in self.line_ids:
            raise ValidationError(_("This goods line is not part of this application any more. Reload the page."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "line_id": data["line_id"],
            "description": data["description"],
            "ml_category_id": data["ml_category"],
            "ml_sub_item": data["ml_sub_item"],
            "quantity": data["quantity"],
            "unit": data["unit"],
            "unit_value": data["unit_value"],
            "currency": data["currency"],
            "is_component": data["is_component"],
            "part_numbers": data["part_numbers"],
            "un_register_category_id": data["un_register_category"],
            "production_country_id": data["production_country"],
        }


class PartyForm(forms.Form):
    party_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    role = forms.ChoiceField(
        label=_("Role in this export"),
        choices=PartyRole.choices,
        help_text=_(
            "Consignee: who receives the goods. End user: who will use them. Ultimate end user: a further user "
            "named in the end-user certificate. Third party: an intermediate consignee, broker or forwarder."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=300)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}))
    country = forms.ChoiceField(label=_("Country"))
    party_type = forms.ChoiceField(label=_("Type of organisation"), choices=PartyType.choices)
    third_party_role = forms.CharField(
        label=_("What does this third party do?"),
        max_length=100,
        required=False,
        help_text=_("For example freight forwarder or broker."),
    )

    def __init__(self, *args: Any, country_choices: Choices, party_ids: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", _("Choose a country")), *country_choices]
        self.party_ids = party_ids or set()
        # What the party does is asked of a third party only: the field is on the page when the role chosen (or
        # posted) is "third party"; a third party posted without it gets the service's field error.
        role = self.data.get(self.add_prefix("role")) if self.is_bound else self.initial.get("role")
        if role != PartyRole.THIRD_PARTY:
            del self.fields["third_party_role"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("party_id") is not None and data["party_id"] not in self.party_ids:
            raise ValidationError(_("This party is not part of this application any more. Reload the page."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "party_id": data["party_id"],
            "role": data["role"],
            "name": data["name"],
            "address": data["address"],
            "country_id": data["country"],
            "party_type": data["party_type"],
            "third_party_role": data.get("third_party_role", ""),
        }


def _check_name_matches_content(upload: Any) -> None:
    """A file called euc.pdf that holds a PNG is refused: the officer would open the wrong thing. The service
    checks the content type itself (licensing.services.applications._checked_file); this adds the name."""
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    expected = _EXTENSIONS.get(extension)
    if expected is None:
        return  # unknown or missing extension: the service's content check decides
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in _KIND_LABELS and kind.mime != expected:
        raise ValidationError(
            ERR_NAME_CONTENT_MISMATCH.format(extension=extension, kind=_KIND_LABELS[kind.mime]), code="mismatch"
        )


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=[(k, label) for k, label in DocumentKind.choices if k != DocumentKind.INFORMATION],
        initial=DocumentKind.END_USER_CERTIFICATE,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG. Scan the signed end-user certificate in full, including the stamp."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        _check_name_matches_content(upload)
        return upload


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class InformationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 6}))
    document = forms.FileField(
        label=_("Attach a document"),
        required=False,
        help_text=_("If the question asks for a document: PDF, PNG or JPEG."),
    )

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload:
            _check_name_matches_content(upload)
        return upload


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw the application?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the contract was cancelled. The reason is kept in the case history."),
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, status_choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("All statuses")), *status_choices]


class ShipmentForm(forms.Form):
    licensed_goods = forms.ChoiceField(label=_("Goods"))
    shipped_on = forms.DateField(label=_("Shipment date"), widget=_date_input())
    quantity = forms.DecimalField(label=_("Quantity shipped"), max_digits=14, decimal_places=3)
    value_eur = forms.DecimalField(
        label=_("Value shipped (EUR)"),
        max_digits=16,
        decimal_places=2,
        help_text=_("The invoiced value of this shipment in euros."),
    )

    def __init__(self, *args: Any, goods_choices: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["licensed_goods"]).choices = goods_choices


def ml_category_choices() -> Choices:
    """ML1–ML22 as 'code – short title', read once per page (reference data, a handful of rows)."""
    from licensing.models import MLCategory

    return [(c.code, f"{c.code} – {c.local_title}") for c in MLCategory.objects.order_by("number")]


def un_register_choices() -> Choices:
    """The UN Register categories (I-VII, small arms) as 'code – title' (reference data, a handful of rows)."""
    from licensing.models import UNRegisterCategory

    return [(c.code, f"{c.code} – {c.title}") for c in UNRegisterCategory.objects.order_by("code")]


def country_choices() -> Choices:
    from parties.models import Country

    return [(c.iso2, c.name) for c in Country.objects.order_by(field_in_language(en="name_en", nl="name_nl"))]
