from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")  # the admin's heading, in the user's language
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import home_sections  # noqa: F401  (the recent-runs worklist on the home page)
