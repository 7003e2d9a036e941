"""Forms of the reuse catalogue (products and saved parties) and the draft page's "choose from" pickers."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from licensing.models import PartyRole, PartyType


class ProductForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=500)
    ml_category = forms.ChoiceField(label=_("Military List category"))
    ml_sub_item = forms.CharField(label=_("Sub-item"), max_length=100, required=False, help_text=_("e.g. ML5.b"))
    part_numbers = forms.CharField(label=_("Part numbers"), max_length=300, required=False)
    is_component = forms.BooleanField(label=_("Component for integration"), required=False)
    technical_file = forms.TypedChoiceField(label=_("Technical file"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, ml_choices: list[Any], file_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ml_category"]).choices = [("", "—"), *ml_choices]
        cast(forms.ChoiceField, self.fields["technical_file"]).choices = [("", _("None")), *file_choices]


class SavedPartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    name = forms.CharField(label=_("Name"), max_length=300)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}))
    country = forms.ChoiceField(label=_("Country"))
    party_type = forms.ChoiceField(label=_("Type"), choices=PartyType.choices)

    def __init__(self, *args: Any, country_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", "—"), *country_choices]
