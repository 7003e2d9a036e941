from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The treaty panel; objections to approve on the home page; the cached dashboard filter list cleared.
        from . import caches, home_sections, panels  # noqa: F401
