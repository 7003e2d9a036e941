from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "licensing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The system check of the status tables, and licensing's own case-page panels.
        from . import awb_panel, checks, earlier_decisions, objection_panel, panels  # noqa: F401
