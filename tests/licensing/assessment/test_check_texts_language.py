"""A check's finding reads in the officer's language (issue 15; Awb 2:6): stored as a code with its parameters,
put into words on the page. Rows from before the codes keep their stored words."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from licensing.models import PartyRole
from licensing.models.assessment import CheckKind, CheckResult, FlagLevel
from licensing.services.checks import checks_run

from .helpers import add_party, case_in_review, received_denial

pytestmark = pytest.mark.django_db

DECISION_DAY = date(2026, 11, 23)


def _page(client, application, language):  # type: ignore[no-untyped-def]
    response = client.get(reverse("casework:case_detail", args=[application.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_denial_match_reads_dutch_on_the_dutch_case_page_and_english_on_the_english_one(client_for, officer):
    application = case_in_review(officer=officer)
    received_denial(state="DE", reference="DE-2025-0042", on=date(2025, 5, 1))
    checks_run(application=application, actor=None, on=DECISION_DAY, trigger="manual")
    client = client_for(officer)

    dutch = _page(client, application, "nl")
    english = _page(client, application, "en")

    assert (
        "Duitsland weigerde op 1 mei 2025 een mogelijk in wezen identieke transactie (DE-2025-0042; "
        "gelijkenis 100 op eindgebruiker en goederen)."
    ) in dutch
    assert "Germany denied a possibly essentially identical transaction on 1 May 2025 (DE-2025-0042; " in english
    assert "similarity 100 on end user and goods)" in english
    assert "Germany denied" not in dutch


def test_embargo_flag_names_country_and_party_role_in_dutch_when_a_third_party_is_in_russia(client_for, officer):
    application = case_in_review(officer=officer, destination="NO")
    add_party(application, role=PartyRole.THIRD_PARTY, name="Volga Brokers", country="RU")
    checks_run(application=application, actor=None, on=date(2024, 1, 10), trigger="manual")
    client = client_for(officer)

    dutch = _page(client, application, "nl")
    english = _page(client, application, "en")

    assert "Wapenembargo op Rusland van kracht op 10 januari 2024 onder Council Decision 2014/512/CFSP" in dutch
    assert "Betreft: Derde partij (tussentijdse ontvanger, tussenhandelaar): Volga Brokers." in dutch
    assert (
        "Arms embargo on Russian Federation in force on 10 January 2024 under Council Decision 2014/512/CFSP" in english
    )
    assert "Affects: Third party (intermediate consignee, broker): Volga Brokers." in english


def test_stored_message_stays_english_beside_its_code_for_exports_and_the_api(officer):
    application = case_in_review(officer=officer)
    received_denial(state="DE", on=date(2025, 5, 1))

    run = checks_run(application=application, actor=None, on=DECISION_DAY, trigger="manual")

    [flag] = [r for r in run.results.all() if r.kind == CheckKind.DENIAL_MATCH]
    assert flag.message_code == "denial_match"
    assert flag.message_params["state_nl"] == "Duitsland"
    assert flag.message.startswith("Germany denied a possibly essentially identical transaction on 1 May 2025")


def test_row_written_before_the_codes_shows_its_stored_words_in_either_language(client_for, officer):
    application = case_in_review(officer=officer)
    run = checks_run(application=application, actor=None, on=DECISION_DAY, trigger="manual")
    CheckResult.objects.create(
        run=run,
        application=application,
        kind=CheckKind.NATIONAL_RULE,
        level=FlagLevel.WARNING,
        key="rule:old",
        message="An old finding, in the words it was stored with.",
    )
    client = client_for(officer)

    assert "An old finding, in the words it was stored with." in _page(client, application, "nl")
    assert "An old finding, in the words it was stored with." in _page(client, application, "en")
