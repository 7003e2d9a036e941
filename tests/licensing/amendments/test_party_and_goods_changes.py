"""Amendments that change a party or add a goods line: the licence keeps its own parties per version, the officer
assesses only what changes (embargo, denials, the new end user's certificate) with four eyes where
licensing.amendment_rules says so, and each version's PDF names that version's parties and goods.

The licence of every test (tests.licensing.views.test_portal_helpers.licence_for): 10 thermal imaging modules (ML15)
at EUR 1,000 each, destination Norway, consignee Kongsberg Logistics AS, end user a unit of the Royal Norwegian Navy;
decided 10 March 2026 by one officer."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from core.exceptions import DecisionBlocked, DomainValidationError
from licensing.amendment_rules import REASON_DESTINATION, REASON_NEW_CATEGORY, REASON_PARTY
from licensing.decision_gate import BlockerCode
from licensing.models import AmendmentStatus, Licence, LicenceAmendment, LicenceVersion, LicensedGoods, PartyRole
from licensing.services import amendments, casework, check_resolution
from licensing.services.amendment_consultations import amendment_art4_consultation_open
from licensing.services.amendments import ERR_EUC_REQUIRED, ERR_PARTY_REQUIRED, ERR_SAVED_PARTY_UNKNOWN
from licensing.tasks import licence_render_pdf, licence_version_render_pdf
from tests.factories import (
    CountryFactory,
    DenialNotificationFactory,
    EmbargoFactory,
    EndUserCertificateFactory,
    MLCategoryFactory,
    ProductFactory,
    SavedPartyFactory,
)
from tests.licensing.views.test_portal_helpers import licence_for, portal_url

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NEW_CONSIGNEE = {
    "role": PartyRole.CONSIGNEE,
    "name": "Nammo Raufoss Logistics AS",
    "address": "Enggata 37, 2830 Raufoss",
    "country": "NO",
    "party_type": "commercial",
}


@pytest.fixture
def licence(exporter_a, officer):  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=AMSTERDAM), tick=False):
        yield licence_for(exporter_a, officer, valid_from=dt.date(2026, 3, 1), valid_until=dt.date(2027, 2, 28))


def _text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def _ask(exporter, licence, **change):  # type: ignore[no-untyped-def]
    return amendments.licence_amendment_request(
        actor=exporter, licence_id=licence.pk, kind="amendment", reason="The customer changed.", **change
    )


def test_end_user_in_an_embargoed_country_blocks_the_change(exporter_a, officer, licence):
    # Russia: EU arms embargo in force since 1 August 2014 (Council Decision 2014/512/CFSP). The destination follows
    # the new end user's country, the checks find the embargo, and the gate refuses an approval.
    EmbargoFactory(country=CountryFactory(iso2="RU"))
    certificate = EndUserCertificateFactory(
        organisation=exporter_a.organisation,
        end_user_name="Rosoboronexport",
        end_user_country=CountryFactory(iso2="RU"),
        issuer="Rosoboronexport",
    )
    amendment = _ask(
        exporter_a,
        licence,
        party_changes=[
            {
                "role": PartyRole.END_USER,
                "name": "Rosoboronexport",
                "address": "Stromynka 27, Moscow",
                "country": "RU",
                "party_type": "government",
            }
        ],
        end_user_certificate_id=certificate.pk,
    )
    assert amendment.new_destination_id == "RU"
    with pytest.raises(DecisionBlocked) as raised:
        amendments.licence_amendment_decide(
            actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Looks fine."
        )
    assert BlockerCode.EMBARGO in {blocker.code for blocker in raised.value.blockers}
    licence = Licence.objects.get(pk=licence.pk)
    assert (licence.terms_version, licence.destination_id) == (1, "NO")
    assert licence.parties.get(role=PartyRole.END_USER).country_id == "NO"


def test_new_end_user_needs_a_certificate_that_names_it(exporter_a, licence):
    change = {"role": PartyRole.END_USER, "name": "Royal Danish Navy", "address": "Holmen, Copenhagen"}
    change |= {"country": "DK", "party_type": "armed_forces"}
    with pytest.raises(DomainValidationError) as raised:
        _ask(exporter_a, licence, party_changes=[change])
    assert raised.value.field_errors == {"end_user_certificate": [str(ERR_EUC_REQUIRED)]}
    # A certificate for the Norwegian navy does not name the Danish one.
    norwegian = EndUserCertificateFactory(organisation=exporter_a.organisation)
    with pytest.raises(DomainValidationError) as raised:
        _ask(exporter_a, licence, party_changes=[change], end_user_certificate_id=norwegian.pk)
    assert "not this application's end user Royal Danish Navy" in raised.value.field_errors["end_user_certificate"][0]


def test_a_saved_party_of_another_company_cannot_be_picked(exporter_a, exporter_b, licence):
    theirs = SavedPartyFactory(organisation=exporter_b.organisation, role=PartyRole.CONSIGNEE)
    with pytest.raises(DomainValidationError) as raised:
        _ask(exporter_a, licence, party_changes=[{"role": PartyRole.CONSIGNEE, "saved_party": theirs.pk}])
    assert raised.value.field_errors == {"consignee-saved_party": [str(ERR_SAVED_PARTY_UNKNOWN)]}


def test_new_consignee_is_countersigned_and_each_version_pdf_names_its_own_consignee(
    exporter_a, officer, senior, licence
):
    licence_render_pdf(licence.pk)
    amendment = _ask(exporter_a, licence, party_changes=[NEW_CONSIGNEE])
    proposed = amendments.licence_amendment_decide(
        actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Known logistics firm."
    )
    assert proposed.status == AmendmentStatus.PROPOSED
    assert proposed.four_eyes_reasons == [str(REASON_PARTY).format(roles="consignee")]
    amendments.licence_amendment_countersign(actor=senior, amendment_id=amendment.pk, reason="Agreed.")

    licence = Licence.objects.get(pk=licence.pk)
    assert licence.terms_version == 2
    assert list(licence.parties.filter(role=PartyRole.CONSIGNEE).values_list("name", flat=True)) == [
        "Nammo Raufoss Logistics AS"
    ]
    assert licence.application.parties.get(role=PartyRole.CONSIGNEE).name == "Kongsberg Logistics AS"  # untouched
    old = LicenceVersion.objects.get(licence=licence, number=1)
    assert [p["name"] for p in old.parties if p["role"] == PartyRole.CONSIGNEE] == ["Kongsberg Logistics AS"]

    assert licence_render_pdf(licence.pk) == "rendered"
    new_pdf = _text(Licence.objects.get(pk=licence.pk).document.read())
    old_pdf = _text(old.document.read())
    assert "Nammo Raufoss Logistics AS" in new_pdf and "Kongsberg Logistics AS" not in new_pdf
    assert "Kongsberg Logistics AS" in old_pdf and "Nammo Raufoss Logistics AS" not in old_pdf


def test_a_version_replaced_before_its_pdf_was_made_gets_one_from_its_frozen_parties(
    exporter_a, officer, senior, licence
):
    amendment = _ask(exporter_a, licence, party_changes=[NEW_CONSIGNEE])
    amendments.licence_amendment_decide(actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Fine.")
    amendments.licence_amendment_countersign(actor=senior, amendment_id=amendment.pk)
    old = LicenceVersion.objects.get(licence=licence, number=1)
    assert not old.document
    assert licence_version_render_pdf(old.pk) == "rendered"
    assert licence_version_render_pdf(old.pk) == "already rendered"
    old.refresh_from_db()
    text = _text(old.document.read())
    assert "Kongsberg Logistics AS" in text and "Nammo Raufoss Logistics AS" not in text


def test_goods_line_in_a_new_category_is_countersigned_and_shipped_against_the_new_version(
    exporter_a, officer, senior, licence
):
    MLCategoryFactory(code="ML5")
    product = ProductFactory(
        organisation=exporter_a.organisation, description="Fire control radar FCR-2", ml_category_id="ML5"
    )
    amendment = _ask(
        exporter_a,
        licence,
        goods_additions=[{"product": product.pk, "quantity": "2", "unit": "pcs", "value_eur": "500"}],
    )
    assert amendment.goods_additions[0]["description"] == "Fire control radar FCR-2"
    proposed = amendments.licence_amendment_decide(
        actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Same navy, same programme."
    )
    # EUR 10,000 -> 10,500 is +5 %: not material; the reason is the new category alone.
    assert proposed.four_eyes_reasons == [str(REASON_NEW_CATEGORY).format(categories="ML5")]
    amendments.licence_amendment_countersign(actor=senior, amendment_id=amendment.pk)
    licence = Licence.objects.get(pk=licence.pk)
    added = LicensedGoods.objects.get(licence=licence, ml_category_id="ML5")
    assert added.goods_line_id is None
    assert (licence.total_value_eur, licence.terms_version) == (Decimal("10500.00"), 2)
    with time_machine.travel(dt.datetime(2026, 3, 12, 10, 0, tzinfo=AMSTERDAM), tick=False):
        shipment = casework.shipment_record(
            actor=exporter_a,
            licence_id=licence.pk,
            licensed_goods_id=added.pk,
            shipped_on=dt.date(2026, 3, 12),
            quantity=Decimal("2"),
            value_eur=Decimal("500"),
        )
    assert shipment.terms_version == 2
    assert LicenceVersion.objects.get(licence=licence, number=1).goods[0]["ml_category"] == "ML15"
    assert len(LicenceVersion.objects.get(licence=licence, number=1).goods) == 1


def test_new_end_user_in_another_country_moves_the_destination_and_needs_four_eyes(
    exporter_a, officer, senior, licence
):
    certificate = EndUserCertificateFactory(
        organisation=exporter_a.organisation,
        end_user_name="Royal Danish Navy",
        end_user_country=CountryFactory(iso2="DK"),
    )
    change = {"role": PartyRole.END_USER, "name": "Royal Danish Navy", "address": "Holmen, Copenhagen"}
    change |= {"country": "DK", "party_type": "armed_forces"}
    amendment = _ask(exporter_a, licence, party_changes=[change], end_user_certificate_id=certificate.pk)
    proposed = amendments.licence_amendment_decide(
        actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="NATO ally."
    )
    assert proposed.four_eyes_reasons == [str(REASON_DESTINATION), str(REASON_PARTY).format(roles="end user")]
    amendments.licence_amendment_countersign(actor=senior, amendment_id=amendment.pk)
    licence = Licence.objects.get(pk=licence.pk)
    assert licence.destination_id == "DK"
    assert licence.parties.get(role=PartyRole.END_USER).name == "Royal Danish Navy"


def test_exporter_picks_a_saved_consignee_on_the_form_and_the_officer_sees_before_and_after(
    client_for, exporter_a, officer, licence
):
    saved = SavedPartyFactory(
        organisation=exporter_a.organisation,
        role=PartyRole.CONSIGNEE,
        name="Nammo Raufoss Logistics AS",
        address="Enggata 37, 2830 Raufoss",
        party_type="commercial",
    )
    goods = licence.goods.get()
    client = client_for(exporter_a)
    url = portal_url("amendment_request", licence.pk, "amendment")
    form = client.get(url).content.decode()
    assert "Nammo Raufoss Logistics AS" in form  # offered from the saved parties
    response = client.post(
        url,
        {
            "reason": "Our Norwegian distributor changed.",
            f"goods-{goods.pk}-quantity": "10",
            f"goods-{goods.pk}-value_eur": "10000",
            "consignee-saved_party": str(saved.pk),
        },
    )
    assert response.status_code == 302
    amendment = LicenceAmendment.objects.get(licence=licence)
    assert amendment.party_changes == [
        {
            "role": "consignee",
            "name": "Nammo Raufoss Logistics AS",
            "address": "Enggata 37, 2830 Raufoss",
            "country": "NO",
            "party_type": "commercial",
            "saved_party": saved.pk,
        }
    ]
    page = client_for(officer).get(reverse("casework:amendment_detail", args=[amendment.pk])).content.decode()
    assert "Kongsberg Logistics AS (NO) → <strong>Nammo Raufoss Logistics AS</strong>" in page
    assert str(REASON_PARTY).format(roles="consignee") in page


def test_a_typed_end_user_without_its_fields_is_a_field_error_with_400(client_for, exporter_a, licence):
    goods = licence.goods.get()
    response = client_for(exporter_a).post(
        portal_url("amendment_request", licence.pk, "amendment"),
        {
            "reason": "New end user.",
            f"goods-{goods.pk}-quantity": "10",
            f"goods-{goods.pk}-value_eur": "10000",
            "end_user-name": "Royal Danish Navy",
        },
    )
    assert response.status_code == 400
    assert escape(str(ERR_PARTY_REQUIRED)) in response.content.decode()


def test_exporter_downloads_an_old_version_pdf_that_is_made_on_first_request(
    client_for, exporter_a, exporter_b, officer, senior, licence
):
    amendment = _ask(exporter_a, licence, party_changes=[NEW_CONSIGNEE])
    amendments.licence_amendment_decide(actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Fine.")
    amendments.licence_amendment_countersign(actor=senior, amendment_id=amendment.pk)
    url = portal_url("licence_version_pdf", licence.pk, 1)
    assert client_for(exporter_b).get(url).status_code == 404
    client = client_for(exporter_a)
    assert client.get(url).status_code == 202  # being prepared (Celery runs eagerly in the tests)
    response = client.get(url)
    assert response.status_code == 200
    text = _text(b"".join(response.streaming_content))
    assert "Kongsberg Logistics AS" in text and "Nammo Raufoss Logistics AS" not in text
    page = client.get(portal_url("licence_detail", licence.pk)).content.decode()
    assert "Parties named in version 2" in page and "Nammo Raufoss Logistics AS" in page


def test_a_denial_naming_a_similar_end_user_is_flagged_on_the_change_and_needs_four_eyes(exporter_a, officer, licence):
    # Germany denied ML15 goods for Denmark 90 days ago (within the three-year window of Common Position Art. 4)
    # to the "Royal Danish Navy": the new end user has the same name.
    denial = DenialNotificationFactory(
        destination=CountryFactory(iso2="DK"), ml_category=MLCategoryFactory(code="ML15"), end_user="Royal Danish Navy"
    )
    certificate = EndUserCertificateFactory(
        organisation=exporter_a.organisation,
        end_user_name="Royal Danish Navy",
        end_user_country=CountryFactory(iso2="DK"),
    )
    change = {"role": PartyRole.END_USER, "name": "Royal Danish Navy", "address": "Holmen, Copenhagen"}
    change |= {"country": "DK", "party_type": "armed_forces"}
    amendment = _ask(exporter_a, licence, party_changes=[change], end_user_certificate_id=certificate.pk)
    # Art. 4: Germany is consulted first (tests/licensing/amendments/test_change_denials.py walks the hold).
    (consultation,) = amendment_art4_consultation_open(actor=officer, amendment_id=amendment.pk, reason="Same user.")
    check_resolution.art4_consultation_conclude(
        actor=officer, consultation_id=consultation.pk, outcome="no_objection", outcome_text="No objection."
    )
    proposed = amendments.licence_amendment_decide(
        actor=officer, amendment_id=amendment.pk, outcome="approve", reasons="Weighed the German denial."
    )
    (finding,) = [f for f in proposed.check_findings if f["kind"] == "denial_match"]
    assert finding["inputs"]["denial"] == denial.pk and finding["inputs"]["end_user_score"] == 100
    assert "resembles the new end user “Royal Danish Navy”" in finding["message"]
    assert proposed.status == AmendmentStatus.PROPOSED
    assert any(denial.reference in reason for reason in proposed.four_eyes_reasons)
