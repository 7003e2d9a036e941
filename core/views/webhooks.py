"""The organisation administrator's webhook page in the portal (/portal/webhooks/): register an endpoint (the
secret is shown once, on the page that answers the registration), rotate its secret, disable it, and see every
delivery attempt. The same services as /api/v1/webhooks/ (core/webhooks.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from core.exceptions import DomainError
from core.views.mixins import CapabilityRequiredMixin
from core.webhooks import (
    Registered,
    webhook_delivery_list_for,
    webhook_endpoint_disable,
    webhook_endpoint_list_for,
    webhook_endpoint_register,
    webhook_endpoint_rotate_secret,
)

RECENT_DELIVERIES = 50


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Endpoint URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Your system's https:// address that receives the events as signed JSON."),
    )


class WebhookListView(CapabilityRequiredMixin, View):
    capability = "portal.webhooks"
    template_name = "core/webhooks.html"

    def _page(
        self, request: HttpRequest, form: WebhookForm, *, shown: Registered | None = None, status: int = 200
    ) -> HttpResponse:
        user: Any = request.user
        deliveries = webhook_delivery_list_for(user=user).order_by("-id")[:RECENT_DELIVERIES]
        context = {
            "form": form,
            "endpoints": webhook_endpoint_list_for(user=user),
            "deliveries": deliveries,
            "shown": shown,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, WebhookForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WebhookForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        try:
            registered = webhook_endpoint_register(actor=request.user, url=form.cleaned_data["url"])
        except DomainError as exc:
            for message in exc.field_errors.get("url", [exc.message]):
                form.add_error("url", message)
            return self._page(request, form, status=exc.status_code)
        return self._page(request, WebhookForm(), shown=registered, status=201)


class WebhookRotateView(CapabilityRequiredMixin, View):
    capability = "portal.webhooks"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        rotated = webhook_endpoint_rotate_secret(actor=request.user, endpoint_id=pk)
        return WebhookListView()._page(request, WebhookForm(), shown=rotated)


class WebhookDisableView(CapabilityRequiredMixin, View):
    capability = "portal.webhooks"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        endpoint = webhook_endpoint_disable(actor=request.user, endpoint_id=pk)
        messages.success(request, gettext("%(url)s receives no more events.") % {"url": endpoint.url})
        return redirect("portal:webhooks")
