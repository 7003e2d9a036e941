from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "parties"
    verbose_name = _("Parties and accounts")  # the admin's heading, in the user's language
    default_auto_field = "django.db.models.BigAutoField"
