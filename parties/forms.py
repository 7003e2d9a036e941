"""Forms for company onboarding and inviting colleagues. Services in parties.services decide; these parse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from allauth.account.forms import default_token_generator
from allauth.account.internal.flows.password_reset import get_reset_password_from_key_url
from allauth.account.utils import user_pk_to_url_str
from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError
from core.i18n import field_in_language

from .models import HOME_STATE, Country, User, kvk_validator

ERR_PASSWORDS_DIFFER = _("The two passwords are not the same.")


def apply_errors(
    form: forms.Form, exc: DomainError | ValidationError, *, renamed: dict[str, str] | None = None
) -> None:
    """Put a service's (or full_clean's) errors on the form's fields; unknown fields become form errors.
    (licensing.forms.portal has the same helper; parties does not import from licensing.)"""
    renamed = renamed or {}
    if isinstance(exc, DomainError):
        by_field: dict[str, list[str]] = exc.field_errors or {"__all__": [exc.message]}
    else:
        by_field = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": list(exc.messages)}
    for field, messages in by_field.items():
        target = renamed.get(field, field)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


class OrganisationRegisterForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200, help_text=_("As registered with the KvK."))
    kvk_number = forms.CharField(
        label=_("KvK number"),
        max_length=20,
        help_text=_("The 8-digit number of your company in the Dutch Chamber of Commerce (KvK) register."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Address"), widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"})
    )
    country = forms.ChoiceField(label=_("Country of establishment"), initial=HOME_STATE)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The contact person's address. It is also your log-in name."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=_("Phone number"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})
    )
    first_name = forms.CharField(
        label=_("Your first name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Your last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            (c.iso2, c.name) for c in Country.objects.order_by(field_in_language(en="name_en", nl="name_nl"))
        ]

    def clean_kvk_number(self) -> str:
        # People copy the number with spaces or dots from the KvK extract ("1234 5678"); the register keeps digits.
        value = "".join(ch for ch in self.cleaned_data["kvk_number"] if ch not in " .")
        kvk_validator(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ERR_PASSWORDS_DIFFER)
        elif password1:
            # The similarity validator compares with the person's own name and e-mail address.
            candidate = User(
                username=data.get("contact_email", ""),
                email=data.get("contact_email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                validate_password(password1, user=candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ColleagueInviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("We send your colleague a link to choose their own password.")
    )


class InvitationEmailForm(PasswordResetForm):
    """Django's password-reset e-mail, sent to a colleague who has no password yet.

    PasswordResetForm skips users without a usable password (a reset must not let someone take over an account
    that was deliberately locked); an invited colleague has none yet, so we name the one user to write to. The
    link is allauth's reset-by-key page, the one the register's log-in flow uses.
    """

    def __init__(self, *args: Any, invited: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invited = invited
        self.request = request

    def get_users(self, email: str) -> Iterator[Any]:
        if self.invited.is_active and self.invited.email.lower() == email.lower():
            yield self.invited

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        key = f"{user_pk_to_url_str(context['user'])}-{context['token']}"
        context["invite_url"] = get_reset_password_from_key_url(self.request, key)
        super().send_mail(
            subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name
        )

    def send_invitation(self, *, inviter: Any) -> None:
        self.save(
            request=self.request,
            subject_template_name="parties/email/invitation_subject.txt",
            email_template_name="parties/email/invitation_body.txt",
            token_generator=default_token_generator,
            extra_email_context={"inviter": inviter, "organisation": inviter.organisation},
        )
