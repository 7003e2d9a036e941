"""The authority decides in Dutch (Awb 2:6): the licence and the refusal letter are Dutch documents, whatever
language the officer who triggered them reads the interface in. Checked on the text extracted from the PDFs."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.test import override_settings
from django.utils import translation
from pypdf import PdfReader

from licensing.documents import licence_pdf
from licensing.models.assessment import RefusalLetter
from licensing.tasks import refusal_letter_render
from tests.licensing.assessment.helpers import case_in_review
from tests.licensing.assessment.test_refusal_and_denials import SENT_ON, _refuse
from tests.licensing.views.test_portal_helpers import licence_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dutch_authority")]


@pytest.fixture
def dutch_authority():  # type: ignore[no-untyped-def]
    """The production default (config.settings.base), with the officer's own interface in English."""
    with override_settings(LANGUAGE_CODE="nl"), translation.override("en"):
        yield


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


@time_machine.travel(SENT_ON, tick=False)
def test_refusal_letter_is_dutch_with_the_objection_clause_and_its_last_day(officer, senior):
    application = case_in_review(officer=officer, destination="SA", end_user="Saudi Arabian National Guard")

    _refuse(application, officer, senior)

    letter = RefusalLetter.objects.get(application=application)
    refusal_letter_render(letter.pk)  # the Celery task that renders it after the decision commits
    letter.refresh_from_db()
    with letter.document.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Besluit: uw aanvraag wordt geweigerd" in text
    assert "Saoedi-Arabië" in text  # the destination by its Dutch name
    assert "Datum van dit besluit 24 maart 2026" in text
    assert "Criterium 2: Mensenrechten en internationaal humanitair recht" in text
    assert "Criterium 7: Risico van omleiding of wederuitvoer" in text
    # Awb 6:7 six weeks from the day after sending (6:8); 5 May 2026 is a holiday under the Atw, so 6 May.
    assert "zes weken (artikel 6:7 van de Algemene wet bestuursrecht, Awb)" in text
    assert "begint op de dag na de datum van dit besluit (artikel 6:8 Awb)" in text
    assert "De laatste dag waarop u bezwaar kunt maken is woensdag 6 mei 2026." in text
    assert "Your objection" not in text and "Decision" not in text


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_licence_pdf_is_dutch_with_dutch_dates_and_amounts(exporter_a, officer):
    licence = licence_for(exporter_a, officer, valid_from=date(2026, 3, 2), valid_until=date(2028, 3, 1))

    text = pdf_text(licence_pdf(licence))

    assert "Uitvoervergunning voor militaire goederen" in text
    assert f"Vergunningnummer {licence.number}" in text
    assert "Bestemming Noorwegen" in text
    assert "van 2 maart 2026 tot en met 1 maart 2028" in text
    assert "Vergunde goederen" in text
    assert "10.000,00" in text  # 10 pieces at EUR 1,000: Dutch grouping and decimal comma
    assert "Geen voorwaarden naast die van de wet." in text
    assert "Licensed goods" not in text and "Valid from" not in text
