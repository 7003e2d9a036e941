"""Privilege changes are case data (issue 14): roles change only through the role services, with an audit event
naming who gave what to whom and why; administrators do no case work; officer, senior officer and administrator
roles need a second administrator; the web admin cannot set roles or `is_superuser`."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from audit.models import AuditEvent, Verb
from audit.services import verify_chain
from core.access import can
from core.exceptions import DomainValidationError, NotAllowed
from core.roles import Role
from parties.models import RoleGrant, RoleGrantStatus
from parties.services import (
    ERR_ADMIN_CASEWORK,
    ERR_CASEWORKER_ADMIN,
    ERR_FOUR_EYES,
    ERR_SELF_CASEWORK,
    role_grant,
    role_grant_approve,
    role_grant_refuse,
    role_revoke,
)
from tests.factories import UserFactory
from tests.security.forms_templates import make_form_templates_available

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _admin_templates(settings):  # type: ignore[no-untyped-def]
    make_form_templates_available(settings)


@pytest.fixture
def administrator2(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="bert", roles=[Role.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def newcomer(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="nina", roles=[])


def _fresh(user):  # type: ignore[no-untyped-def]
    return type(user).objects.get(pk=user.pk)  # roles are read once per user object


def test_admin_user_form_cannot_give_the_administrator_a_senior_role_or_superuser(client_for, administrator):
    client = client_for(administrator)
    senior_group = Group.objects.get(name=Role.SENIOR_OFFICER.value)
    page = client.get(f"/admin/parties/user/{administrator.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="groups"' not in page.content.decode()

    client.post(
        f"/admin/parties/user/{administrator.pk}/change/",
        {
            "username": administrator.username,
            "email": administrator.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [senior_group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )

    administrator = _fresh(administrator)
    assert not administrator.is_superuser
    assert not administrator.groups.filter(name=Role.SENIOR_OFFICER.value).exists()
    assert client.get("/casework/").status_code == 403


def test_administrator_cannot_give_themselves_a_case_work_role(administrator):
    with pytest.raises(DomainValidationError) as refused:
        role_grant(actor=administrator, user_id=administrator.pk, role=Role.POLICY_ADVISER, reason="short-staffed")
    assert refused.value.field_errors == {"role": [str(ERR_SELF_CASEWORK)]}
    assert not RoleGrant.objects.exists()


def test_administrator_cannot_give_another_administrator_a_case_work_role(administrator, administrator2):
    with pytest.raises(DomainValidationError) as refused:
        role_grant(actor=administrator, user_id=administrator2.pk, role=Role.OFFICER, reason="cover")
    assert refused.value.message == str(ERR_ADMIN_CASEWORK)


def test_officer_cannot_be_made_administrator(administrator, officer):
    with pytest.raises(DomainValidationError) as refused:
        role_grant(actor=administrator, user_id=officer.pk, role=Role.ADMINISTRATOR, reason="help with the admin")
    assert refused.value.message == str(ERR_CASEWORKER_ADMIN)


def test_senior_role_waits_for_a_second_administrator_and_the_chain_names_all_three(
    client_for, administrator, administrator2, newcomer
):
    grant = role_grant(actor=administrator, user_id=newcomer.pk, role=Role.SENIOR_OFFICER, reason="new team lead")

    assert grant.status == RoleGrantStatus.PENDING
    assert not can(_fresh(newcomer), "casework.countersign")  # nothing given yet
    with pytest.raises(NotAllowed, match=str(ERR_FOUR_EYES)):
        role_grant_approve(actor=administrator, grant_id=grant.pk)  # not the one who asked

    role_grant_approve(actor=administrator2, grant_id=grant.pk, reason="checked with HR")

    assert can(_fresh(newcomer), "casework.countersign")
    assert client_for(_fresh(newcomer)).get("/casework/").status_code == 200
    events = list(AuditEvent.objects.filter(target_id=str(newcomer.pk)).order_by("sequence"))
    assert [(e.verb, e.actor_id, e.reason) for e in events] == [
        (Verb.ROLE_GRANT_REQUESTED, administrator.pk, "new team lead"),
        (Verb.ROLE_GRANTED, administrator2.pk, "checked with HR"),
    ]
    assert events[1].payload == {
        "role": "senior_licensing_officer",
        "user": "nina",
        "requested_by": "ada",
        "decided_by": "bert",
        "status": "approved",
    }
    assert verify_chain().ok


def test_the_person_a_grant_is_for_cannot_approve_it(administrator, administrator2):
    grant = role_grant(actor=administrator, user_id=administrator2.pk, role=Role.REPORTING, reason="reports")
    assert grant.status == RoleGrantStatus.APPROVED  # reporting is no case work and needs no second administrator
    newcomer = UserFactory(username="noor", roles=[Role.ADMINISTRATOR], is_staff=True)
    request = role_grant(actor=administrator, user_id=UserFactory(username="x").pk, role=Role.OFFICER, reason="r")
    with pytest.raises(NotAllowed):
        role_grant_approve(actor=UserFactory(username="y", roles=[Role.OFFICER]), grant_id=request.pk)
    role_grant_refuse(actor=newcomer, grant_id=request.pk, reason="not on the team list")
    assert RoleGrant.objects.get(pk=request.pk).status == RoleGrantStatus.REFUSED


def test_revoking_a_role_takes_effect_at_once_with_its_reason_in_the_chain(administrator, officer):
    role_revoke(actor=administrator, user_id=officer.pk, role=Role.OFFICER, reason="left the department")

    assert not can(_fresh(officer), "casework.use")
    event = AuditEvent.objects.get(verb=Verb.ROLE_REVOKED)
    assert (event.actor_id, event.reason, event.payload["role"]) == (
        administrator.pk,
        "left the department",
        "licensing_officer",
    )


def test_admin_grant_form_shows_the_refusal_as_a_field_error(client_for, administrator):
    response = client_for(administrator).post(
        "/admin/parties/rolegrant/add/",
        {"user": administrator.pk, "role": Role.OFFICER.value, "reason": "I will do it myself"},
    )
    assert response.status_code == 200
    assert str(ERR_SELF_CASEWORK) in response.content.decode()
    assert not RoleGrant.objects.exists()


def test_admin_grant_form_and_approval_action_give_the_role_with_two_administrators(
    client_for, administrator, administrator2, newcomer
):
    response = client_for(administrator).post(
        "/admin/parties/rolegrant/add/", {"user": newcomer.pk, "role": Role.OFFICER.value, "reason": "new hire"}
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get()
    assert grant.status == RoleGrantStatus.PENDING

    client_for(administrator2).post(
        "/admin/parties/rolegrant/", {"action": "approve_selected", "_selected_action": [grant.pk]}
    )

    assert RoleGrant.objects.get().status == RoleGrantStatus.APPROVED
    assert can(_fresh(newcomer), "casework.use")


def test_seeded_accounts_get_their_roles_through_approved_grants_with_audit_events(db):
    """Item 6 of issue 13/14's follow-up: the demo's staff are given their roles by the system path of the role
    grant services, never by a bare group change: one approved RoleGrant and one `role.granted` event each."""
    from core.roles_setup import roles_sync
    from parties.services import user_create

    roles_sync()
    user = user_create(
        actor=None, email="senior@demo.example", first_name="Sam", last_name="Senior",
        roles=[Role.SENIOR_OFFICER], password="register-demo-2026", system=True, reason="Demo account.",
    )  # fmt: skip
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.status, grant.requested_by_id, grant.reason) == (
        Role.SENIOR_OFFICER,
        RoleGrantStatus.APPROVED,
        None,
        "Demo account.",
    )
    assert set(user.groups.values_list("name", flat=True)) == {Role.SENIOR_OFFICER.value}
    event = AuditEvent.objects.get(verb=Verb.ROLE_GRANTED, target_id=str(user.pk))
    assert (event.actor_id, event.payload["role"], event.payload["requested_by"]) == (
        None,
        Role.SENIOR_OFFICER.value,
        "system",
    )


def test_a_company_administrator_cannot_create_a_staff_account(exporter_a):
    from parties.services import user_create

    with pytest.raises(NotAllowed):
        user_create(
            actor=exporter_a, email="mole@alpha.example", first_name="M", last_name="Ole", roles=[Role.OFFICER],
            organisation=exporter_a.organisation,
        )  # fmt: skip
    colleague = user_create(
        actor=exporter_a, email="colleague@alpha.example", first_name="C", last_name="Olleague",
        roles=[Role.EXPORTER], organisation=exporter_a.organisation,
    )  # fmt: skip
    assert RoleGrant.objects.get(user=colleague).requested_by_id == exporter_a.pk
