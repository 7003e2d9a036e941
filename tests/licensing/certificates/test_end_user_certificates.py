"""End-user certificates as data: registered once, checked against the application's end user and its
validity (boundaries on the first and last valid day), reused across applications of the same end user."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from audit.models import AuditEvent, Verb
from core.exceptions import DomainValidationError, NotAllowed
from licensing.certificate_rules import ERR_EUC_EXPIRED, ERR_EUC_NOT_YET_VALID, ERR_EUC_OTHER_END_USER
from licensing.models import CertificateUse, PartyRole
from licensing.services.certificates import (
    ERR_EUC_DATES,
    ERR_EUC_DUPLICATE,
    end_user_certificate_attach,
    end_user_certificate_register,
)
from tests.factories import complete_draft

pytestmark = pytest.mark.django_db

ISSUED, UNTIL = date(2026, 3, 1), date(2026, 8, 31)


def _on(day: date):  # type: ignore[no-untyped-def]
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False
    )


def _certificate(exporter, *, name="Royal Norwegian Navy", country="NO", number="NO-MOD-2026-117"):  # type: ignore[no-untyped-def]
    return end_user_certificate_register(
        actor=exporter,
        issuer="Norwegian Ministry of Defence",
        number=number,
        issued_on=ISSUED,
        valid_until=UNTIL,
        re_export_clause=True,
        end_user_name=name,
        end_user_country_id=country,
    )


def _draft_for(exporter, end_user_name="Royal Norwegian Navy"):  # type: ignore[no-untyped-def]
    draft = complete_draft(organisation=exporter.organisation, created_by=exporter)
    draft.parties.filter(role=PartyRole.END_USER).update(name=end_user_name, country_id="NO")
    return draft


@pytest.mark.parametrize("day", [ISSUED, UNTIL])
def test_certificate_is_attached_when_today_is_its_first_or_last_valid_day(exporter_a, day):
    certificate = _certificate(exporter_a)
    draft = _draft_for(exporter_a, end_user_name="  royal norwegian   NAVY ")  # case and spacing do not matter
    with _on(day):
        use = end_user_certificate_attach(actor=exporter_a, application_id=draft.pk, certificate_id=certificate.pk)
    assert use.certificate == certificate
    assert AuditEvent.objects.filter(verb=Verb.END_USER_CERTIFICATE_ATTACHED, target_id=str(draft.pk)).count() == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 2, 28), ERR_EUC_NOT_YET_VALID.format(issued="1 March 2026")),
        (date(2026, 9, 1), ERR_EUC_EXPIRED.format(until="31 August 2026")),
    ],
)
def test_certificate_is_refused_when_outside_its_validity(exporter_a, day, message):
    certificate = _certificate(exporter_a)
    draft = _draft_for(exporter_a)
    with _on(day), pytest.raises(DomainValidationError) as exc:
        end_user_certificate_attach(actor=exporter_a, application_id=draft.pk, certificate_id=certificate.pk)
    assert exc.value.field_errors == {"certificate": [message]}
    assert not CertificateUse.objects.exists()


def test_certificate_is_refused_when_it_names_another_end_user(exporter_a):
    certificate = _certificate(exporter_a, name="Royal Danish Navy", country="DK")
    draft = _draft_for(exporter_a)
    with _on(date(2026, 5, 1)), pytest.raises(DomainValidationError) as exc:
        end_user_certificate_attach(actor=exporter_a, application_id=draft.pk, certificate_id=certificate.pk)
    expected = ERR_EUC_OTHER_END_USER.format(named="Royal Danish Navy", country="DK", end_user="Royal Norwegian Navy")
    assert exc.value.field_errors == {"certificate": [expected]}


def test_one_certificate_serves_every_application_for_the_same_end_user_when_valid(exporter_a):
    certificate = _certificate(exporter_a)
    drafts = [_draft_for(exporter_a), _draft_for(exporter_a)]
    with _on(date(2026, 5, 1)):
        for draft in drafts:
            end_user_certificate_attach(actor=exporter_a, application_id=draft.pk, certificate_id=certificate.pk)
    assert sorted(certificate.uses.values_list("application_id", flat=True)) == sorted(d.pk for d in drafts)


def test_other_company_cannot_use_the_certificate_when_it_is_not_theirs(exporter_a, exporter_b):
    certificate = _certificate(exporter_a)
    draft = _draft_for(exporter_b)
    with _on(date(2026, 5, 1)), pytest.raises(NotAllowed):
        end_user_certificate_attach(actor=exporter_b, application_id=draft.pk, certificate_id=certificate.pk)


def test_registration_is_refused_when_the_number_is_registered_already_or_the_dates_are_reversed(exporter_a):
    _certificate(exporter_a)
    with pytest.raises(DomainValidationError, match=re.escape(ERR_EUC_DUPLICATE.format(number="NO-MOD-2026-117"))):
        _certificate(exporter_a)
    with pytest.raises(DomainValidationError) as exc:
        end_user_certificate_register(
            actor=exporter_a,
            issuer="MoD",
            number="X-1",
            issued_on=date(2026, 3, 2),
            valid_until=date(2026, 3, 1),
            re_export_clause=False,
            end_user_name="Navy",
            end_user_country_id="NO",
        )
    assert exc.value.field_errors == {"valid_until": [ERR_EUC_DATES]}
    registered = AuditEvent.objects.get(verb=Verb.END_USER_CERTIFICATE_REGISTERED)
    assert registered.payload["valid_until"] == "2026-08-31"
