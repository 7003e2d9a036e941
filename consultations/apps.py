from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Treaty consultations")  # the admin's heading, in the user's language
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The treaty panel; objections to approve on the home page; the cached dashboard filter list cleared.
        from . import caches, home_sections, panels  # noqa: F401
