"""Programmes (treaty Art. 1) and recognised industrial cooperation projects (Art. 2): list, detail, register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.exceptions import DomainError

from ..forms import ProgrammeForm
from ..selectors import application_ids_by_reference, programme_get_for, programme_list_for
from ..services.programmes import programme_save
from .officer import OfficerView, apply_errors

PAGE_SIZE = 25


class ProgrammeListView(OfficerView):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(programme_list_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "consultations/programme_list.html", {"page": page})


class ProgrammeDetailView(OfficerView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = programme_get_for(user=request.user, pk=pk)
        return render(request, "consultations/programme_detail.html", {"programme": programme})


class ProgrammeSaveView(OfficerView):
    """Register a new programme (no pk) or change one."""

    template_name = "consultations/programme_form.html"

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        initial: dict[str, Any] = {}
        programme = programme_get_for(user=request.user, pk=pk) if pk else None
        if programme is not None:
            initial = {
                "name": programme.name,
                "kind": programme.kind,
                "participants": list(programme.participants.all()),
                "recognised_on": programme.recognised_on,
                "description": programme.description,
                "application_references": " ".join(a.reference for a in programme.applications.all()),
            }
        return render(request, self.template_name, {"form": ProgrammeForm(initial=initial), "programme": programme})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        programme = programme_get_for(user=request.user, pk=pk) if pk else None
        form = ProgrammeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            application_ids, unknown = application_ids_by_reference(
                user=request.user, references=data["application_references"]
            )
            if unknown:
                form.add_error("application_references", _("No application has the reference %s.") % ", ".join(unknown))
                return render(request, self.template_name, {"form": form, "programme": programme}, status=400)
            try:
                saved = programme_save(
                    actor=request.user,
                    name=data["name"],
                    kind=data["kind"],
                    participant_ids=[c.pk for c in data["participants"]],
                    description=data["description"],
                    recognised_on=data["recognised_on"],
                    application_ids=application_ids,
                    programme_id=pk,
                )
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Programme saved."))
                return redirect("consultations:programme_detail", pk=saved.pk)
        return render(request, self.template_name, {"form": form, "programme": programme}, status=400)
