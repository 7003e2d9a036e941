"""The assessment pages: who may open them, what they show, what they do, and their query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from licensing.case_panels import CASE_PANELS
from licensing.models import PartyRole
from licensing.models.assessment import CriterionAssessment
from licensing.models.denials import DenialMatch
from licensing.services import casework
from licensing.services.assessment import advice_request
from licensing.services.checks import checks_run
from licensing.tasks import refusal_letter_render
from licensing.views.assessment_denials import ExporterRefusalLetterDownloadView
from tests.factories import UserFactory

from .helpers import add_party, case_in_review, received_denial

pytestmark = pytest.mark.django_db


def _officer_urls(application, result_pk=1, match_pk=1, letter_pk=1, request_pk=1):  # type: ignore[no-untyped-def]
    return [
        reverse("casework:assessment", args=[application.pk]),
        reverse("casework:advice_request", args=[application.pk]),
        reverse("casework:check_resolve", args=[result_pk]),
        reverse("casework:denial_match_decide", args=[match_pk]),
        reverse("casework:art4_conclude", args=[1]),
        reverse("casework:denial_list"),
        reverse("casework:denial_create"),
        reverse("casework:denial_detail", args=[1]),
        reverse("casework:refusal_letter", args=[letter_pk]),
        reverse("casework:licence_revoke", args=[1]),
        reverse("casework:advice_list"),
        reverse("casework:advice_detail", args=[request_pk]),
    ]


def test_exporter_is_refused_on_every_officer_and_adviser_page(client_for, officer, exporter_a):
    application = case_in_review(officer=officer, organisation=exporter_a.organisation)
    client = client_for(exporter_a)

    for url in _officer_urls(application):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(reverse("casework:checks_run", args=[application.pk])).status_code == 403


def test_adviser_is_refused_on_officer_pages_when_opening_the_assessment(client_for, officer, adviser):
    application = case_in_review(officer=officer)

    assert client_for(adviser).get(reverse("casework:assessment", args=[application.pk])).status_code == 403
    assert client_for(adviser).get(reverse("casework:denial_list")).status_code == 403


def test_assessment_page_shows_all_eight_criteria_with_their_test(client_for, officer):
    application = case_in_review(officer=officer)

    response = client_for(officer).get(reverse("casework:assessment", args=[application.pk]))

    content = response.content.decode()
    assert response.status_code == 200 and content.count("<h1") == 1
    for n in range(1, 9):
        assert f"Criterion {n}:" in content
    assert content.count("Shall deny</span>") == 4 and content.count("Take into account</span>") == 4
    assert "Shall deny on a clear risk of internal repression (2a)" in content


def test_assessment_form_shows_the_rule_when_concerns_lack_a_justification(client_for, officer):
    application = case_in_review(officer=officer)

    response = client_for(officer).post(
        reverse("casework:assessment", args=[application.pk]), {"c3-outcome": "concerns", "c3-justification": ""}
    )

    assert response.status_code == 400
    assert "Write the justification: it is required unless the outcome is “no concerns”." in response.content.decode()
    assert not CriterionAssessment.objects.exists()


def test_assessment_form_saves_the_criteria_filled_in(client_for, officer):
    application = case_in_review(officer=officer)
    data = {f"c{n}-outcome": "no_concerns" for n in range(1, 9)}
    data.update({"c2-outcome": "concerns", "c2-justification": "Reports on the coast guard.", "c2-sub_criteria": "2B"})

    response = client_for(officer).post(reverse("casework:assessment", args=[application.pk]), data)

    assert response.status_code == 302
    c2 = CriterionAssessment.objects.get(application=application, criterion_id=2)
    assert (c2.outcome, c2.sub_criteria) == ("concerns", "2b")
    assert CriterionAssessment.objects.filter(application=application).count() == 8


def test_officer_resolves_a_screening_hit_from_the_resolve_page(client_for, officer, watch_list):
    application = case_in_review(officer=officer)
    add_party(application, role=PartyRole.THIRD_PARTY, name="Kestrel Mirage Holdings", country="CY")
    [hit] = checks_run(application=application, actor=None, trigger="manual").results.all()

    response = client_for(officer).post(
        reverse("casework:check_resolve", args=[hit.pk]),
        {"resolution": "confirmed", "reason": "Same company, same address."},
    )

    assert response.status_code == 302 and response.url.endswith(f"/casework/cases/{application.pk}/#panel-checks")
    hit.refresh_from_db()
    assert (hit.resolution, hit.resolved_by) == ("confirmed", officer)


def test_adviser_sees_only_the_requests_addressed_to_them(client_for, officer, adviser):
    other = UserFactory(username="paula", roles=[Role.POLICY_ADVISER])
    mine = advice_request(
        actor=officer, application_id=case_in_review(officer=officer).pk, adviser=adviser, question="Risk of diversion?"
    )
    theirs = advice_request(
        actor=officer, application_id=case_in_review(officer=officer).pk, adviser=other, question="Regional stability?"
    )
    client = client_for(adviser)

    listing = client.get(reverse("casework:advice_list")).content.decode()

    assert mine.application.reference in listing and theirs.application.reference not in listing
    assert client.get(reverse("casework:advice_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("casework:advice_detail", args=[mine.pk])).status_code == 200


def test_adviser_gives_advice_through_the_form(client_for, officer, adviser):
    request = advice_request(
        actor=officer,
        application_id=case_in_review(officer=officer).pk,
        adviser=adviser,
        question="Risk of diversion?",
        criteria=[7],
    )

    response = client_for(adviser).post(
        reverse("casework:advice_detail", args=[request.pk]),
        {
            "c7-outcome": "concerns",
            "c7-justification": "The consignee has a record of re-export.",
            "summary": "Caution.",
        },
    )

    assert response.status_code == 302
    assert request.advice.get().outcome == "concerns"


def test_denial_register_filters_by_issuing_state_and_direction(client_for, officer):
    received_denial(reference="FR-1", state="FR", on=date(2025, 1, 1))
    received_denial(reference="DE-1", state="DE", on=date(2025, 1, 2))

    content = (
        client_for(officer)
        .get(reverse("casework:denial_list"), {"issuing_state": "FR", "direction": "incoming"})
        .content.decode()
    )

    assert "FR-1" in content and "DE-1" not in content


def test_denial_register_uses_a_fixed_number_of_queries_when_it_has_many_rows(
    client_for, officer, django_assert_max_num_queries
):
    for n in range(30):
        received_denial(reference=f"FR-{n}", on=date(2025, 1, 1) + timedelta(days=n), criteria=(2, 7))
    client = client_for(officer)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("casework:denial_list"))

    assert response.status_code == 200 and "FR-29" in response.content.decode()  # newest first, 25 a page


def test_denial_import_form_reports_row_errors_when_the_file_is_invalid(client_for, officer):
    csv = (
        "reference,issuing_state,notified_on,destination,ml_category,goods_description,quantity,consignee,"
        "end_user,end_use,criteria,sub_criteria,reason\nX-1,NO,2025-01-01,SA,ML15,Sights,,,SANG,,2,,\n"
    )

    response = client_for(officer).post(
        reverse("casework:denial_list"), {"file": SimpleUploadedFile("d.csv", csv.encode(), "text/csv")}
    )

    assert response.status_code == 400
    assert "Row 1, issuing_state: NO was not an EU Member State on 1 January 2025" in response.content.decode()


def _panel_queries(application, officer, key):  # type: ignore[no-untyped-def]
    [panel] = [p for p in CASE_PANELS if p.key == key]
    with CaptureQueriesContext(connection) as ctx:
        context = panel.context(application, officer)
        render_to_string(panel.template, {"panel": context})
    return len(ctx.captured_queries), context


@pytest.mark.parametrize("key", ["checks", "denial_matches", "criteria", "advice"])
def test_case_panel_uses_the_same_number_of_queries_when_the_case_has_more_findings(officer, adviser, watch_list, key):
    small = case_in_review(officer=officer)
    large = case_in_review(officer=officer, end_user="ZPT General Trading")
    add_party(large, role=PartyRole.THIRD_PARTY, name="Obsidian Crescent Logistics", country="TR")
    received_denial(reference="FR-1", on=timezone.localdate() - timedelta(days=10), end_user="ZPT General Trading")
    received_denial(
        reference="DE-1", state="DE", on=timezone.localdate() - timedelta(days=20), end_user="ZPT General Trading"
    )
    for application in (small, large):
        checks_run(application=application, actor=None, trigger="manual")
    advice_request(actor=officer, application_id=small.pk, adviser=adviser, question="Q", criteria=[2])
    for n in range(3):
        advice_request(actor=officer, application_id=large.pk, adviser=adviser, question=f"Q{n}", criteria=[2, 7])
    assert DenialMatch.objects.filter(application=large).count() == 2

    small_count, _ = _panel_queries(small, officer, key)
    large_count, _ = _panel_queries(large, officer, key)

    assert small_count == large_count


def test_case_page_shows_the_assessment_panels_when_an_officer_opens_it(client_for, officer):
    application = case_in_review(officer=officer, destination="RU", end_user="Russian Ministry of Defence")
    checks_run(application=application, actor=None, trigger="manual")

    content = client_for(officer).get(reverse("casework:case_detail", args=[application.pk])).content.decode()

    assert "Automatic checks" in content and "Criteria assessment" in content and "Policy advice" in content
    assert "Council Decision 2014/512/CFSP" in content and "0 of 8 criteria assessed." in content


def _refused_case(officer, senior, organisation):  # type: ignore[no-untyped-def]
    application = case_in_review(officer=officer, organisation=organisation)
    decision = casework.decision_propose(
        actor=officer, application_id=application.pk, outcome="refuse", criteria=[7], justification="Diversion risk."
    )
    casework.decision_countersign(actor=senior, decision_id=decision.pk)
    letter = application.refusal_letters.get()
    refusal_letter_render(letter.pk)  # Celery's work after the commit
    letter.refresh_from_db()
    return letter


def test_refusal_appears_in_the_denial_register_with_its_criteria(client_for, officer, senior, exporter_a):
    letter = _refused_case(officer, senior, exporter_a.organisation)

    content = client_for(officer).get(reverse("casework:denial_list"), {"direction": "outgoing"}).content.decode()

    assert "NL-DEN-" in content and "<td>7</td>" in content  # the criteria column lists the number
    assert "Royal Norwegian Navy" in content and "ML15" in content
    assert client_for(officer).get(reverse("casework:refusal_letter", args=[letter.pk])).status_code == 200


def test_exporter_downloads_their_own_refusal_letter_but_exporter_b_gets_404(officer, senior, exporter_a, exporter_b):
    letter = _refused_case(officer, senior, exporter_a.organisation)
    view = ExporterRefusalLetterDownloadView.as_view()
    own = RequestFactory().get("/")
    own.user = exporter_a

    response = view(own, pk=letter.pk)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    other = RequestFactory().get("/")
    other.user = exporter_b
    with pytest.raises(Http404):
        view(other, pk=letter.pk)
