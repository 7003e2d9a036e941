from django.apps import AppConfig


class SeedingConfig(AppConfig):
    """Reference data, the demo and the bulk register: they fill every app, so they sit above all of them
    (the layers in .importlinter; nothing imports this package)."""

    name = "seeding"
    default_auto_field = "django.db.models.BigAutoField"
