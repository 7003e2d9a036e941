"""Who may open which report page, what the pages show, and that their query count does not grow with the data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent, Verb
from reports.calendar import working_calendar_ensure
from reports.models import ReportRun, RunStatus

from . import builders as b

pytestmark = pytest.mark.django_db

AGGREGATE_PAGES = [
    "/reports/",
    "/reports/monthly/?year=2024&month=3",
    "/reports/annual/?year=2024",
    "/reports/treaty/?year_from=2023&year_to=2024",
    "/reports/shares/?date_from=2024-01-01&date_to=2024-12-31&bloc=NATO",
    "/reports/processing/?date_from=2024-01-01&date_to=2024-12-31",
    "/reports/un-register/?year=2024",
    "/reports/accession/?report=shares&months=12",
    "/reports/runs/",
]
CONFIDENTIAL_PAGE = "/reports/monthly-confidential/?year=2024&month=3"


@pytest.mark.parametrize("url", AGGREGATE_PAGES)
def test_reporting_staff_open_every_aggregate_report_when_logged_in(client_for, analyst, register, url):
    assert client_for(analyst).get(url).status_code == 200


def test_reporting_staff_get_403_when_they_open_the_confidential_overview(client_for, analyst, register):
    assert client_for(analyst).get(CONFIDENTIAL_PAGE).status_code == 403
    assert (
        client_for(analyst).post("/reports/monthly-confidential/runs/", {"year": 2024, "month": 3}).status_code == 403
    )


def test_officers_see_exporter_names_when_they_open_the_confidential_overview(client_for, officer, register):
    response = client_for(officer).get(CONFIDENTIAL_PAGE)

    assert response.status_code == 200
    assert "Alpha Defence B.V." in response.content.decode()


def test_published_overview_names_no_exporter_when_staff_open_it(client_for, analyst, register):
    page = client_for(analyst).get("/reports/monthly/?year=2024&month=3").content.decode()

    assert "Alpha Defence" not in page
    assert "Saudi Arabia" in page and "2, 7" in page


@pytest.mark.parametrize("url", [*AGGREGATE_PAGES, CONFIDENTIAL_PAGE, "/reports/annual/runs/"])
def test_exporters_get_403_when_they_open_any_report_url(client_for, exporter_a, exporter_b, url):
    assert client_for(exporter_a).get(url).status_code == 403
    assert client_for(exporter_b).get(url).status_code == 403


def test_exporter_b_gets_403_when_they_open_a_stored_run_or_its_file(
    client_for, exporter_b, analyst, register, django_capture_on_commit_callbacks
):
    run = _done_run(client_for(analyst), "annual", {"year": 2024}, django_capture_on_commit_callbacks)
    stored = run.files.first()

    client = client_for(exporter_b)
    assert client.get(f"/reports/runs/{run.pk}/").status_code == 403
    assert client.get(f"/reports/runs/{run.pk}/files/{stored.pk}/").status_code == 403


def test_anonymous_visitors_are_sent_to_login_when_they_open_reports(client):
    response = client.get("/reports/annual/?year=2024")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_report_page_has_captions_and_scoped_headers_and_a_chart_with_alt_text(client_for, analyst, register):
    page = client_for(analyst).get("/reports/shares/?date_from=2024-01-01&date_to=2024-12-31&bloc=NATO")
    html = page.content.decode()

    assert html.count("<h1") == 1
    assert html.count("<caption") == 5  # summary, per year, per ML category, sold on, by production (no runs yet)
    assert 'scope="col"' in html and 'scope="row"' in html
    assert '<img src="data:image/svg+xml;base64,' in html
    assert 'alt="Stacked bars per year' in html
    assert "style=" not in html.split("<main", 1)[1]  # CSP: no inline styles


def _done_run(client, slug: str, parameters: dict, capture) -> ReportRun:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        response = client.post(f"/reports/{slug}/runs/", parameters)
    assert response.status_code == 302
    run = ReportRun.objects.latest("id")
    run.refresh_from_db()
    return run


def test_preparing_downloads_stores_files_with_checksums_and_audits_it_when_staff_ask(
    client_for, analyst, register, django_capture_on_commit_callbacks
):
    client = client_for(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/annual/runs/", {"year": "2024", "as_of": "2024-12-31"})
    run = ReportRun.objects.get()

    assert response["Location"] == f"/reports/runs/{run.pk}/"
    assert run.status == RunStatus.DONE and run.progress == 100 and len(run.sha256) == 64
    assert run.parameters == {"year": 2024}
    assert sorted(f.format for f in run.files.all()) == ["csv"] * 7 + ["pdf", "xlsx"]
    event = AuditEvent.objects.get(verb=Verb.REPORT_GENERATED)
    assert event.payload["sha256"] == run.sha256 and event.actor_id == analyst.pk
    detail = client.get(response["Location"]).content.decode()
    assert run.sha256 in detail and "hx-trigger" not in detail
    stored = run.files.get(format="csv", name__endswith="regions.csv")
    download = client.get(f"/reports/runs/{run.pk}/files/{stored.pk}/")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[-1][:2] == ["All destinations", "6"]


def test_progress_panel_polls_every_two_seconds_while_the_run_is_queued(client_for, analyst, register):
    client = client_for(analyst)
    client.post("/reports/annual/runs/", {"year": "2024"})  # on_commit never runs here: the run stays queued
    run = ReportRun.objects.get()

    panel = client.get(f"/reports/runs/{run.pk}/progress/").content.decode()

    assert f'hx-get="/reports/runs/{run.pk}/progress/"' in panel and 'hx-trigger="every 2s"' in panel
    assert "<progress" in panel


def test_reporting_staff_get_404_for_a_confidential_run(
    client_for, analyst, officer, register, django_capture_on_commit_callbacks
):
    run = _done_run(
        client_for(officer), "monthly-confidential", {"year": 2024, "month": 3}, django_capture_on_commit_callbacks
    )
    stored = run.files.first()

    assert client_for(analyst).get(f"/reports/runs/{run.pk}/").status_code == 404
    assert client_for(analyst).get(f"/reports/runs/{run.pk}/files/{stored.pk}/").status_code == 404
    assert run.pk not in [r.pk for r in client_for(analyst).get("/reports/runs/").context["runs"]]


def test_invalid_parameters_are_refused_with_a_message_when_a_run_is_requested(client_for, analyst):
    response = client_for(analyst).post("/reports/annual/runs/", {"year": "1900"}, follow=True)

    assert not ReportRun.objects.exists()
    assert "Check the report" in response.content.decode()


def test_open_data_holds_exactly_the_published_columns_when_downloaded_as_json(client_for, analyst, register):
    document = json.loads(client_for(analyst).get("/reports/open-data/monthly/2024-03.json").content)

    assert [c["key"] for c in document["columns"]] == [
        "date", "decision", "licence_type", "goods", "ml_category", "origin", "destination", "final_destinations",
        "value_eur", "end_user_type", "valid_until", "de_minimis", "criteria", "sub_criteria",
    ]  # fmt: skip
    assert document["rows"][1]["criteria"] == "2, 7" and document["rows"][1]["value_eur"] == 500000.0


def test_open_data_csv_neutralises_a_formula_in_a_goods_description(client_for, analyst, org_a, officer):
    licence = b.licence(organisation=org_a, officer=officer, destination="NO", issued="2024-05-02",
                        goods=[("ML1", "1000")], received="2024-04-02")  # fmt: skip
    goods = licence.goods.get()
    goods.description = "=cmd|' /C calc'!A0"
    b.saved(goods, b.at("2024-05-02", 11))  # the public file reads the register as it stood (history)

    body = client_for(analyst).get("/reports/open-data/monthly/2024-05.csv").content.decode()
    rows = list(csv.reader(io.StringIO(body)))

    assert rows[0][:3] == ["Decision date", "Decision", "Licence type"]
    assert rows[1][3] == "'=cmd|' /C calc'!A0"
    assert rows[1][8] == "1000.00"


def _licences(n: int, org, officer) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        b.licence(organisation=org, officer=officer, destination=["SE", "US", "IN", "FR"][i % 4],
                  issued=f"2024-03-{1 + i % 28:02d}", goods=[("ML5", "1000"), ("ML10", "500")],
                  received="2024-02-01")  # fmt: skip
        if i % 5 == 0:
            b.refusal(organisation=org, officer=officer, destination="SA", decided=f"2024-03-{1 + i % 28:02d}",
                      goods=[("ML4", "100")], criteria=[2, 7], received="2024-02-01")  # fmt: skip


REPORT_PAGES = [url for url in AGGREGATE_PAGES if "open-data" not in url] + [CONFIDENTIAL_PAGE]


@pytest.mark.parametrize("url", REPORT_PAGES)
def test_report_pages_use_the_same_number_of_queries_when_there_are_5_or_50_licences(
    client_for, officer, org_a, url, django_assert_max_num_queries
):
    client = client_for(officer)
    working_calendar_ensure(until=b.at("2026-12-31").date())
    counts = []
    for n in (5, 45):  # 5 licences, then 50
        _licences(n, org_a, officer)
        client.get(url)  # warm per-process caches (roles, session)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(30):
        client.get(url)


def test_reverse_names_resolve_for_navigation():
    assert reverse("reports:index") == "/reports/"
    assert reverse("reports:monthly-confidential") == "/reports/monthly-confidential/"
