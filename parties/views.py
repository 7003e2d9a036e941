"""Company onboarding (public) and colleagues of an organisation. Routed in licensing/urls/portal.py (`portal:`).

Thin views: the form parses, parties.services writes (one durable transaction with its audit event).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters

from core.exceptions import DomainError
from core.roles import Role
from core.views.mixins import CapabilityRequiredMixin

from .forms import ColleagueInviteForm, InvitationEmailForm, OrganisationRegisterForm, apply_errors
from .services import organisation_register, user_create


@method_decorator(login_not_required, name="dispatch")
@method_decorator(sensitive_post_parameters("password1", "password2"), name="dispatch")
class OrganisationRegisterView(View):
    """A company registers itself; the licensing authority checks it before the company may submit."""

    template_name = "parties/register.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": OrganisationRegisterForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OrganisationRegisterForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                organisation = organisation_register(
                    name=data["name"],
                    kvk_number=data["kvk_number"],
                    address=data["address"],
                    country_id=data["country"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                    admin_first_name=data["first_name"],
                    admin_last_name=data["last_name"],
                    admin_password=data["password1"],
                )
            except (DomainError, ValidationError) as exc:
                apply_errors(form, exc, renamed={"email": "contact_email", "country_id": "country"})
            else:
                request.session["registered_organisation"] = organisation.name
                return redirect("portal:register_done")
        return render(request, self.template_name, {"form": form}, status=400)


@method_decorator(login_not_required, name="dispatch")
class OrganisationRegisterDoneView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        name = request.session.get("registered_organisation", "")
        return render(request, "parties/register_done.html", {"organisation_name": name})


class ColleagueInviteView(CapabilityRequiredMixin, View):
    """An organisation's administrator lists colleagues and invites new ones (who set their own password)."""

    capability = "portal.invite_colleague"
    template_name = "parties/colleagues.html"

    def _page(self, request: HttpRequest, form: ColleagueInviteForm, status: int = 200) -> HttpResponse:
        user: Any = request.user
        colleagues = user.organisation.members.order_by("last_name", "first_name")
        return render(
            request,
            self.template_name,
            {"form": form, "colleagues": colleagues, "organisation": user.organisation},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, ColleagueInviteForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        inviter: Any = request.user
        form = ColleagueInviteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                colleague = user_create(
                    actor=inviter,
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    roles=[Role.EXPORTER],
                    organisation=inviter.organisation,
                )
            except (DomainError, ValidationError) as exc:
                apply_errors(form, exc)
            else:
                # The user row is committed (user_create is durable); the e-mail follows it.
                invitation = InvitationEmailForm({"email": colleague.email}, invited=colleague, request=request)
                if invitation.is_valid():
                    invitation.send_invitation(inviter=inviter)
                messages.success(
                    request,
                    _("We sent %(name)s an invitation at %(email)s to choose a password.")
                    % {"name": colleague.get_full_name(), "email": colleague.email},
                )
                return redirect("portal:colleague_invite")
        return self._page(request, form, status=400)
