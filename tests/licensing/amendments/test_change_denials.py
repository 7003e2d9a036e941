"""A change of a licence that names a new consignee or end user like the party of another Member State's denial is held
by the decision gate until the Art. 4 consultation with the denying state is opened and concluded (Common Position
2008/944/CFSP Art. 4(1)), exactly as a new application is (licensing.denial_rules.change_denials_to_consult).

The licence of every test (tests.licensing.views.test_portal_helpers.licence_for): 10 thermal imaging modules (ML15)
at EUR 1,000 each, destination Norway, consignee Kongsberg Logistics AS; the whole test runs on 10 March 2026."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from audit.models import AuditEvent, Verb
from core.exceptions import DecisionBlocked, DomainValidationError, NotAllowed, TransitionNotAllowed
from licensing.decision_gate import BlockerCode
from licensing.models import AmendmentStatus, Licence, PartyRole
from licensing.models.consultation import Consultation, ConsultationOutcome, ConsultationStatus
from licensing.models.denials import ChangeDenialDismissal
from licensing.services import amendments, check_resolution
from licensing.services.amendment_consultations import (
    ERR_NOTHING_TO_CONSULT,
    amendment_art4_consultation_open,
    amendment_denial_dismiss,
)
from tests.factories import CountryFactory, DenialNotificationFactory, EndUserCertificateFactory, MLCategoryFactory
from tests.licensing.views.test_portal_helpers import licence_for

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = dt.date(2026, 3, 10)
DANISH_NAVY = {"role": PartyRole.END_USER, "name": "Royal Danish Navy", "address": "Holmen, Copenhagen"}
DANISH_NAVY |= {"country": "DK", "party_type": "armed_forces"}


@pytest.fixture
def licence(exporter_a, officer):  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM), tick=False):
        yield licence_for(exporter_a, officer, valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2027, 2, 28))


def _denial(notified_on: dt.date = dt.date(2025, 12, 10), **fields):  # type: ignore[no-untyped-def]
    """Germany denied ML15 goods for Denmark to the Royal Danish Navy (90 days before the test day by default)."""
    values = {"end_user": "Royal Danish Navy", "consignee": "Nordic Optics Trading ApS"} | fields
    return DenialNotificationFactory(
        destination=CountryFactory(iso2="DK"),
        ml_category=MLCategoryFactory(code="ML15"),
        notified_on=notified_on,
        **values,
    )


def _new_end_user(exporter, licence, change=DANISH_NAVY):  # type: ignore[no-untyped-def]
    certificate = EndUserCertificateFactory(
        organisation=exporter.organisation, end_user_name=change["name"], end_user_country=CountryFactory(iso2="DK")
    )
    return amendments.licence_amendment_request(
        actor=exporter,
        licence_id=licence.pk,
        kind="amendment",
        reason="The Danish navy buys the modules instead.",
        party_changes=[change],
        end_user_certificate_id=certificate.pk,
    )


def _decide(officer, amendment):  # type: ignore[no-untyped-def]
    return amendments.licence_amendment_decide(
        actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Weighed the German denial."
    )


def _codes(excinfo: pytest.ExceptionInfo[DecisionBlocked]) -> list[str]:
    return [b.code for b in excinfo.value.blockers]


def test_change_naming_a_denied_end_user_is_held_until_the_consultation_is_concluded_then_approved(
    exporter_a, officer, senior, licence
):
    denial = _denial()
    amendment = _new_end_user(exporter_a, licence)

    # 1. No consultation yet: the gate names the denial and asks to consult Germany.
    with pytest.raises(DecisionBlocked) as blocked:
        _decide(officer, amendment)
    assert _codes(blocked) == [BlockerCode.DENIAL_CONSULTATION_NEEDED]
    message = blocked.value.blockers[0].message
    assert denial.reference in message and "Germany" in message and "“Royal Danish Navy”" in message

    # 2. Consultation opened: still held, now because it is open.
    (consultation,) = amendment_art4_consultation_open(
        actor=officer, amendment_id=amendment.pk, reason="Same end user and goods category as the German denial."
    )
    assert (consultation.counterpart_id, consultation.denial_id, consultation.amendment_id) == (
        "DE",
        denial.pk,
        amendment.pk,
    )
    assert consultation.respond_by == dt.date(2026, 3, 31)  # three weeks (assessment_rules.ART4_RESPONSE_PERIOD)
    with pytest.raises(DecisionBlocked) as blocked:
        _decide(officer, amendment)
    assert _codes(blocked) == [BlockerCode.CONSULTATION_OPEN]

    # 3. Germany answers: no objection. The approval goes through, with a senior officer's countersignature.
    check_resolution.art4_consultation_conclude(
        actor=officer,
        consultation_id=consultation.pk,
        outcome=ConsultationOutcome.NO_OBJECTION,
        outcome_text="Germany has no objection to the Danish navy.",
    )
    proposed = _decide(officer, amendment)
    assert proposed.status == AmendmentStatus.PROPOSED
    approved = amendments.licence_amendment_countersign(actor=senior, amendment_id=amendment.pk)
    assert approved.status == AmendmentStatus.APPROVED
    licence = Licence.objects.get(pk=licence.pk)
    assert licence.terms_version == 2 and licence.destination_id == "DK"
    assert licence.parties.get(role=PartyRole.END_USER).name == "Royal Danish Navy"

    # The history: the consultation opened and concluded on this change, then the licence amended by it.
    events = AuditEvent.objects.filter(payload__amendment=amendment.pk).order_by("sequence")
    assert [(e.verb, e.target_type) for e in events] == [
        (Verb.CONSULTATION_OPENED, "licensing.consultation"),
        (Verb.CONSULTATION_CONCLUDED, "licensing.consultation"),
        (Verb.LICENCE_AMENDED, "licensing.licence"),
    ]
    assert events[0].payload["denial"] == denial.reference
    assert events[0].reason == "Same end user and goods category as the German denial."
    verbs = list(
        AuditEvent.objects.filter(target_type="licensing.licenceamendment", target_id=str(amendment.pk))
        .order_by("sequence")
        .values_list("verb", flat=True)
    )
    assert verbs == [Verb.LICENCE_AMENDMENT_REQUESTED, Verb.LICENCE_AMENDMENT_PROPOSED, Verb.LICENCE_AMENDMENT_DECIDED]


def test_a_denial_of_exactly_three_years_ago_holds_the_change_and_one_a_day_older_does_not(
    exporter_a, officer, senior, licence
):
    # The window counts back from the day of the decision and includes the day exactly three years back
    # (licensing.denial_rules.denial_in_window): 10 March 2023 holds a decision of 10 March 2026, 9 March does not.
    _denial(notified_on=dt.date(2023, 3, 9), reference="DE-2023-0309")
    amendment = _new_end_user(exporter_a, licence)
    assert _decide(officer, amendment).status == AmendmentStatus.PROPOSED
    amendments.licence_amendment_return(actor=senior, amendment_id=amendment.pk, reason="Look again.")

    _denial(notified_on=dt.date(2023, 3, 10), reference="DE-2023-0310")
    with pytest.raises(DecisionBlocked) as blocked:
        _decide(officer, amendment)
    assert _codes(blocked) == [BlockerCode.DENIAL_CONSULTATION_NEEDED]
    assert "DE-2023-0310" in blocked.value.blockers[0].message


def test_a_new_consignee_named_in_a_denial_is_held_as_well(exporter_a, officer, licence):
    # The denial's consignee, "Nordic Optics Trading ApS", comes in as the licence's new consignee in Denmark.
    _denial()
    consignee = {"role": PartyRole.CONSIGNEE, "name": "Nordic Optics Trading ApS", "address": "Bredgade 1"}
    amendment = amendments.licence_amendment_request(
        actor=exporter_a,
        licence_id=licence.pk,
        kind="amendment",
        reason="A new forwarder.",
        party_changes=[consignee | {"country": "DK", "party_type": "commercial"}],
    )
    with pytest.raises(DecisionBlocked) as blocked:
        _decide(officer, amendment)
    assert _codes(blocked) == [BlockerCode.DENIAL_CONSULTATION_NEEDED]
    assert "new consignee “Nordic Optics Trading ApS”" in blocked.value.blockers[0].message


def test_a_change_whose_new_end_user_is_unlike_the_denials_passes_the_gate(exporter_a, officer, licence):
    # Germany's denial for Denmark (ML15) names someone else: the change is not held, and nothing is consulted.
    _denial(end_user="Royal Saudi Land Forces", consignee="Gulf Optics Trading Est.")
    change = DANISH_NAVY | {"name": "Danish Defence Acquisition and Logistics Organisation"}
    amendment = _new_end_user(exporter_a, licence, change)

    with pytest.raises(TransitionNotAllowed, match=str(ERR_NOTHING_TO_CONSULT)):
        amendment_art4_consultation_open(actor=officer, amendment_id=amendment.pk, reason="Just in case.")
    proposed = _decide(officer, amendment)

    assert proposed.status == AmendmentStatus.PROPOSED  # four eyes for a new end user, as ever
    assert not Consultation.objects.filter(amendment=amendment).exists()


def test_opening_twice_opens_one_consultation_and_a_withdrawn_change_closes_it(exporter_a, officer, licence):
    _denial()
    amendment = _new_end_user(exporter_a, licence)
    amendment_art4_consultation_open(actor=officer, amendment_id=amendment.pk, reason="Essentially identical.")
    with pytest.raises(TransitionNotAllowed):
        amendment_art4_consultation_open(actor=officer, amendment_id=amendment.pk, reason="Again.")

    amendments.licence_amendment_withdraw(actor=exporter_a, amendment_id=amendment.pk, reason="Order cancelled.")

    (consultation,) = Consultation.objects.filter(amendment=amendment)
    assert consultation.status == ConsultationStatus.CONCLUDED
    assert consultation.outcome == ConsultationOutcome.CASE_CLOSED


def test_officer_opens_the_consultation_from_the_change_page_and_sees_it_listed(
    client_for, exporter_a, exporter_b, officer, licence
):
    _denial()
    amendment = _new_end_user(exporter_a, licence)
    client = client_for(officer)
    page = client.get(f"/casework/amendments/{amendment.pk}/").content.decode()
    assert "Open the Article 4 consultation with the denying state" in page

    url = f"/casework/amendments/{amendment.pk}/consult/"
    assert client.post(url, {"version": amendment.version, "reason": ""}).status_code == 400
    response = client.post(url, {"version": amendment.version, "reason": "Same end user."})

    assert response.status_code == 302
    page = client.get(f"/casework/amendments/{amendment.pk}/").content.decode()
    assert "Article 4 consultations on the change" in page and "Open the Article 4 consultation" not in page
    # Germany's answer is recorded on the consultation's page, which leads back to the change.
    consultation = Consultation.objects.get(amendment=amendment)
    answer = {"outcome": "denial_maintained", "outcome_text": "Germany maintains its denial.", "version": 1}
    response = client.post(f"/casework/art4-consultations/{consultation.pk}/conclude/", answer)
    assert response.status_code == 302 and response["Location"] == f"/casework/amendments/{amendment.pk}/"
    # The subject the register wrote is shown in the reader's language (Dutch by default), the day as Dutch writes it.
    with override_settings(LANGUAGE_CODE="nl"):
        page = client.get(f"/casework/art4-consultations/{consultation.pk}/conclude/").content.decode()
    assert (
        f"Wijziging van vergunning {licence.number}: nieuwe eindgebruiker Royal Danish Navy, in wezen gelijk aan "
        f"weigering {consultation.denial.reference} van 10 december 2025 (ML15, DK)"
    ) in page
    assert consultation.subject.startswith(f"Change of licence {licence.number}: new end user Royal Danish Navy")
    page = client.get(f"/casework/amendments/{amendment.pk}/").content.decode()
    assert "Denying state maintains its denial" in page
    # Another company's exporter is refused by the casework role check and opens nothing.
    assert client_for(exporter_b).post(url, {"version": 1, "reason": "x"}).status_code == 403
    assert Consultation.objects.filter(amendment=amendment).count() == 1


def test_officer_finds_the_change_not_essentially_identical_and_the_gate_lets_it_through(
    exporter_a, officer, senior, licence
):
    # Art. 4(1) asks for consultation only for an essentially identical transaction; the name is the rule's
    # proposal, the finding is the officer's. Here Germany's denial was for night-vision sights (ML15 too) to the
    # same navy, but the officer finds the change different: it is recorded with reasons and the gate stops asking.
    denial = _denial()
    amendment = _new_end_user(exporter_a, licence)

    with pytest.raises(DomainValidationError) as refused:
        amendment_denial_dismiss(actor=officer, amendment_id=amendment.pk, denial_id=denial.pk, reason=" ")
    assert list(refused.value.field_errors) == ["reason"]
    with pytest.raises(DomainValidationError) as refused:  # a denial the change is not held by
        other = _denial(reference="DE-OTHER", end_user="Hellenic Navy", consignee="Athens Optics")
        amendment_denial_dismiss(actor=officer, amendment_id=amendment.pk, denial_id=other.pk, reason="Different.")
    assert list(refused.value.field_errors) == ["denial"]
    with pytest.raises(NotAllowed):  # an exporter cannot make the finding
        amendment_denial_dismiss(actor=exporter_a, amendment_id=amendment.pk, denial_id=denial.pk, reason="x")
    assert not ChangeDenialDismissal.objects.exists()

    dismissal = amendment_denial_dismiss(
        actor=officer,
        amendment_id=amendment.pk,
        denial_id=denial.pk,
        reason="The German denial concerned weapon sights; these are ship-mounted thermal cameras.",
    )

    assert (dismissal.decided_by, dismissal.denial) == (officer, denial)
    assert dismissal.history.get().history_change_reason.startswith("The German denial concerned weapon sights")
    event = AuditEvent.objects.get(verb=Verb.CHECK_RESOLVED, target_type="licensing.licenceamendment")
    assert (event.actor_id, event.payload["denial"], event.payload["decision"]) == (officer.pk, denial.pk, "dismissed")
    # Nothing is left to consult on, and a second finding on the same denial is refused.
    with pytest.raises(TransitionNotAllowed):
        amendment_art4_consultation_open(actor=officer, amendment_id=amendment.pk, reason="Consult anyway.")
    with pytest.raises(DomainValidationError):
        amendment_denial_dismiss(actor=officer, amendment_id=amendment.pk, denial_id=denial.pk, reason="Again.")
    # The gate no longer holds the change: it goes to a senior officer (a new end user) and is approved.
    proposed = _decide(officer, amendment)
    assert proposed.status == AmendmentStatus.PROPOSED
    approved = amendments.licence_amendment_countersign(actor=senior, amendment_id=amendment.pk)
    assert approved.status == AmendmentStatus.APPROVED
    assert not Consultation.objects.filter(amendment=amendment).exists()


def test_a_consulted_denial_cannot_be_dismissed_afterwards(exporter_a, officer, licence):
    denial = _denial()
    amendment = _new_end_user(exporter_a, licence)
    amendment_art4_consultation_open(actor=officer, amendment_id=amendment.pk, reason="Essentially identical.")

    with pytest.raises(DomainValidationError) as refused:
        amendment_denial_dismiss(actor=officer, amendment_id=amendment.pk, denial_id=denial.pk, reason="Changed mind.")

    assert list(refused.value.field_errors) == ["denial"]
    with pytest.raises(DecisionBlocked) as blocked:
        _decide(officer, amendment)
    assert _codes(blocked) == [BlockerCode.CONSULTATION_OPEN]  # the open consultation still holds it


def test_officer_records_the_finding_on_the_change_page(client_for, exporter_a, exporter_b, officer, licence):
    denial = _denial()
    amendment = _new_end_user(exporter_a, licence)
    client = client_for(officer)
    page = client.get(f"/casework/amendments/{amendment.pk}/").content.decode()
    assert "Record that the change is not essentially identical to a denial" in page
    assert f"Germany · {denial.reference} · Royal Danish Navy" in page  # the denial to choose

    url = f"/casework/amendments/{amendment.pk}/dismiss-denial/"
    response = client.post(url, {"version": amendment.version, "denial": denial.pk, "reason": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    response = client.post(url, {"version": amendment.version, "denial": "", "reason": "Different goods."})
    assert response.status_code == 400 and "Choose the denial" in response.content.decode()
    assert not ChangeDenialDismissal.objects.exists()

    response = client.post(url, {"version": amendment.version, "denial": denial.pk, "reason": "Different goods."})

    assert response.status_code == 302
    page = client.get(f"/casework/amendments/{amendment.pk}/").content.decode()
    assert "Denials found not essentially identical" in page and "Different goods." in page
    assert "Open the Article 4 consultation" not in page and "cannot be approved yet" not in page
    # Another company's exporter is refused by the casework role check and records nothing.
    assert client_for(exporter_b).post(url, {"version": 1, "denial": denial.pk, "reason": "x"}).status_code == 403
    assert list(ChangeDenialDismissal.objects.values_list("reason", flat=True)) == ["Different goods."]
