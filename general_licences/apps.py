from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeneralLicencesConfig(AppConfig):
    name = "general_licences"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("General licences")

    def ready(self) -> None:
        # The system check of the registrations' status table.
        from . import checks  # noqa: F401
