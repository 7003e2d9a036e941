"""The exclusion annex matched on the goods' rating, and an officer's corrections after submission.

data/reference/treaty_parameters.csv lists "Missiles" under ML4 with the sub-item ML4.a: a goods line rated ML4.a
(or below it) is excluded although the exporter did not tick the entry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from audit.models import AuditEvent, Verb
from core.exceptions import DomainValidationError, NotAllowed
from licensing.models.treaty import ExclusionListEntry, TreatyTransfer
from licensing.services import applications as apps
from licensing.services.corrections import (
    ERR_REASON_REQUIRED,
    goods_line_reclassify,
    treaty_transfer_correct,
)
from licensing.services.treaty import TreatyDetails
from licensing.treaty_rules import REASON_EXCLUDED, REASON_EXCLUDED_RATING, REASON_NOT_EXCLUDED

from .conftest import save_transfer, submit_and_decide, treaty_draft

pytestmark = pytest.mark.django_db

DAY = date(2026, 9, 15)


def _rate_first_line(exporter, application, *, category: str, sub_item: str) -> None:  # type: ignore[no-untyped-def]
    line = application.goods.get()
    apps.goods_line_save(
        actor=exporter,
        application_id=application.pk,
        line_id=line.pk,
        description="Seeker head for a surface-to-air missile",
        ml_category_id=category,
        ml_sub_item=sub_item,
        quantity=line.quantity,
        unit=line.unit,
        unit_value=line.unit_value,
        currency=line.currency,
        is_component=True,
    )


@pytest.mark.parametrize(
    ("category", "sub_item", "excluded"),
    [
        ("ML4", "ML4.a", True),  # the listed sub-item itself
        ("ML4", "ml4.a.2", True),  # below it, spelled in lower case
        ("ML4", "ML4.b", False),  # ML4.b (launching equipment) is not listed
        ("ML4", "ML4.ab", False),  # not a sub-item of ML4.a, only the same first characters
    ],
)
@time_machine.travel(DAY, tick=False)
def test_goods_rated_in_an_excluded_sub_item_are_excluded_when_the_exporter_did_not_tick_it(
    exporter_a, category, sub_item, excluded
):
    draft = treaty_draft(exporter_a, goods_value="50000.00")  # 5 %: de minimis on the share alone
    _rate_first_line(exporter_a, draft, category=category, sub_item=sub_item)
    transfer = save_transfer(exporter_a, draft)  # no exclusion entry ticked
    assert transfer.exclusion_entry_id is None
    assert transfer.excluded_item is excluded
    assert transfer.de_minimis is not excluded
    if excluded:
        missiles = ExclusionListEntry.objects.get(description="Missiles")
        assert REASON_EXCLUDED in transfer.reasons
        assert REASON_EXCLUDED_RATING.format(position=1, rating=" ".join(sub_item.split()), entry=missiles) in (
            transfer.reasons
        )
    else:
        assert REASON_NOT_EXCLUDED in transfer.reasons


@time_machine.travel(DAY, tick=False)
def test_officer_correction_of_the_rating_excludes_the_case_when_the_exporter_rated_it_wrongly(exporter_a, officer):
    draft = treaty_draft(exporter_a, goods_value="50000.00")
    _rate_first_line(exporter_a, draft, category="ML11", sub_item="ML11.a")
    save_transfer(exporter_a, draft)
    submit_and_decide(exporter_a, officer, draft, approve=False)
    assert TreatyTransfer.objects.get(application=draft).de_minimis is True

    line = draft.goods.get()
    goods_line_reclassify(
        actor=officer,
        application_id=draft.pk,
        line_id=line.pk,
        ml_category_id="ML4",
        ml_sub_item="ML4.a",
        reason="The seeker head is specially designed for a missile: ML4.a, not ML11.",
    )
    transfer = TreatyTransfer.objects.get(application=draft)
    assert (transfer.excluded_item, transfer.de_minimis, transfer.target_date) == (True, False, None)
    assert transfer.assessed_on == DAY  # applied again as of the application date
    history = line.history.order_by("-history_date", "-history_id").first()
    assert history.history_change_reason == "The seeker head is specially designed for a missile: ML4.a, not ML11."
    event = AuditEvent.objects.filter(verb=Verb.TREATY_TRANSFER_CORRECTED, target_id=str(draft.pk)).get()
    assert event.payload["before"] == {"ml_category": "ML11", "ml_sub_item": "ML11.a"}
    assert event.actor_id == officer.pk


@time_machine.travel(DAY, tick=False)
def test_officer_correction_of_the_system_adds_an_earlier_transfer_when_the_exporter_named_another_system(
    exporter_a, officer
):
    first = treaty_draft(exporter_a, title="First batch", goods_value="50000.00")
    save_transfer(exporter_a, first)
    submit_and_decide(exporter_a, officer, first)
    second = treaty_draft(exporter_a, title="Second batch", goods_value="150100.00")
    save_transfer(exporter_a, second, final_system_identifier="NADR-2026-B")  # a "new" system: 15.01 %
    submit_and_decide(exporter_a, officer, second, approve=False)
    assert TreatyTransfer.objects.get(application=second).de_minimis is True

    details = TreatyDetails(
        final_system_name="Naval air-defence radar",
        final_system_identifier="NADR-2026",
        final_system_ml_category_id="ML11",
        integrator_name="Integrateur Radar SA",
        integrator_country_id="FR",
        end_destination_ids=("IN",),
        gross_total_value=Decimal("1000000.00"),
    )
    transfer = treaty_transfer_correct(
        actor=officer,
        application_id=second.pk,
        details=details,
        reason="Same radar as the first batch (contract NADR-2026).",
    )
    # 50,000 + 150,100 = 200,100 / 1,000,000 = 20.01 %: exceeds.
    assert (transfer.earlier_decided_eur, transfer.share_percent, transfer.de_minimis) == (
        Decimal("50000.00"),
        Decimal("20.01"),
        False,
    )


def test_correction_needs_a_reason_and_an_officer(exporter_a, officer):
    draft = treaty_draft(exporter_a)
    save_transfer(exporter_a, draft)
    submit_and_decide(exporter_a, officer, draft, approve=False)
    line = draft.goods.get()
    kwargs = {"application_id": draft.pk, "line_id": line.pk, "ml_category_id": "ML4", "ml_sub_item": "ML4.a"}
    with pytest.raises(DomainValidationError) as excinfo:
        goods_line_reclassify(actor=officer, reason="  ", **kwargs)
    assert excinfo.value.field_errors == {"reason": [ERR_REASON_REQUIRED]}
    with pytest.raises(NotAllowed):
        goods_line_reclassify(actor=exporter_a, reason="I want to.", **kwargs)


@time_machine.travel(DAY, tick=False)
def test_officer_corrects_the_rating_on_the_page_and_the_case_shows_the_exclusion(client_for, exporter_a, officer):
    from django.urls import reverse

    draft = treaty_draft(exporter_a, goods_value="50000.00")
    save_transfer(exporter_a, draft)
    submit_and_decide(exporter_a, officer, draft, approve=False)
    draft.refresh_from_db()
    url = reverse("consultations:treaty_correction", args=[draft.pk])
    client = client_for(officer)
    assert client.get(url).status_code == 200

    missing_reason = client.post(
        url,
        {
            "which": "rating",
            "rating-line": draft.goods.get().pk,
            "rating-ml_category": "ML4",
            "rating-ml_sub_item": "ML4.a",
            "rating-reason": "",
            "rating-expected_version": draft.version,
        },
    )
    assert missing_reason.status_code == 400
    response = client.post(
        url,
        {
            "which": "rating",
            "rating-line": draft.goods.get().pk,
            "rating-ml_category": "ML4",
            "rating-ml_sub_item": "ML4.a",
            "rating-reason": "Missile seeker: ML4.a.",
            "rating-expected_version": draft.version,
        },
        follow=True,
    )
    content = response.content.decode()
    assert "De minimis rule does not apply" in content
    assert "Goods line 1, rated ML4.a, is on the exclusion annex: Missiles (ML4)." in content


def test_exporters_cannot_open_the_correction_page(client_for, exporter_a, exporter_b, officer):
    from django.urls import reverse

    draft = treaty_draft(exporter_a)
    save_transfer(exporter_a, draft)
    submit_and_decide(exporter_a, officer, draft, approve=False)
    url = reverse("consultations:treaty_correction", args=[draft.pk])
    assert client_for(exporter_a).get(url).status_code in (403, 404)
    assert client_for(exporter_b).get(url).status_code in (403, 404)
