from django.apps import AppConfig


class GeneralLicencesConfig(AppConfig):
    name = "general_licences"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "General licences"

    def ready(self) -> None:
        # The system check of the registrations' status table.
        from . import checks  # noqa: F401
