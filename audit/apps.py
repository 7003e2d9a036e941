from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")  # the admin's heading, in the user's language
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        from .admin_guard import check_protected_admins
        from .guards import guard_after_migrate

        checks.register(check_protected_admins, checks.Tags.admin)
        # Migrations add history tables after audit's own guard migration ran; guard them all after migrate.
        post_migrate.connect(guard_after_migrate, sender=self)
