"""Forms for certificates: an end-user certificate entered as data, and a certificate of integration received."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .portal import _check_name_matches_content


class EndUserCertificateForm(forms.Form):
    issuer = forms.CharField(
        label=_("Issued by"), max_length=300, help_text=_("The authority or end user that signed it.")
    )
    number = forms.CharField(label=_("Certificate number"), max_length=100)
    issued_on = forms.DateField(label=_("Date of issue"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    re_export_clause = forms.BooleanField(
        label=_("Re-export only with the exporting state's prior consent"), required=False
    )
    end_user_name = forms.CharField(label=_("End user named in the certificate"), max_length=300)
    end_user_country = forms.ChoiceField(label=_("End user's country"))

    def __init__(self, *args: Any, country_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["end_user_country"]).choices = [("", "—"), *country_choices]


class IntegrationCertificateForm(forms.Form):
    issuer = forms.CharField(label=_("Issued by (integrating company)"), max_length=300)
    number = forms.CharField(label=_("Certificate number"), max_length=100)
    issued_on = forms.DateField(label=_("Date of issue"), widget=forms.DateInput(attrs={"type": "date"}))
    file = forms.FileField(label=_("Signed certificate (PDF, PNG or JPEG)"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            _check_name_matches_content(upload)
        return upload
