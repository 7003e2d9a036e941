from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        from .admin_guard import check_protected_admins
        from .guards import guard_after_migrate

        checks.register(check_protected_admins, checks.Tags.admin)
        # Migrations add history tables after audit's own guard migration ran; guard them all after migrate.
        post_migrate.connect(guard_after_migrate, sender=self)
