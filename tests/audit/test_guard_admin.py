"""Admin protections (audit/admin_guard.py): decided applications and issued licences can be viewed in the admin,
never changed, reverted or deleted; a system check flags an admin for such a model that lacks the guard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.utils import timezone

from audit.admin_guard import ProtectedRecordAdminMixin, check_protected_admins, is_protected_record
from audit.models import AuditEvent
from core.roles import Role
from licensing.models import Application, ApplicationStatus, Licence, LicenceType
from tests.factories import UserFactory, submitted_application
from tests.security.forms_templates import make_form_templates_available

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

BASE = "/guarded-admin/licensing"


@pytest.fixture(autouse=True)
def _settings(settings):  # type: ignore[no-untyped-def]
    settings.REGISTER_STAFF_MFA_REQUIRED = False
    make_form_templates_available(settings)


@pytest.fixture
def superuser(db):  # type: ignore[no-untyped-def]
    # With roles the factory saves the hashed password; without, force_login's session would not hold.
    return UserFactory(username="root", is_staff=True, is_superuser=True, roles=[Role.ADMINISTRATOR])


@pytest.fixture
def approved(exporter_a) -> Application:  # type: ignore[no-untyped-def]
    return submitted_application(
        organisation=exporter_a.organisation, created_by=exporter_a, status=ApplicationStatus.APPROVED
    )


@pytest.fixture
def draft(exporter_a) -> Application:  # type: ignore[no-untyped-def]
    return submitted_application(
        organisation=exporter_a.organisation, created_by=exporter_a, status=ApplicationStatus.DRAFT
    )


@pytest.fixture
def licence(approved, officer) -> Licence:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return Licence.objects.create(
        number="NL-EX-2026-000001",
        application=approved,
        organisation=approved.organisation,
        licence_type=LicenceType.INDIVIDUAL_EXPORT,
        destination_id="NO",
        valid_from=today,
        valid_until=today + timedelta(days=730),
        issued_by=officer,
        issued_at=timezone.now(),
    )


def test_decided_application_cannot_be_deleted_when_using_the_admin(client_for, superuser, approved):
    client = client_for(superuser)
    assert client.get(f"{BASE}/application/{approved.pk}/delete/").status_code == 403
    assert client.post(f"{BASE}/application/{approved.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Application.objects.filter(pk=approved.pk).exists()


def test_decided_application_is_view_only_when_opened_in_the_admin(client_for, superuser, approved):
    client = client_for(superuser)
    page = client.get(f"{BASE}/application/{approved.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(f"{BASE}/application/{approved.pk}/change/", {"title": "Rewritten"})
    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.title != "Rewritten"


def test_decided_application_cannot_be_reverted_to_its_draft_version_when_using_the_history(
    client_for, superuser, approved
):
    # simple-history would let anyone who may view the history post a revert, judged by the old version.
    first_version = approved.history.earliest()
    url = f"{BASE}/application/{approved.pk}/history/{first_version.history_id}/"
    response = client_for(superuser).post(url, {"title": "Reverted", "status": "draft"})
    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.status == ApplicationStatus.APPROVED


def test_bulk_delete_leaves_the_decided_application_when_it_is_among_the_selection(
    client_for, superuser, approved, draft
):
    response = client_for(superuser).post(
        f"{BASE}/application/",
        {"action": "delete_selected", "_selected_action": [approved.pk, draft.pk], "post": "yes"},
    )
    assert response.status_code in (200, 403)
    assert Application.objects.filter(pk=approved.pk).exists()


def test_draft_application_can_still_be_deleted_when_using_the_admin(client_for, superuser, draft):
    client = client_for(superuser)
    assert client.get(f"{BASE}/application/{draft.pk}/delete/").status_code == 200


def test_issued_licence_cannot_be_deleted_or_changed_when_using_the_admin(client_for, superuser, licence):
    client = client_for(superuser)
    assert client.get(f"{BASE}/licence/{licence.pk}/delete/").status_code == 403
    assert client.post(f"{BASE}/licence/{licence.pk}/change/", {"conditions": "none"}).status_code == 403


def test_history_rows_and_audit_events_count_as_protected_when_checked(approved):
    assert is_protected_record(approved.history.earliest())
    assert is_protected_record(AuditEvent(sequence=1))
    assert not is_protected_record(approved.organisation)


def test_system_check_flags_an_admin_without_the_guard_when_it_serves_a_protected_model():
    class PlainLicenceAdmin(admin.ModelAdmin):
        pass

    class GuardedLicenceAdmin(ProtectedRecordAdminMixin, admin.ModelAdmin):
        pass

    plain_site, guarded_site = admin.AdminSite(name="plain_check"), admin.AdminSite(name="guarded_check")
    plain_site.register(Licence, PlainLicenceAdmin)
    guarded_site.register(Licence, GuardedLicenceAdmin)

    errors = check_protected_admins()

    flagged = {e.obj for e in errors if e.id == "audit.E001"}
    assert PlainLicenceAdmin in flagged
    assert GuardedLicenceAdmin not in flagged
