"""General licences through their services: publishing with history, registration (with and without an
officer's approval), usage returns refused outside the licence's scope, and the audit trail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from audit.models import AuditEvent, Verb
from core.exceptions import DomainValidationError, NotAllowed, StaleVersion, TransitionNotAllowed
from general_licences.models import GeneralLicence, RegistrationStatus, UsageReturn
from general_licences.services import (
    ERR_ALREADY_REGISTERED,
    ERR_CATEGORY_OUT_OF_SCOPE,
    ERR_COUNTRY_OUT_OF_SCOPE,
    ERR_NOT_IN_FORCE,
    ERR_PERIOD_FILED,
    ERR_REASON,
    LicenceData,
    general_licence_register,
    general_licence_registration_decide,
    general_licence_update,
    usage_return_file,
)
from tests.general_licences.helpers import line, on, publish

pytestmark = pytest.mark.django_db


def test_officer_publishes_a_licence_with_its_scope_and_history_when_data_is_complete(officer):
    licence = publish(officer)
    assert sorted(licence.ml_categories.values_list("pk", flat=True)) == ["ML10", "ML15"]
    assert sorted(licence.destinations.values_list("pk", flat=True)) == ["DE", "FR"]
    assert officer in {h.history_user for h in licence.history.all()}
    event = AuditEvent.objects.get(verb=Verb.GENERAL_LICENCE_SAVED)
    assert event.payload["destinations"] == ["DE", "FR"]


def test_exporter_cannot_publish_a_licence(exporter_a):
    with pytest.raises(NotAllowed):
        publish(exporter_a)


def test_licence_ending_before_it_starts_is_a_field_error(officer):
    with pytest.raises(DomainValidationError) as exc:
        publish(officer, valid_until=date(2025, 12, 31))
    assert list(exc.value.field_errors) == ["valid_until"]


def test_second_officer_with_a_stale_version_gets_409_when_the_licence_changed(officer, officer2):
    licence = publish(officer)
    data = LicenceData(**{**_data_of(licence), "destination_codes": ["DE", "FR", "ES"]})
    general_licence_update(actor=officer, licence_id=licence.pk, version=1, data=data, reason="Spain added")
    with pytest.raises(StaleVersion):
        general_licence_update(actor=officer2, licence_id=licence.pk, version=1, data=data, reason="again")
    licence.refresh_from_db()
    assert licence.version == 2
    assert licence.history.first().history_change_reason == "Spain added"


def _data_of(licence: GeneralLicence) -> dict:
    return {
        "reference": licence.reference, "title": licence.title, "kind": licence.kind,
        "transfer_ground": licence.transfer_ground, "ml_category_codes": ["ML10", "ML15"],
        "destination_codes": ["DE", "FR"], "conditions": licence.conditions, "valid_from": licence.valid_from,
        "valid_until": licence.valid_until, "requires_approval": licence.requires_approval,
        "return_period_months": licence.return_period_months, "return_due_days": licence.return_due_days,
    }  # fmt: skip


def test_registration_takes_effect_at_once_when_the_licence_needs_no_approval(officer, exporter_a):
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        registration = general_licence_register(actor=exporter_a, licence_id=licence.pk)
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.active_from == date(2026, 2, 10)


def test_registration_waits_for_an_officer_when_the_licence_asks_for_approval(officer, exporter_a):
    licence = publish(officer)
    with on(date(2026, 2, 10)):
        registration = general_licence_register(actor=exporter_a, licence_id=licence.pk, intended_use="Sights")
        assert registration.status == RegistrationStatus.PENDING
        with pytest.raises(TransitionNotAllowed, match=str(ERR_ALREADY_REGISTERED)):
            general_licence_register(actor=exporter_a, licence_id=licence.pk)
        with pytest.raises(DomainValidationError, match=str(ERR_REASON)):
            general_licence_registration_decide(actor=officer, registration_id=registration.pk, approve=False)
        decided = general_licence_registration_decide(actor=officer, registration_id=registration.pk, approve=True)
    assert decided.status == RegistrationStatus.APPROVED
    assert decided.active_from == date(2026, 2, 10)
    assert AuditEvent.objects.filter(verb=Verb.GENERAL_LICENCE_REGISTRATION_DECIDED).count() == 1


@pytest.mark.parametrize(("day", "allowed"), [(date(2025, 12, 31), False), (date(2026, 1, 1), True),
                                              (date(2028, 12, 31), True), (date(2029, 1, 1), False)])  # fmt: skip
def test_registration_is_possible_only_while_the_licence_is_in_force(officer, exporter_a, day, allowed):
    licence = publish(officer, requires_approval=False)
    with on(day):
        if allowed:
            assert general_licence_register(actor=exporter_a, licence_id=licence.pk).pk
        else:
            with pytest.raises(TransitionNotAllowed, match=str(ERR_NOT_IN_FORCE)):
                general_licence_register(actor=exporter_a, licence_id=licence.pk)


def test_pending_company_cannot_register(officer, pending_org):
    from core.roles import Role
    from tests.factories import UserFactory

    charlie = UserFactory(username="charlie", organisation=pending_org, roles=[Role.EXPORTER])
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)), pytest.raises(NotAllowed):
        general_licence_register(actor=charlie, licence_id=licence.pk)


def _registered(officer, exporter):  # type: ignore[no-untyped-def]
    licence = publish(officer, requires_approval=False)
    with on(date(2026, 2, 10)):
        return general_licence_register(actor=exporter, licence_id=licence.pk)


def test_usage_return_is_filed_for_the_half_year_when_lines_are_in_scope(officer, exporter_a):
    registration = _registered(officer, exporter_a)
    with on(date(2026, 7, 3)):
        usage = usage_return_file(
            actor=exporter_a,
            registration_id=registration.pk,
            period_start=date(2026, 1, 1),
            nil_return=False,
            lines=[line(), line(ml_category_code="ML10", country_code="FR", value_eur=Decimal("1000"))],
        )
    assert (usage.period_start, usage.period_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert usage.lines.count() == 2
    event = AuditEvent.objects.get(verb=Verb.USAGE_RETURN_FILED)
    assert event.payload["value_eur"] == "85000.00"


def test_goods_and_destination_outside_the_scope_are_field_errors_on_their_line(officer, exporter_a):
    registration = _registered(officer, exporter_a)
    with on(date(2026, 7, 3)), pytest.raises(DomainValidationError) as exc:
        usage_return_file(
            actor=exporter_a,
            registration_id=registration.pk,
            period_start=date(2026, 1, 1),
            nil_return=False,
            lines=[line(), line(ml_category_code="ML4", country_code="US")],
        )
    assert exc.value.field_errors == {
        "lines.1.ml_category": [str(ERR_CATEGORY_OUT_OF_SCOPE).format(category="ML4")],
        "lines.1.country": [str(ERR_COUNTRY_OUT_OF_SCOPE).format(country="US")],
    }
    assert not UsageReturn.objects.exists()


def test_a_period_is_reported_once(officer, exporter_a):
    registration = _registered(officer, exporter_a)
    with on(date(2026, 7, 3)):
        usage_return_file(actor=exporter_a, registration_id=registration.pk, period_start=date(2026, 1, 1),
                          nil_return=True, lines=[])  # fmt: skip
        with pytest.raises(DomainValidationError, match=str(ERR_PERIOD_FILED)):
            usage_return_file(actor=exporter_a, registration_id=registration.pk, period_start=date(2026, 3, 1),
                              nil_return=True, lines=[])  # fmt: skip


def test_another_company_cannot_file_on_a_registration(officer, exporter_a, exporter_b):
    registration = _registered(officer, exporter_a)
    with on(date(2026, 7, 3)), pytest.raises(TransitionNotAllowed):
        usage_return_file(actor=exporter_b, registration_id=registration.pk, period_start=date(2026, 1, 1),
                          nil_return=True, lines=[])  # fmt: skip


def test_a_period_that_has_not_started_cannot_be_reported(officer, exporter_a):
    registration = _registered(officer, exporter_a)
    with on(date(2026, 6, 30)), pytest.raises(DomainValidationError) as exc:
        usage_return_file(actor=exporter_a, registration_id=registration.pk, period_start=date(2026, 7, 1),
                          nil_return=True, lines=[])  # fmt: skip
    assert list(exc.value.field_errors) == ["period_start"]
