from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.models import Notification


def notification_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    page = Paginator(Notification.objects.filter(user=user), 25).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")
