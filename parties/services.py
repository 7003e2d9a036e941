"""Writes for organisations and people. Each public service is one durable transaction with its audit event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from audit.models import Verb
from audit.services import record
from core.exceptions import DomainValidationError, TransitionNotAllowed
from core.i18n import gettext_lazy
from core.roles import Role

from .models import Organisation, OrganisationStatus, User

ERR_EMAIL_TAKEN = gettext_lazy("A user with this e-mail address already exists.")
ERR_ORG_NOT_PENDING = gettext_lazy("Only a registration that is awaiting approval can be approved or rejected.")
ERR_REASON_REQUIRED = gettext_lazy("Give a reason.")


def _create_user(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None,
    roles: list[Role],
    organisation: Organisation | None = None,
    is_org_admin: bool = False,
    is_staff: bool = False,
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
        is_staff=is_staff,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    return user


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
) -> User:
    """Create a user with roles (administrators create staff; the onboarding flow creates exporters)."""
    user = _create_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        password=password,
        roles=roles,
        organisation=organisation,
        is_org_admin=is_org_admin,
        is_staff=Role.ADMINISTRATOR in roles,
    )
    record(actor=actor, verb=Verb.ROLE_GRANTED, target=user, payload={"roles": [r.value for r in roles]})
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
        roles=[Role.EXPORTER],
        organisation=organisation,
        is_org_admin=True,
    )
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
    record(actor=actor, verb=verb, target=organisation, reason=reason)
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
    if not reason.strip():
        raise DomainValidationError(ERR_REASON_REQUIRED, field_errors={"reason": [ERR_REASON_REQUIRED]})
    return _decide_registration(
        actor=actor,
        organisation_id=organisation_id,
        status=OrganisationStatus.REJECTED,
        reason=reason,
        verb=Verb.ORGANISATION_REJECTED,
    )
