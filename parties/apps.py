from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "parties"
    default_auto_field = "django.db.models.BigAutoField"
