"""General licence screens: the officer publishes and approves, the company files a return with its field
errors on the line, officers see usage per licence and per company; exporters see only their own."""

from __future__ import annotations

from datetime import date

import pytest

from core.models import DeadlineReminder, Notification
from core.reminders import reminders_send
from general_licences.models import GeneralLicence, RegistrationStatus, UsageReturn
from general_licences.reminders import usage_return_deadlines
from general_licences.services import general_licence_register
from tests.general_licences.helpers import on, publish

pytestmark = pytest.mark.django_db


def test_officer_publishes_a_licence_through_the_form(client_for, officer):
    response = client_for(officer).post(
        "/casework/general-licences/new/",
        {"reference": "NL-AGV-2026-01", "title": "Demonstration", "kind": "national", "transfer_ground": "c",
         "ml_categories": ["ML10"], "destinations": ["DE", "BE"], "conditions": "Return within six months.",
         "valid_from": "2026-01-01", "valid_until": "", "return_period_months": "12", "return_due_days": "60",
         "status": "published", "reason": "Policy letter of 1 December"},
    )  # fmt: skip
    licence = GeneralLicence.objects.get()
    assert response.status_code == 302
    assert licence.return_period_months == 12
    assert licence.history.first().history_change_reason == "Policy letter of 1 December"


def test_licence_form_without_categories_shows_a_field_error(client_for, officer):
    response = client_for(officer).post("/casework/general-licences/new/", {"reference": "X"})
    assert response.status_code == 400
    assert "ml_categories" in response.context["form"].errors


def test_exporter_cannot_open_the_officer_pages(client_for, exporter_a):
    assert client_for(exporter_a).get("/casework/general-licences/").status_code == 403


def test_company_registers_and_officer_approves_through_the_screens(client_for, officer, exporter_a):
    licence = publish(officer)
    with on(date(2026, 2, 10)):
        response = client_for(exporter_a).post(f"/portal/general-licences/{licence.pk}/register/", {"intended_use": ""})
    registration = licence.registrations.get()
    assert response.status_code == 302
    assert registration.status == RegistrationStatus.PENDING
    with on(date(2026, 2, 11)):
        response = client_for(officer).post(
            f"/casework/general-licences/registrations/{registration.pk}/decide/", {"decision": "approve"}
        )
    registration.refresh_from_db()
    assert registration.active_from == date(2026, 2, 11)


def test_return_line_outside_the_scope_gets_its_error_on_the_line(client_for, officer, exporter_a):
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        registration = general_licence_register(actor=exporter_a, licence_id=licence.pk)
    data = {"period_start": "2026-01-01", "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
            "lines-0-ml_category": "ML4", "lines-0-description": "Grenades", "lines-0-quantity": "5",
            "lines-0-unit": "pcs", "lines-0-value_eur": "100", "lines-0-recipient": "Bundeswehr",
            "lines-0-country": "DE", "lines-1-unit": "pcs", "lines-2-unit": "pcs"}  # fmt: skip
    with on(date(2026, 7, 3)):
        response = client_for(exporter_a).post(
            f"/portal/general-licences/registrations/{registration.pk}/returns/", data
        )
    assert response.status_code == 400
    assert "ml_category" in response.context["formset"].forms[0].errors
    data["lines-0-ml_category"] = "ML10"
    with on(date(2026, 7, 3)):
        response = client_for(exporter_a).post(
            f"/portal/general-licences/registrations/{registration.pk}/returns/", data
        )
    assert response.status_code == 302
    assert UsageReturn.objects.get().lines.get().ml_category_id == "ML10"


def test_exporter_b_gets_404_for_another_companys_registration_page(client_for, officer, exporter_a, exporter_b):
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        registration = general_licence_register(actor=exporter_a, licence_id=licence.pk)
    response = client_for(exporter_b).get(f"/portal/general-licences/registrations/{registration.pk}/")
    assert response.status_code == 404


def test_officer_sees_overdue_returns_per_licence_and_per_company(client_for, officer, exporter_a,
                                                                  django_assert_max_num_queries):  # fmt: skip
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        general_licence_register(actor=exporter_a, licence_id=licence.pk)
    client = client_for(officer)
    with on(date(2026, 8, 1)), django_assert_max_num_queries(25):
        page = client.get(f"/casework/general-licences/{licence.pk}/")
    assert page.context["registrations"][0][1] == 1  # January-June, due 30 July, not filed
    with on(date(2026, 8, 1)):
        company = client.get(f"/casework/general-licences/companies/{exporter_a.organisation_id}/")
    assert company.context["registrations"][0][1] == 1
    with on(date(2026, 8, 1)), django_assert_max_num_queries(15):
        assert client.get("/casework/general-licences/").status_code == 200


def test_holders_are_reminded_before_the_due_date_once_per_point(officer, exporter_a):
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        general_licence_register(actor=exporter_a, licence_id=licence.pk)
    today = date(2026, 7, 16)  # 14 days before 30 July
    first = reminders_send(deadlines=usage_return_deadlines(today), today=today)
    second = reminders_send(deadlines=usage_return_deadlines(today), today=today)
    assert (first.sent, second.sent, second.already_sent) == (1, 0, 1)
    assert DeadlineReminder.objects.get().deadline == date(2026, 7, 30)
    assert Notification.objects.get(user=exporter_a).title.startswith("NL-GTL-2026-01: usage return")


def test_no_reminder_when_the_return_is_filed(officer, exporter_a):
    from general_licences.services import usage_return_file

    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        registration = general_licence_register(actor=exporter_a, licence_id=licence.pk)
    with on(date(2026, 7, 2)):
        usage_return_file(actor=exporter_a, registration_id=registration.pk, period_start=date(2026, 1, 1),
                          nil_return=True, lines=[])  # fmt: skip
    assert usage_return_deadlines(date(2026, 7, 16)) == []
