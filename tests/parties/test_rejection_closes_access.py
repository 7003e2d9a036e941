"""Rejecting a company's registration (issue 14): its API tokens are revoked at once and its people's drafts are
closed to them (the portal answers 403, the API 401)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.models import AuditEvent, Verb
from core.roles import Role
from licensing.models import LicenceType
from licensing.services.applications import application_create
from parties.services import organisation_reject
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_rejection_revokes_tokens_and_closes_drafts_when_an_officer_rejects(client_for, pending_org, officer):
    carl = UserFactory(username="carl", organisation=pending_org, is_org_admin=True, roles=[Role.EXPORTER])
    draft = application_create(actor=carl, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="Radar")
    token = Token.objects.create(user=carl)  # issued before tokens waited for approval
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(f"/api/v1/applications/{draft.pk}/").status_code == 200

    organisation_reject(actor=officer, organisation_id=pending_org.pk, reason="Not a defence company.")

    assert api.get(f"/api/v1/applications/{draft.pk}/").status_code == 401
    assert not Token.objects.filter(user=carl).exists()
    portal = client_for(type(carl).objects.get(pk=carl.pk))
    assert portal.get(f"/portal/applications/{draft.pk}/").status_code == 403
    event = AuditEvent.objects.get(verb=Verb.ORGANISATION_REJECTED)
    assert event.payload == {"api_tokens_revoked": 1}
