from django.urls import path

from .views.health import healthz
from .views.home import home
from .views.notifications import notification_list, notifications_mark_read

urlpatterns = [
    path("", home, name="home"),
    path("notifications/", notification_list, name="notifications"),
    path("notifications/read/", notifications_mark_read, name="notifications_mark_read"),
    path("healthz", healthz, name="healthz"),
]
