from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import home_sections, panels  # noqa: F401  (the treaty panel; objections to approve on the home page)
