"""The treaty screens as a user meets them: dashboard, notification page and its actions, programmes, the
exporter's treaty details, and the case-page panel."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from consultations.models.treaty import NotificationStatus, Objection, ObjectionStatus, Programme
from consultations.services.objections import objection_approve, objection_propose
from licensing.models import ApplicationStatus
from licensing.models.treaty import TreatyTransfer
from licensing.services import applications as apps

from .conftest import save_transfer, treaty_draft
from .test_emergency_brake import incoming

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("consultations:dashboard")


def _detail(notification) -> str:  # type: ignore[no-untyped-def]
    return reverse("consultations:notification_detail", args=[notification.pk])


def test_dashboard_lists_open_notifications_by_deadline_with_days_left_when_an_officer_looks(client_for, officer):
    today = timezone.localdate()
    later = incoming(officer, received_on=today - timedelta(days=10), subject="Later deadline")
    sooner = incoming(officer, received_on=today - timedelta(days=58), subject="Sooner deadline")
    response = client_for(officer).get(DASHBOARD)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Sooner deadline") < content.index("Later deadline")
    days = sooner.days_left(today)
    assert days <= 5
    assert f"{days} days left" in content or f"{days} day left" in content or "deadline today" in content
    assert later.objection_deadline.strftime("%-d %b %Y") in content


def test_dashboard_flags_a_passed_deadline_in_words_when_the_sweep_has_not_run(client_for, officer):
    incoming(officer, received_on=timezone.localdate() - timedelta(days=70), subject="Missed one")
    content = client_for(officer).get(DASHBOARD).content.decode()
    assert "Missed one" in content
    assert "deadline passed" in content


def test_dashboard_filters_to_deadlines_within_five_days_when_asked(client_for, officer):
    today = timezone.localdate()
    incoming(officer, received_on=today - timedelta(days=10), subject="Far away")
    incoming(officer, received_on=today - timedelta(days=58), subject="Close by")
    content = client_for(officer).get(DASHBOARD, {"due": "soon"}).content.decode()
    assert "Close by" in content
    assert "Far away" not in content


def test_dashboard_uses_the_same_number_of_queries_when_there_are_many_notifications(
    client_for, officer, django_assert_max_num_queries
):
    today = timezone.localdate()
    client = client_for(officer)
    for i in range(3):
        incoming(officer, received_on=today - timedelta(days=i), subject=f"N{i}")
    client.get(DASHBOARD)  # warm the session
    with django_assert_max_num_queries(12) as few:
        client.get(DASHBOARD)
    budget = len(few.captured_queries)  # now: the query log is a bounded deque, read later it may have moved on
    for i in range(3, 30):
        incoming(officer, received_on=today - timedelta(days=i), subject=f"N{i}")
    client.get(DASHBOARD)  # the new notifications cleared the cached counterparts: this request reads them again
    with django_assert_max_num_queries(budget):
        response = client.get(DASHBOARD)
    rows = response.content.decode().count(
        '<th scope="row"><a class="utrecht-link" href="/consultations/notifications/'
    )
    assert rows == 25  # one page of 30


def test_treaty_pages_are_forbidden_when_an_exporter_asks(client_for, exporter_b, officer):
    notification = incoming(officer, received_on=timezone.localdate())
    client = client_for(exporter_b)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(_detail(notification)).status_code == 403
    assert client.get(reverse("consultations:programme_list")).status_code == 403


def test_officer_records_an_incoming_notification_and_sees_its_deadline_and_rule(client_for, officer):
    with time_machine.travel(date(2025, 1, 31), tick=False):
        response = client_for(officer).post(
            reverse("consultations:notification_new"),
            {
                "counterpart": "FR",
                "received_on": "2025-01-31",
                "subject_kind": "home_state_content",
                "subject": "Frigate with Dutch radar to Indonesia",
                "third_country": "ID",
                "assignee": officer.pk,
            },
            follow=True,
        )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Notification recorded. The objection deadline is 2025-03-31." in content
    assert "Monday 31 March 2025" in content
    assert "2025-01-31 + 2 months = 2025-03-31" in content


def test_notification_form_shows_why_when_the_notifying_state_is_not_a_party(client_for, officer):
    response = client_for(officer).post(
        reverse("consultations:notification_new"),
        {
            "counterpart": "IT",
            "received_on": timezone.localdate().isoformat(),
            "subject_kind": "home_state_content",
            "subject": "x",
            "third_country": "ID",
        },
    )
    assert response.status_code == 400
    assert "Italy is not a treaty party on" in response.content.decode()


def test_sending_after_the_deadline_is_refused_on_the_page_with_the_deadline(client_for, officer, senior):
    notification = incoming(officer, received_on=date(2025, 1, 31))
    with time_machine.travel(date(2025, 3, 31), tick=False):
        objection = objection_propose(
            actor=officer, notification_id=notification.pk, ground="direct_interests", reasons="x"
        )
        objection_approve(actor=senior, objection_id=objection.pk)
    with time_machine.travel(date(2025, 4, 1), tick=False):
        page = client_for(officer).get(_detail(notification)).content.decode()
        response = client_for(officer).post(reverse("consultations:objection_send", args=[objection.pk]))
    assert "This objection can no longer be sent: the deadline of 2025-03-31 has passed." in page
    assert response.status_code == 409
    assert "The objection deadline was 2025-03-31 and has passed: an objection can no longer be sent." in (
        response.content.decode()
    )


def test_proposer_cannot_approve_their_own_objection_when_they_post_the_form(client_for, officer, senior):
    notification = incoming(officer, received_on=timezone.localdate())
    objection = objection_propose(actor=senior, notification_id=notification.pk, ground="direct_interests", reasons="x")
    response = client_for(senior).post(reverse("consultations:objection_approve", args=[objection.pk]), {"reason": ""})
    assert response.status_code == 403
    assert "a different senior officer must approve it (four eyes)" in response.content.decode()
    assert Objection.objects.get(pk=objection.pk).status == ObjectionStatus.PROPOSED


def test_officer_cannot_reach_the_approval_when_not_a_senior(client_for, officer, officer2):
    notification = incoming(officer, received_on=timezone.localdate())
    objection = objection_propose(
        actor=officer, notification_id=notification.pk, ground="direct_interests", reasons="x"
    )
    response = client_for(officer2).post(reverse("consultations:objection_approve", args=[objection.pk]))
    assert response.status_code == 403


def test_propose_approve_send_and_conclude_through_the_pages_when_all_in_time(client_for, officer, senior):
    notification = incoming(officer, received_on=timezone.localdate())
    client = client_for(officer)
    client.post(
        reverse("consultations:objection_propose", args=[notification.pk]),
        {"expected_version": notification.version, "ground": "national_security", "reasons": "Sensitive radar."},
    )
    objection = Objection.objects.get(notification=notification)
    client_for(senior).post(reverse("consultations:objection_approve", args=[objection.pk]), {"reason": "Agreed."})
    client_for(officer).post(reverse("consultations:objection_send", args=[objection.pk]))
    objection.refresh_from_db()
    assert objection.consultation is not None
    response = client_for(officer).post(
        reverse("consultations:consultation_conclude", args=[objection.consultation_id]),
        {
            "expected_version": objection.consultation.version,
            "outcome": "consensus",
            "outcome_text": "Delivered without the ECCM module.",
            "concluded_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Consultation concluded after 0 day(s)." in content
    for step in (
        "Objection proposed",
        "Objection approved",
        "Objection sent",
        "Consultation opened",
        "Consultation concluded",
    ):
        assert step in content
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.CLOSED


def test_notification_page_uses_a_bounded_number_of_queries(client_for, officer, django_assert_max_num_queries):
    notification = incoming(officer, received_on=timezone.localdate())
    client = client_for(officer)
    client.get(_detail(notification))
    with django_assert_max_num_queries(20):
        assert client.get(_detail(notification)).status_code == 200


def test_officer_registers_a_programme_and_sees_it_listed(client_for, officer):
    response = client_for(officer).post(
        reverse("consultations:programme_new"),
        {
            "name": "Future combat air system demonstrator",
            "kind": "intergovernmental",
            "participants": ["FR", "DE", "ES"],
        },
        follow=True,
    )
    assert response.status_code == 200
    programme = Programme.objects.get(name="Future combat air system demonstrator")
    assert sorted(programme.participants.values_list("pk", flat=True)) == ["DE", "ES", "FR"]
    assert (
        "Future combat air system demonstrator"
        in client_for(officer).get(reverse("consultations:programme_list")).content.decode()
    )


def test_exporter_enters_treaty_details_and_sees_the_share_when_the_draft_is_theirs(client_for, exporter_a):
    draft = treaty_draft(exporter_a)
    url = reverse("consultations:exporter_transfer", args=[draft.pk])
    client = client_for(exporter_a)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "final_system_name": "Naval air-defence radar",
            "final_system_identifier": "nadr-2026",
            "final_system_ml_category": "ML11",
            "integrator_name": "Integrateur Radar SA",
            "integrator_country": "FR",
            "end_destinations": ["IN"],
            "system_currency": "EUR",
            "gross_total_value": "1250000.00",
            "maintenance_value": "250000.00",
            "spares_value": "0",
            "training_value": "0",
            "repairs_value": "0",
            "expected_version": "0",
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Share of the Dutch components: 20.00 %" in content
    assert "De minimis rule applies" in content
    assert "200,000.00 ÷ 1,000,000.00 = 20.00 %" in strip_tags(content)  # amounts sit in no-wrap spans
    assert TreatyTransfer.objects.get(application=draft).de_minimis is True


def test_exporter_b_gets_404_when_opening_another_companys_treaty_details(client_for, exporter_a, exporter_b):
    draft = treaty_draft(exporter_a)
    url = reverse("consultations:exporter_transfer", args=[draft.pk])
    assert client_for(exporter_b).get(url).status_code == 404
    assert client_for(exporter_b).post(url, {}).status_code == 404


def test_officer_is_forbidden_the_exporters_treaty_form(client_for, exporter_a, officer):
    draft = treaty_draft(exporter_a)
    assert client_for(officer).get(reverse("consultations:exporter_transfer", args=[draft.pk])).status_code == 403


def test_submitted_treaty_details_are_shown_read_only_to_the_exporter(client_for, exporter_a):
    draft = treaty_draft(exporter_a, goods_value="140000.00")
    save_transfer(exporter_a, draft)
    apps.application_submit(actor=exporter_a, application_id=draft.pk)
    content = client_for(exporter_a).get(reverse("consultations:exporter_transfer", args=[draft.pk])).content.decode()
    assert "can no longer be changed" in content
    assert "Share 14.00 % against a threshold of 20.00 %" in content


def test_case_page_shows_the_de_minimis_computation_when_an_officer_opens_a_treaty_case(
    client_for, exporter_a, officer
):
    draft = treaty_draft(exporter_a, goods_value="320000.00", euc=True)
    save_transfer(exporter_a, draft)
    apps.application_submit(actor=exporter_a, application_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    content = client_for(officer).get(reverse("casework:case_detail", args=[draft.pk])).content.decode()
    assert "De minimis rule does not apply" in content
    assert "Share 32.00 % against a threshold of 20.00 %" in content


def test_programme_links_its_applications_by_reference_and_names_unknown_ones(client_for, officer, org_a):
    from tests.factories import submitted_application

    application = submitted_application(organisation=org_a)
    url = reverse("consultations:programme_new")
    data = {"name": "Naval sensor cooperation", "kind": "intergovernmental", "participants": ["FR", "DE"]}
    refused = client_for(officer).post(url, {**data, "application_references": f"{application.reference} NL-0000"})
    assert refused.status_code == 400
    assert "No application has the reference NL-0000." in refused.content.decode()
    client_for(officer).post(url, {**data, "application_references": application.reference})
    programme = Programme.objects.get(name="Naval sensor cooperation")
    assert list(programme.applications.all()) == [application]
    detail = client_for(officer).get(reverse("consultations:programme_detail", args=[programme.pk]))
    assert application.reference in detail.content.decode()


def test_programme_pages_use_a_bounded_number_of_queries(client_for, officer, django_assert_max_num_queries):
    from consultations.services.programmes import programme_save

    for i in range(6):
        programme = programme_save(
            actor=officer, name=f"Programme {i}", kind="intergovernmental", participant_ids=["FR", "ES"]
        )
    client = client_for(officer)
    client.get(reverse("consultations:programme_list"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("consultations:programme_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("consultations:programme_detail", args=[programme.pk])).status_code == 200


def test_exporter_treaty_page_uses_a_bounded_number_of_queries(client_for, exporter_a, django_assert_max_num_queries):
    draft = treaty_draft(exporter_a)
    save_transfer(exporter_a, draft)
    client = client_for(exporter_a)
    url = reverse("consultations:exporter_transfer", args=[draft.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def _counterpart_options(content: str) -> list[str]:
    select = content.split('name="counterpart"', 1)[1].split("</select>", 1)[0]
    return [option.split(">", 1)[1].split("<", 1)[0].strip() for option in select.split("<option")[2:]]


def test_dashboard_filter_lists_a_new_counterpart_at_once_and_reads_the_list_from_the_cache_otherwise(
    client_for, officer, django_assert_max_num_queries
):
    today = timezone.localdate()
    client = client_for(officer)
    incoming(officer, received_on=today - timedelta(days=3), subject="From France")
    assert _counterpart_options(client.get(DASHBOARD).content.decode()) == ["France"]
    with django_assert_max_num_queries(12) as cached:
        client.get(DASHBOARD)
    assert not any("DISTINCT" in q["sql"] for q in cached.captured_queries)  # the counterparts came from the cache

    incoming(officer, received_on=today - timedelta(days=2), subject="From Germany", counterpart_id="DE")

    assert _counterpart_options(client.get(DASHBOARD).content.decode()) == ["France", "Germany"]


def test_dashboard_pages_by_keyset_and_shows_the_rows_of_the_next_page(client_for, officer):
    today = timezone.localdate()
    for i in range(30):
        incoming(officer, received_on=today - timedelta(days=i), subject=f"Notification {i:02d}")
    client = client_for(officer)
    first = client.get(DASHBOARD).content.decode()
    assert "30 notifications, earliest deadline first." in first  # the running count, not a count of the page
    next_url = first.split('rel="next" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "cursor=" in next_url

    second = client.get(DASHBOARD + next_url).content.decode()  # the link is relative: "?cursor=..."

    # Deadlines run with the receipt date: the five received longest ago come first, page two has the newest.
    assert second.count('<th scope="row"><a class="utrecht-link" href="/consultations/notifications/') == 5
    assert all(f"Notification {i:02d}" in second for i in range(5))
    assert "Notification 05" not in second and "Showing 26–30 of 30" in second


def test_dashboard_counts_stop_at_the_cap_and_say_more(client_for, officer, monkeypatch):
    monkeypatch.setattr("consultations.selectors.DASHBOARD_COUNT_CAP", 2)
    monkeypatch.setattr("consultations.views.officer.DASHBOARD_COUNT_CAP", 2)
    monkeypatch.setattr("consultations.views.officer.PAGE_SIZE", 2)
    today = timezone.localdate()
    for i in range(3):
        incoming(officer, received_on=today - timedelta(days=i), subject=f"Capped {i}")

    content = client_for(officer).get(DASHBOARD).content.decode()

    assert '<strong class="app-treaty-counts__n">2+</strong> objection periods running' in content
    assert "Earliest deadline first." in content and "3 notifications" not in content  # not counted
    assert "Showing 1–2" in content
