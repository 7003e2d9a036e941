"""Exporter portal: copy an application as a new draft (licensing.services.reuse)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ..selectors import application_get_for
from ..services.reuse import application_copy
from .exporter import PortalView


class ApplicationCopyView(PortalView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = application_get_for(user=request.user, pk=pk)
        copy = application_copy(actor=request.user, application_id=source.pk)
        messages.success(
            request,
            _("%(reference)s is a copy of %(source)s: check the goods and parties, and upload current documents.")
            % {"reference": copy.reference, "source": source.reference},
        )
        return redirect("portal:application_detail", pk=copy.pk)
