"""The officer's Awb 4:14(3) notice of delay (licensing.services.awb)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.exceptions import DomainError
from core.views.mixins import CapabilityRequiredMixin

from ..selectors_queue import case_get_for
from ..services.awb import delay_notice_send


class DelayNoticeForm(forms.Form):
    new_expected_on = forms.DateField(
        label=gettext_lazy("Decision now expected by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=gettext_lazy("Why the decision takes longer"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseDelayNoticeView(CapabilityRequiredMixin, View):
    capability = "casework.use"
    template_name = "licensing/casework/awb/delay_notice.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = case_get_for(user=request.user, pk=pk)
        form = DelayNoticeForm(initial={"version": application.version})
        return render(request, self.template_name, {"application": application, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = case_get_for(user=request.user, pk=pk)
        form = DelayNoticeForm(request.POST)
        if form.is_valid():
            try:
                delay_notice_send(
                    actor=request.user,
                    application_id=application.pk,
                    new_expected_on=form.cleaned_data["new_expected_on"],
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as exc:
                for field, errors in (exc.field_errors or {"__all__": [exc.message]}).items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                context = {"application": application, "form": form}
                return render(request, self.template_name, context, status=exc.status_code)
            messages.success(request, _("Notice of delay sent to the exporter."))
            return redirect("casework:case_detail", pk=application.pk)
        return render(request, self.template_name, {"application": application, "form": form}, status=400)
