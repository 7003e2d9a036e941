"""The History page (/audit/<label>/<pk>/), its CSV and PDF exports and the "as it was" page."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from audit.models import Verb
from audit.services import record
from core.roles import Role
from licensing.models import Application, ApplicationStatus, LicenceType
from licensing.services.applications import application_create, application_update, goods_line_save
from tests.factories import UserFactory
from tests.security.forms_templates import make_form_templates_available

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LABEL = "licensing.application"


@pytest.fixture(autouse=True)
def _settings(settings):  # type: ignore[no-untyped-def]
    settings.REGISTER_STAFF_MFA_REQUIRED = False  # these tests are about the pages, not the login
    make_form_templates_available(settings)


@pytest.fixture
def application(exporter_a) -> Application:  # type: ignore[no-untyped-def]
    """A submitted application whose goods line went from 10 to 12 pieces, one minute apart."""
    with time_machine.travel(T0) as traveller:
        app = application_create(actor=exporter_a, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="Radar spares")
        for quantity, line_id in (("10", None), ("12", "first")):
            traveller.shift(timedelta(minutes=1))
            line = goods_line_save(
                actor=exporter_a,
                application_id=app.pk,
                description="Radar spare parts",
                ml_category_id="ML5",
                quantity=Decimal(quantity),
                unit="pcs",
                unit_value=Decimal("100.00"),
                currency="EUR",
                line_id=app.goods.get().pk if line_id else None,
            )
    assert line.quantity == Decimal("12")
    # Out of draft, as after submission (staff see nothing of a draft), without adding a history row.
    Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.SUBMITTED)
    return app


def _url(name: str, app: Application) -> str:
    return reverse(f"audit:{name}", args=[LABEL, app.pk])


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """The page as a reader sees it: tags and screen-reader-only words removed, spaces collapsed."""
    html = re.sub(r'<span class="app-visually-hidden">.*?</span>', "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_officer_reads_who_did_what_and_the_change_when_opening_the_history(
    client_for, officer, application, exporter_a, django_assert_max_num_queries
):
    client = client_for(officer)
    with django_assert_max_num_queries(22):  # fixed: one per history source, none per entry
        response = client.get(_url("history", application))
    assert response.status_code == 200
    text = _text(response)
    assert f"History: Application {application.reference} Radar spares" in text
    assert f"{exporter_a.get_full_name()} : Application updated" in text
    assert "Quantity: 10 → 12" in text
    assert "Value (EUR): 1,000.00 → 1,200.00" in text
    assert len(re.findall(r"<h1[ >]", response.content.decode())) == 1


def test_administrator_may_read_the_history_when_auditing(client_for, administrator, application):
    assert client_for(administrator).get(_url("history", application)).status_code == 200


@pytest.mark.parametrize("name", ["history", "history_csv", "history_pdf", "as_of"])
@pytest.mark.parametrize("persona", ["exporter_a", "exporter_b", "adviser", "analyst"])
def test_history_pages_answer_403_when_the_user_is_not_an_auditor(client_for, request, persona, name, application):
    # Exporters never see the audit trail, not even of their own application (403: the page exists, the role
    # may not use it; which records exist is not revealed because the answer is the same for every id).
    response = client_for(request.getfixturevalue(persona)).get(_url(name, application))
    assert response.status_code == 403


def test_exporter_b_gets_403_whatever_the_id_when_probing_the_history(client_for, exporter_b, application):
    client = client_for(exporter_b)
    assert client.get(_url("history", application)).status_code == 403
    assert client.get(reverse("audit:history", args=[LABEL, 999999999])).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in_when_opening_the_history(client, application):
    response = client.get(_url("history", application))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("label", "pk"),
    [("audit.auditevent", "1"), ("parties.user", "1"), ("nonsense", "1"), (LABEL, "999999999"), (LABEL, "abc")],
)
def test_history_is_404_when_the_record_kind_is_not_allowed_or_the_record_does_not_exist(
    client_for, officer, label, pk
):
    assert client_for(officer).get(reverse("audit:history", args=[label, pk])).status_code == 404


def test_csv_export_has_one_row_per_entry_with_the_changes_when_downloaded(
    client_for, officer, application, exporter_a
):
    response = client_for(officer).get(_url("history_csv", application))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="history-licensing-application-{application.pk}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["When (UTC)", "Who", "What", "Why", "Details", "Changes", "Audit event"]
    assert [r[2] for r in rows[1:]] == ["Application created", "Application updated", "Application updated"]
    last = rows[-1]
    assert last[0] == "2026-03-02T09:02:00+00:00"
    assert last[1] == exporter_a.get_full_name()
    assert "  Quantity: 10 → 12" in last[5].splitlines()
    assert last[6].startswith("#")


def test_csv_export_neutralises_formulas_when_a_name_starts_like_one(client_for, officer, org_a):
    # A spreadsheet would run "=HYPERLINK(...)" as a formula (CSV injection); the export prefixes a quote.
    mallory = UserFactory(
        username="mallory", first_name='=HYPERLINK("http://x")', organisation=org_a, roles=[Role.EXPORTER]
    )
    app = application_create(actor=mallory, licence_type=LicenceType.INDIVIDUAL_EXPORT, title="Formula test")
    Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.SUBMITTED)  # staff see no drafts
    response = client_for(officer).get(_url("history_csv", app))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://x") Tester'


def test_pdf_export_contains_the_timeline_when_downloaded(client_for, officer, application, monkeypatch):
    """Rendered only by Celery (issue 14): the first request enqueues the task and answers 202 "being prepared"
    without rendering; once the task has run, the download is the stored PDF."""
    import audit.views
    from audit.tasks import history_pdf_render

    enqueued: list[tuple[object, ...]] = []
    monkeypatch.setattr(audit.views, "enqueue", lambda task, *args: enqueued.append(args))  # the broker
    first = client_for(officer).get(_url("history_pdf", application))
    assert first.status_code == 202
    assert "The history PDF is being prepared" in first.content.decode()
    assert enqueued == [(officer.pk, "licensing.application", str(application.pk))]
    assert history_pdf_render(*enqueued[0]) == "rendered"  # what the worker does
    response = client_for(officer).get(_url("history_pdf", application))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert f"History of application {application.reference}" in text
    assert "Application updated" in text
    assert "Quantity: 10" in text
    assert "head hash" in text


def test_as_of_page_shows_the_old_title_when_given_a_date_before_the_change(
    client_for, officer, application, exporter_a
):
    drafts = Application.objects.filter(pk=application.pk)
    drafts.update(status=ApplicationStatus.DRAFT)  # the exporter renamed it while drafting, before submitting
    with time_machine.travel(T0 + timedelta(days=3)):
        application.refresh_from_db()
        application_update(
            actor=exporter_a, application_id=application.pk, expected_version=application.version, title="Renamed"
        )
    drafts.update(status=ApplicationStatus.SUBMITTED)
    client = client_for(officer)
    before = _text(client.get(_url("as_of", application), {"date": "2026-03-02"}))
    after = _text(client.get(_url("as_of", application), {"date": "2026-03-05"}))
    assert "Short title Radar spares" in before
    assert "Quantity 10" not in before and "Quantity 12" in before  # the line as it stood at the end of that day
    assert "Short title Renamed" in after


def test_as_of_page_says_the_record_did_not_exist_when_the_date_is_before_it(client_for, officer, application):
    text = _text(client_for(officer).get(_url("as_of", application), {"date": "2026-03-01"}))
    assert "This record did not exist at that moment" in text


def test_as_of_page_answers_400_with_the_field_error_when_the_date_is_not_a_date(client_for, officer, application):
    response = client_for(officer).get(_url("as_of", application), {"date": "yesterday"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_as_of_page_is_404_when_the_record_does_not_exist(client_for, officer):
    response = client_for(officer).get(reverse("audit:as_of", args=[LABEL, 999999999]), {"date": "2026-03-02"})
    assert response.status_code == 404
    assert client_for(officer).get(reverse("audit:as_of", args=[LABEL, 999999999])).status_code == 404


def test_history_is_split_into_pages_of_fifty_when_there_are_more_entries(client_for, officer, application):
    for i in range(55):
        with transaction.atomic():
            record(actor=officer, verb=Verb.APPLICATION_NOTE_ADDED, target=application, reason=f"note {i}")
    client = client_for(officer)
    first = client.get(_url("history", application)).content.decode()
    second = client.get(_url("history", application), {"page": 2}).content.decode()
    assert first.count('<time datetime="') == 50
    assert second.count('<time datetime="') == 3 + 55 - 50
    assert "Page 2 of 2" in second


def test_history_is_grouped_by_day_with_the_date_as_heading_and_no_event_numbers(client_for, officer, application):
    with time_machine.travel(T0 + timedelta(days=1)), transaction.atomic():
        record(actor=officer, verb=Verb.APPLICATION_NOTE_ADDED, target=application, reason="Called the exporter")

    text = _text(client_for(officer).get(_url("history", application)))

    first_day = T0.astimezone(ZoneInfo("Europe/Amsterdam"))
    next_day = first_day + timedelta(days=1)
    assert text.count(f"{first_day.day} {first_day:%B} {first_day.year}") == 1  # one heading for the day
    assert f"{next_day.day} {next_day:%B} {next_day.year}" in text
    assert "Audit event #" not in text


def test_case_page_links_to_its_history_when_an_officer_opens_it(client_for, officer, application):
    content = client_for(officer).get(reverse("casework:case_detail", args=[application.pk])).content.decode()

    assert f'href="{_url("history", application)}"' in content
    assert "History of this case" in content


def test_pdf_export_is_in_dutch_when_the_authority_language_is_dutch_whatever_the_reader_uses(
    client_for, officer, application, settings, monkeypatch
):
    import audit.views
    from audit.tasks import history_pdf_render

    settings.LANGUAGE_CODE = "nl"
    client = client_for(officer)
    client.cookies["django_language"] = "en"
    enqueued: list[tuple[object, ...]] = []
    monkeypatch.setattr(audit.views, "enqueue", lambda task, *args: enqueued.append(args))  # the broker

    assert client.get(_url("history_pdf", application)).status_code == 202
    history_pdf_render(*enqueued[0])  # what the worker does
    response = client.get(_url("history_pdf", application))

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Geschiedenis van" in text and application.reference in text
    assert "Hoeveelheid: 10" in text  # the goods line's field label, in Dutch too
    assert "Quantity" not in text
