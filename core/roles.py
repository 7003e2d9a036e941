"""The roles of the register, as Django groups. One place names them; `core.access` says what each may do."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EXPORTER = "exporter", _("Exporter")
    OFFICER = "licensing_officer", _("Licensing officer")
    SENIOR_OFFICER = "senior_licensing_officer", _("Senior licensing officer")
    POLICY_ADVISER = "policy_adviser", _("Policy adviser (Foreign Affairs)")
    REPORTING = "reporting_staff", _("Reporting staff")
    ADMINISTRATOR = "administrator", _("Administrator")


# Internal staff of the authority; everyone else is an exporter or anonymous.
STAFF_ROLES = frozenset({Role.OFFICER, Role.SENIOR_OFFICER, Role.POLICY_ADVISER, Role.REPORTING, Role.ADMINISTRATOR})
