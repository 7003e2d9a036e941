"""The history reads in the reader's language, in words (issue 15): kinds of records and fields by their names,
choice codes by their labels, amounts and dates in the language's format; no database ids, no internal keys."""

from __future__ import annotations

import re

import pytest

from .test_timeline_views import _settings, _text, _url, application  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]


def test_history_reads_dutch_in_words_when_the_officer_reads_dutch(client_for, officer, application):  # noqa: F811
    text = _text(client_for(officer).get(_url("history", application), HTTP_ACCEPT_LANGUAGE="nl"))

    assert f"Geschiedenis: Aanvraag {application.reference} Radar spares" in text
    assert "Hoeveelheid: 10 → 12" in text
    assert "Waarde (EUR): 1.000,00 → 1.200,00" in text
    assert "Soort vergunning: Individuele uitvoervergunning" in text
    assert "Aanvraag bijgewerkt Waarde (EUR): 1.200,00" in text  # the event's own amount, in words too
    assert "individual_export" not in text
    assert not re.search(r"#\d", text)


def test_history_reads_english_in_words_when_the_officer_reads_english(client_for, officer, application):  # noqa: F811
    text = _text(client_for(officer).get(_url("history", application), HTTP_ACCEPT_LANGUAGE="en"))

    assert f"History: Application {application.reference} Radar spares" in text
    assert "Quantity: 10 → 12" in text
    assert "Value (EUR): 1,000.00 → 1,200.00" in text
    assert "Licence type: Individual export licence" in text
    assert "individual_export" not in text
    assert not re.search(r"#\d", text)


def test_reason_stored_as_words_reads_in_the_readers_language(client_for, officer, application):  # noqa: F811
    from datetime import date

    from django.db import transaction
    from django.utils.translation import gettext_noop

    from audit.models import Verb
    from audit.services import record
    from core.texts import REASON_WORDS, Words, date_param

    words = Words(gettext_noop("validity ended on {day}"), {"day": date_param(date(2026, 12, 4))})
    with transaction.atomic():
        record(
            actor=None,
            verb=Verb.CHECKS_RUN,
            target=application,
            reason=words.english(),
            payload={REASON_WORDS: words.as_json()},
        )
    client = client_for(officer)

    assert "Reden: geldigheid geëindigd op 4 december 2026" in _text(
        client.get(_url("history", application), HTTP_ACCEPT_LANGUAGE="nl")
    )
    assert "Reason: validity ended on 4 December 2026" in _text(
        client.get(_url("history", application), HTTP_ACCEPT_LANGUAGE="en")
    )
