"""What may this user see and do? The one module that answers, for views and API alike.

Each capability is a named `rules` permission built from role predicates. Views declare the capability
they need (core.views.RoleRequiredMixin / core.api.DenyUnlessDeclared); anything undeclared is denied.
Object-level confinement (an exporter sees only their own organisation's data) lives in the selectors,
which scope querysets and answer 404 for missing and forbidden alike.
"""

from __future__ import annotations

from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from .exceptions import NotAllowed
from .roles import STAFF_ROLES, Role


def roles_of(user: Any) -> frozenset[str]:
    """The user's role names, read once per user object (one query per request)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_register_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {Role.ADMINISTRATOR.value}
        user._register_roles = cached
    return cached


def _has_role(*roles: Role) -> rules.Predicate:
    wanted = frozenset(r.value for r in roles)

    def predicate(user: Any) -> bool:
        return bool(roles_of(user) & wanted)

    predicate.__name__ = "has_role_" + "_or_".join(r.value for r in roles)
    return rules.predicate(predicate)


is_exporter = _has_role(Role.EXPORTER)
is_officer = _has_role(Role.OFFICER, Role.SENIOR_OFFICER)
is_senior_officer = _has_role(Role.SENIOR_OFFICER)
is_policy_adviser = _has_role(Role.POLICY_ADVISER)
is_reporting_staff = _has_role(Role.REPORTING)
is_administrator = _has_role(Role.ADMINISTRATOR)


@rules.predicate
def is_staff_member(user: Any) -> bool:
    return bool(roles_of(user) & {r.value for r in STAFF_ROLES})


@rules.predicate
def belongs_to_organisation(user: Any) -> bool:
    return bool(getattr(user, "organisation_id", None))


@rules.predicate
def organisation_not_rejected(user: Any) -> bool:
    """A rejected company's people keep no portal: their drafts are closed to them (issue 14)."""
    org = getattr(user, "organisation", None)
    return bool(org and org.status != "rejected")


@rules.predicate
def organisation_is_approved(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return bool(org and org.is_approved)


@rules.predicate
def is_organisation_admin(user: Any) -> bool:
    return bool(getattr(user, "is_org_admin", False))


# Capability table: the single declaration of who may do what.
CAPABILITIES: dict[str, rules.Predicate] = {
    # Exporter portal
    "portal.use": is_exporter & belongs_to_organisation & organisation_not_rejected,
    "portal.submit": is_exporter & belongs_to_organisation & organisation_is_approved,
    # Uploads and API tokens only once the company is approved (issue 14: a pending one stored without limit)
    "portal.upload": is_exporter & belongs_to_organisation & organisation_is_approved,
    # API tokens: an approved company's people, and staff (case work and reports over the API, issue 18)
    "portal.api_token": (is_exporter & belongs_to_organisation & organisation_is_approved) | is_staff_member,
    "portal.invite_colleague": is_exporter & is_organisation_admin & organisation_is_approved,
    # Events for the company's own systems: the feed for its people and tokens, webhooks for its administrator.
    "portal.events": is_exporter & belongs_to_organisation & organisation_not_rejected,
    "portal.webhooks": is_exporter & is_organisation_admin & organisation_is_approved,
    # Case work
    "casework.use": is_officer,
    "casework.countersign": is_senior_officer,
    "casework.advise": is_policy_adviser,
    "casework.view_case": is_officer | is_policy_adviser,
    "organisations.review": is_officer,
    # Consultations with other states
    "consultations.use": is_officer,
    "consultations.approve_objection": is_senior_officer,
    # Reports
    "reports.aggregates": is_reporting_staff | is_officer | is_administrator,
    "reports.confidential": is_officer | is_administrator,
    # Accelerated information to parliament: the ministry's reporting staff and officers see the flagged decisions,
    # download the draft letters and mark them sent (licensing.parliament_rules).
    "reports.parliament": is_reporting_staff | is_officer,
    # Administration
    "admin.reference_data": is_administrator,
    "admin.roles": is_administrator,
    "audit.view": is_officer | is_administrator,
    # Operations: which dependency is down (the public /healthz says only up, degraded or down)
    "health.details": is_staff_member,
    # Anyone signed in: their own notifications (scoped by core.api_notifications.notification_list_for).
    "notifications.view": rules.is_authenticated,
}

# Routes anyone may open WITHOUT logging in (LoginRequiredMiddleware denies everything else). Each view here is
# marked login_not_required and declares no capability; tests/security/test_authorization_matrix.py checks that
# exactly these routes answer anonymous visitors. Route name -> why it may be public.
PUBLIC_ROUTES: dict[str, str] = {
    "healthz": "health check for the load balancer; says nothing about the register",
    "set_language": "choosing the interface language",
    "portal:register": "a company registers itself before it has an account",
    "portal:register_done": "confirmation of that registration",
    "reports:open_data_monthly": "the monthly licence overview the ministry publishes (published columns only)",
    # Signing in through eHerkenning (SAML) and the staff SSO (OpenID Connect): before there is a session.
    "saml2_login": "starts an eHerkenning sign-in (404 while no broker is configured)",
    "saml2_acs": "receives the broker's signed assertion",
    "saml2_metadata": "the register's SAML metadata for the broker",
    "oidc_authentication_init": "starts a staff SSO sign-in (404 while no provider is configured)",
    "oidc_authentication_callback": "receives the provider's answer",
}

for _name, _predicate in CAPABILITIES.items():
    rules.add_perm(_name, _predicate)


def can(user: Any, capability: str, obj: Any = None) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}: declare it in core.access.CAPABILITIES")
    return bool(CAPABILITIES[capability].test(user, obj) if obj is not None else CAPABILITIES[capability].test(user))


ERR_NOT_ALLOWED = _("Your role does not allow this.")
ERR_NOT_OFFICER = _("Only licensing officers can do this.")
ERR_SAME_PERSON = _("You proposed this; a different senior officer must countersign it (four eyes).")


def require(user: Any, capability: str, message: Any = ERR_NOT_ALLOWED) -> None:
    """The one guard of services: NotAllowed (403) unless the user holds the capability."""
    if not can(user, capability):
        raise NotAllowed(str(message))


def require_officer(user: Any) -> None:
    require(user, "casework.use", ERR_NOT_OFFICER)


def require_second_person(*, proposer_id: int | None, actor: Any, message: Any = ERR_SAME_PERSON) -> None:
    """Four eyes: whoever proposed a decision (or an emergency-brake objection) never also approves it."""
    if proposer_id is not None and proposer_id == getattr(actor, "pk", None):
        raise NotAllowed(str(message))
