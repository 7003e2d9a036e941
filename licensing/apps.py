from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "licensing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the system check and the features' hooks into the licensing flow (submission hooks,
        # decision blockers, four-eyes reasons, case-page panels).
        from . import assessment_hooks, checks, home_sections, treaty_hooks  # noqa: F401
