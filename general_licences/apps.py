from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeneralLicencesConfig(AppConfig):
    name = "general_licences"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("General licences")
