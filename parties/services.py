"""Writes for organisations and people. Each public service is one durable transaction with its audit event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from audit.models import Verb
from audit.services import record
from core.access import can, roles_of
from core.exceptions import DomainValidationError, NotAllowed, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.roles import Role

from .models import Organisation, OrganisationStatus, RoleGrant, RoleGrantStatus, User

ERR_EMAIL_TAKEN = gettext_lazy("A user with this e-mail address already exists.")
ERR_ORG_NOT_PENDING = gettext_lazy("Only a registration that is awaiting approval can be approved or rejected.")
ERR_REASON_REQUIRED = gettext_lazy("Give a reason.")


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise DomainValidationError(ERR_REASON_REQUIRED, field_errors={"reason": [ERR_REASON_REQUIRED]})


def _create_user(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    organisation: Organisation | None = None,
    is_org_admin: bool = False,
) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise DomainValidationError(ERR_EMAIL_TAKEN, field_errors={"email": [ERR_EMAIL_TAKEN]})
    user = User(
        username=email.lower(),
        email=email.lower(),
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        is_org_admin=is_org_admin,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def _role_grant_system(*, actor: Any, user: User, role: Role, reason: str) -> RoleGrant:
    """A role the register itself gives, not an administrator's choice, recorded like every other grant.

    Two paths only: a company's own exporter accounts (its registration, and colleagues its administrator invites:
    `requested_by` is that person), and the seeded accounts of a fresh register (seeding: the system actor, with
    `requested_by` None, since there is no administrator yet to ask a second one). Each is an approved RoleGrant
    with its audit event in the hash chain, never a bare group change.
    """
    grant = RoleGrant(
        user=user,
        role=role,
        reason=reason,
        requested_by=actor,
        status=RoleGrantStatus.APPROVED,
        decided_at=timezone.now(),
    )
    grant.save()
    _give_role(user=user, role=role)
    record(actor=actor, verb=Verb.ROLE_GRANTED, target=user, payload=_grant_payload(grant), reason=reason)
    return grant


ERR_STAFF_ROLES_BY_GRANT = gettext_lazy(
    "Staff roles are given through a role grant, which a second administrator approves; create the account first."
)
SEEDED_REASON = "Seeded account of a new register (system)."


@transaction.atomic(durable=True)
def user_create(
    *,
    actor: Any,
    email: str,
    first_name: str,
    last_name: str,
    roles: list[Role],
    password: str | None = None,
    organisation: Organisation | None = None,
    is_org_admin: bool = False,
    system: bool = False,
    reason: str = "",
) -> User:
    """Create a user; every role goes through a RoleGrant with its audit event (role_grant and friends).

    A company's administrator invites colleagues as exporters of that company. Staff roles are only given by
    `role_grant` (four eyes for officer, senior officer and administrator), or, with `system=True`, by the register
    itself to the seeded accounts of a new register (seeding; the actor is then None, the system).
    """
    if system:
        actor = None
    elif any(role != Role.EXPORTER for role in roles):
        raise NotAllowed(str(ERR_STAFF_ROLES_BY_GRANT))
    user = _create_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        organisation=organisation,
        is_org_admin=is_org_admin,
    )
    why = reason or (SEEDED_REASON if system else "Invited by the company's administrator.")
    for role in roles:
        _role_grant_system(actor=actor, user=user, role=role, reason=why)
    return user


@transaction.atomic(durable=True)
def organisation_register(
    *,
    name: str,
    kvk_number: str,
    address: str,
    country_id: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    admin_first_name: str,
    admin_last_name: str,
    admin_password: str,
) -> Organisation:
    """A company registers itself; its first user becomes the organisation administrator."""
    organisation = Organisation(
        name=name,
        kvk_number=kvk_number,
        address=address,
        country_id=country_id,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        status=OrganisationStatus.PENDING,
    )
    organisation.full_clean()
    organisation.save()
    admin = _create_user(
        email=contact_email,
        first_name=admin_first_name,
        last_name=admin_last_name,
        password=admin_password,
        organisation=organisation,
        is_org_admin=True,
    )
    _role_grant_system(actor=None, user=admin, role=Role.EXPORTER, reason="Registered the company.")
    record(
        actor=admin,
        verb=Verb.ORGANISATION_REGISTERED,
        target=organisation,
        payload={"name": name, "kvk_number": kvk_number},
    )
    return organisation


def _decide_registration(
    *, actor: Any, organisation_id: int, status: OrganisationStatus, reason: str, verb: Verb
) -> Organisation:
    # Lock the row: two officers deciding the same registration at once must not both succeed.
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    if organisation.status != OrganisationStatus.PENDING:
        raise TransitionNotAllowed(ERR_ORG_NOT_PENDING)
    organisation.status = status
    organisation.status_reason = reason
    organisation._change_reason = reason or str(verb.label)  # type: ignore[attr-defined]
    organisation.save(update_fields=["status", "status_reason"])
    payload: dict[str, Any] = {}
    if status == OrganisationStatus.REJECTED:
        # A rejected company keeps no way in: its API tokens go now, and core.access closes the portal (and so
        # its drafts) to its people (issue 14: tokens and drafts kept working).
        payload["api_tokens_revoked"] = Token.objects.filter(user__organisation=organisation).delete()[0]
    record(actor=actor, verb=verb, target=organisation, reason=reason, payload=payload)
    return organisation


@transaction.atomic(durable=True)
def organisation_approve(*, actor: Any, organisation_id: int, reason: str = "") -> Organisation:
    return _decide_registration(
        actor=actor,
        organisation_id=organisation_id,
        status=OrganisationStatus.APPROVED,
        reason=reason,
        verb=Verb.ORGANISATION_APPROVED,
    )


@transaction.atomic(durable=True)
def organisation_reject(*, actor: Any, organisation_id: int, reason: str) -> Organisation:
    _require_reason(reason)
    return _decide_registration(
        actor=actor,
        organisation_id=organisation_id,
        status=OrganisationStatus.REJECTED,
        reason=reason,
        verb=Verb.ORGANISATION_REJECTED,
    )


# Privilege changes are case data (issue 14): every grant and revocation of a role goes through these services
# and writes an audit event naming who gave what to whom and why. Separation of duties: administrators do no
# case work, and the roles that decide cases or make administrators need a second administrator (four eyes).
CASEWORK_ROLES = frozenset({Role.OFFICER, Role.SENIOR_OFFICER, Role.POLICY_ADVISER})
FOUR_EYES_ROLES = frozenset({Role.OFFICER, Role.SENIOR_OFFICER, Role.ADMINISTRATOR})

ERR_ROLES_ADMIN_ONLY = _("Only an administrator can change roles.")
ERR_SELF_CASEWORK = _("An administrator cannot give themselves a case-work role.")
ERR_ADMIN_CASEWORK = _("An administrator cannot be given a case-work role.")
ERR_CASEWORKER_ADMIN = _("Someone with a case-work role cannot be made an administrator.")
ERR_ROLE_HELD = _("This person already has this role.")
ERR_ROLE_NOT_HELD = _("This person does not have this role.")
ERR_GRANT_PENDING = _("A request for this role is already waiting for a second administrator.")
ERR_GRANT_NOT_PENDING = _("This request has already been decided.")
ERR_FOUR_EYES = _("A second administrator must decide: not the one who asked, nor the person it is for.")


def role_grant_refusal(*, actor: Any, user: User, role: Role) -> str:
    """Why `actor` may not give `user` the role (empty when they may). Pure: forms show it as a field error."""
    if not can(actor, "admin.roles"):
        return str(ERR_ROLES_ADMIN_ONLY)
    held = roles_of(user)
    if role.value in held:
        return str(ERR_ROLE_HELD)
    if role in CASEWORK_ROLES and user.pk == actor.pk:
        return str(ERR_SELF_CASEWORK)
    if role in CASEWORK_ROLES and Role.ADMINISTRATOR.value in held:
        return str(ERR_ADMIN_CASEWORK)
    if role == Role.ADMINISTRATOR and held & {r.value for r in CASEWORK_ROLES}:
        return str(ERR_CASEWORKER_ADMIN)
    if role in FOUR_EYES_ROLES and RoleGrant.objects.filter(user=user, role=role, status=RoleGrantStatus.PENDING):
        return str(ERR_GRANT_PENDING)
    return ""


def _give_role(*, user: User, role: Role) -> None:
    user.groups.add(Group.objects.get(name=role.value))
    if role == Role.ADMINISTRATOR and not user.is_staff:
        user.is_staff = True  # the Django admin's door; what they may do there is the administrator group's
        user.save(update_fields=["is_staff"])


def _grant_payload(grant: RoleGrant) -> dict[str, Any]:
    return {
        "role": grant.role,
        "user": grant.user.username,
        "requested_by": grant.requested_by.username if grant.requested_by else "system",
        "decided_by": grant.decided_by.username if grant.decided_by else None,
        "status": grant.status,
    }


@transaction.atomic(durable=True)
def role_grant(*, actor: Any, user_id: int, role: Role, reason: str) -> RoleGrant:
    """Give a role, or ask a second administrator to approve it (officer, senior officer, administrator)."""
    _require_reason(reason)
    # Lock the person: two administrators granting at once must both see the other's grant.
    user = User.objects.select_for_update().get(pk=user_id)
    refusal = role_grant_refusal(actor=actor, user=user, role=role)
    if refusal:
        raise DomainValidationError(refusal, field_errors={"role": [refusal]})
    grant = RoleGrant(user=user, role=role, reason=reason, requested_by=actor)
    if role in FOUR_EYES_ROLES:
        grant.save()
        record(actor=actor, verb=Verb.ROLE_GRANT_REQUESTED, target=user, payload=_grant_payload(grant), reason=reason)
        return grant
    grant.status, grant.decided_at = RoleGrantStatus.APPROVED, timezone.now()
    grant.save()
    _give_role(user=user, role=role)
    record(actor=actor, verb=Verb.ROLE_GRANTED, target=user, payload=_grant_payload(grant), reason=reason)
    return grant


def _decide_grant(*, actor: Any, grant_id: int, status: RoleGrantStatus, reason: str) -> RoleGrant:
    # Lock the request: two administrators deciding at once must not both act on it.
    # of=("self",): lock the request row only (requested_by is empty for the system's grants: an outer join).
    grant = RoleGrant.objects.select_for_update(of=("self",)).select_related("user", "requested_by").get(pk=grant_id)
    if not can(actor, "admin.roles"):
        raise NotAllowed(str(ERR_ROLES_ADMIN_ONLY))
    if grant.status != RoleGrantStatus.PENDING:
        raise TransitionNotAllowed(str(ERR_GRANT_NOT_PENDING))
    if actor.pk in (grant.requested_by_id, grant.user_id):
        raise NotAllowed(str(ERR_FOUR_EYES))
    grant.status, grant.decided_by, grant.decided_at = status, actor, timezone.now()
    grant.save(update_fields=["status", "decided_by", "decided_at"])
    return grant


@transaction.atomic(durable=True)
def role_grant_approve(*, actor: Any, grant_id: int, reason: str = "") -> RoleGrant:
    grant = _decide_grant(actor=actor, grant_id=grant_id, status=RoleGrantStatus.APPROVED, reason=reason)
    user = User.objects.select_for_update().get(pk=grant.user_id)
    # Separation of duties is checked again: the person may have become an administrator since the request.
    refusal = role_grant_refusal(actor=grant.requested_by, user=user, role=Role(grant.role))
    if refusal and refusal != str(ERR_GRANT_PENDING):
        raise DomainValidationError(refusal, field_errors={"role": [refusal]})
    _give_role(user=user, role=Role(grant.role))
    record(
        actor=actor, verb=Verb.ROLE_GRANTED, target=user, payload=_grant_payload(grant), reason=reason or grant.reason
    )
    return grant


@transaction.atomic(durable=True)
def role_grant_refuse(*, actor: Any, grant_id: int, reason: str) -> RoleGrant:
    _require_reason(reason)
    grant = _decide_grant(actor=actor, grant_id=grant_id, status=RoleGrantStatus.REFUSED, reason=reason)
    record(actor=actor, verb=Verb.ROLE_GRANT_REFUSED, target=grant.user, payload=_grant_payload(grant), reason=reason)
    return grant


@transaction.atomic(durable=True)
def role_revoke(*, actor: Any, user_id: int, role: Role, reason: str) -> User:
    """Take a role away at once (less privilege needs no second pair of eyes), with an audit event."""
    if not can(actor, "admin.roles"):
        raise NotAllowed(str(ERR_ROLES_ADMIN_ONLY))
    _require_reason(reason)
    user = User.objects.select_for_update().get(pk=user_id)
    group = user.groups.filter(name=role.value).first()
    if group is None:
        raise DomainValidationError(str(ERR_ROLE_NOT_HELD), field_errors={"role": [str(ERR_ROLE_NOT_HELD)]})
    user.groups.remove(group)
    if role == Role.ADMINISTRATOR and user.is_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    record(
        actor=actor,
        verb=Verb.ROLE_REVOKED,
        target=user,
        payload={"role": role.value, "user": user.username},
        reason=reason,
    )
    return user
