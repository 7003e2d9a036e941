from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = _("Licensing")  # the admin's heading, in the user's language
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The system check of the status tables, licensing's own case-page panels and its home-page sections; the
        # receivers that refresh the destination flags when a membership changes.
        from . import (  # noqa: F401
            awb_panel,
            certificate_panel,
            checks,
            earlier_decisions,
            home_sections,
            objection_panel,
            panels,
            receivers,
        )
