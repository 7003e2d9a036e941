"""The exporter API for general licences: register, read the periods, file a usage return (field errors for
goods or destinations outside the licence's scope, 400 never 500), and exporter B gets 404."""

from __future__ import annotations

from datetime import date

import pytest

from general_licences.models import RegistrationStatus
from general_licences.services import ERR_CATEGORY_OUT_OF_SCOPE, ERR_COUNTRY_OUT_OF_SCOPE, general_licence_register
from tests.general_licences.helpers import on, publish

pytestmark = pytest.mark.django_db

LINE = {"ml_category": "ML15", "description": "Thermal imaging sights", "quantity": "12", "unit": "pcs",
        "value_eur": "84000.00", "recipient": "Bundeswehr, BAAINBw", "country": "DE"}  # fmt: skip


def test_exporter_registers_through_the_api_and_waits_for_approval(officer, exporter_a, token_client):
    licence = publish(officer)
    client = token_client(exporter_a)
    assert [row["reference"] for row in client.get("/api/v1/general-licences/").json()] == ["NL-GTL-2026-01"]
    with on(date(2026, 2, 10)):
        response = client.post(
            f"/api/v1/general-licences/{licence.pk}/registrations/", {"intended_use": "Sights"}, format="json"
        )
    assert response.status_code == 201
    assert response.json()["status"] == RegistrationStatus.PENDING
    with on(date(2026, 2, 10)):
        again = client.post(f"/api/v1/general-licences/{licence.pk}/registrations/", {}, format="json")
    assert again.status_code == 409


def test_usage_return_outside_the_scope_gets_field_errors_per_line(officer, exporter_a, token_client):
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        registration = general_licence_register(actor=exporter_a, licence_id=licence.pk)
    client = token_client(exporter_a)
    body = {"period_start": "2026-01-01", "lines": [LINE, {**LINE, "ml_category": "ML4", "country": "US"}]}
    with on(date(2026, 7, 3)):
        response = client.post(f"/api/v1/general-licences/registrations/{registration.pk}/returns/", body,
                               format="json")  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "lines.1.ml_category": [str(ERR_CATEGORY_OUT_OF_SCOPE).format(category="ML4")],
        "lines.1.country": [str(ERR_COUNTRY_OUT_OF_SCOPE).format(country="US")],
    }
    with on(date(2026, 7, 3)):
        response = client.post(f"/api/v1/general-licences/registrations/{registration.pk}/returns/",
                               {"period_start": "2026-01-01", "lines": [LINE]}, format="json")  # fmt: skip
        detail = client.get(f"/api/v1/general-licences/registrations/{registration.pk}/").json()
    assert response.status_code == 201
    assert response.json()["period_end"] == "2026-06-30"
    assert detail["periods"] == [
        {"start": "2026-01-01", "end": "2026-06-30", "due_on": "2026-07-30", "filed": True, "overdue": False}
    ]


def test_overdue_period_is_flagged_the_day_after_its_due_date(officer, exporter_a, token_client):
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        registration = general_licence_register(actor=exporter_a, licence_id=licence.pk)
    client = token_client(exporter_a)
    url = f"/api/v1/general-licences/registrations/{registration.pk}/"
    with on(date(2026, 7, 30)):
        assert client.get(url).json()["periods"][0]["overdue"] is False
    with on(date(2026, 7, 31)):
        assert client.get(url).json()["periods"][0]["overdue"] is True


def test_exporter_b_gets_404_for_another_companys_registration(officer, exporter_a, exporter_b, token_client):
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        registration = general_licence_register(actor=exporter_a, licence_id=licence.pk)
    client = token_client(exporter_b)
    assert client.get(f"/api/v1/general-licences/registrations/{registration.pk}/").status_code == 404
    response = client.post(f"/api/v1/general-licences/registrations/{registration.pk}/returns/",
                           {"period_start": "2026-01-01", "nil_return": True}, format="json")  # fmt: skip
    assert response.status_code == 404


def test_malformed_return_is_a_400_with_field_errors(officer, exporter_a, token_client):
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        registration = general_licence_register(actor=exporter_a, licence_id=licence.pk)
    response = token_client(exporter_a).post(
        f"/api/v1/general-licences/registrations/{registration.pk}/returns/",
        {"period_start": "soon", "lines": [{**LINE, "quantity": "many"}]},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"period_start", "lines"}
