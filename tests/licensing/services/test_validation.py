"""Bad input to the exporter's services: each is refused with the message the exporter reads, on the right
field, and leaves the draft as it was."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from typing import cast as cast_to
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.exceptions import DomainValidationError
from licensing.models import Application, DocumentKind, LicenceType, PartyRole, PartyType
from licensing.services import applications as apps
from licensing.services import money
from licensing.services.treaty_share import ERR_NO_TRANSFER
from tests.factories import ApplicationFactory, GoodsLineFactory, PartyFactory
from tests.licensing.services.pdfs import pdf_upload
from tests.licensing.services.test_transitions import Cast, application_in, case_state

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MIB = 1024 * 1024


@pytest.fixture
def cast(exporter_a, officer, senior) -> Cast:  # type: ignore[no-untyped-def]
    return Cast(exporter=exporter_a, officer=officer, senior=senior)


@pytest.fixture
def draft(cast) -> Application:  # type: ignore[no-untyped-def]
    return application_in("draft", cast)


def _refused(call: Any) -> DomainValidationError:
    with pytest.raises(DomainValidationError) as raised:
        call()
    assert raised.value.status_code == 400
    return raised.value


# --- Goods lines ----------------------------------------------------------------------------------------------

GOODS: dict[str, Any] = {
    "description": "Night-vision goggles, generation 3",
    "ml_category_id": "ML15",
    "quantity": Decimal("10"),
    "unit": "pcs",
    "unit_value": Decimal("2500.00"),
    "currency": "EUR",
}

BAD_GOODS = [
    ("negative quantity", {"quantity": Decimal("-1")}, "quantity", apps.ERR_QUANTITY),
    ("zero quantity", {"quantity": Decimal("0")}, "quantity", apps.ERR_QUANTITY),
    ("huge quantity", {"quantity": Decimal("1000000001")}, "quantity", apps.ERR_QUANTITY_HUGE),
    ("zero unit value", {"unit_value": Decimal("0")}, "unit_value", apps.ERR_VALUE),
    ("negative unit value", {"unit_value": Decimal("-10")}, "unit_value", apps.ERR_VALUE),
    # 1,000 × EUR 10,000,000 = EUR 10 billion, above the EUR 5 billion plausibility limit.
    (
        "huge total value",
        {"quantity": Decimal("1000"), "unit_value": Decimal("10000000")},
        "unit_value",
        apps.ERR_VALUE_HUGE,
    ),
    ("unknown currency", {"currency": "XYZ"}, "currency", apps.ERR_CURRENCY),
    ("currency in lower case", {"currency": "usd"}, "currency", apps.ERR_CURRENCY),
]


@pytest.mark.parametrize(("overrides", "field", "message"), [b[1:] for b in BAD_GOODS], ids=[b[0] for b in BAD_GOODS])
def test_goods_line_is_refused_when_input_is_bad(overrides, field, message, cast, draft):
    before = case_state(draft)
    error = _refused(
        lambda: apps.goods_line_save(actor=cast.exporter, application_id=draft.pk, **{**GOODS, **overrides})
    )
    assert error.message == message
    assert error.field_errors[field] == [message]
    assert case_state(draft) == before
    assert draft.goods.count() == 1


def test_goods_line_reports_every_bad_field_when_quantity_value_and_currency_are_all_wrong(cast, draft):
    error = _refused(
        lambda: apps.goods_line_save(
            actor=cast.exporter,
            application_id=draft.pk,
            **{**GOODS, "quantity": Decimal("0"), "unit_value": Decimal("0"), "currency": "XYZ"},
        )
    )
    assert error.field_errors == {
        "quantity": [apps.ERR_QUANTITY],
        "unit_value": [apps.ERR_VALUE],
        "currency": [apps.ERR_CURRENCY],
    }


def test_goods_line_is_accepted_when_quantity_is_exactly_the_plausibility_limit(cast, draft):
    line = apps.goods_line_save(
        actor=cast.exporter,
        application_id=draft.pk,
        **{**GOODS, "quantity": Decimal("1000000000"), "unit_value": Decimal("1")},
    )
    assert line.value_eur == Decimal("1000000000.00")


def test_goods_line_is_refused_when_the_currency_has_no_rate_on_or_before_that_day(cast, draft):
    # The first AUD rate in data/reference/exchange_rates.csv is of 2024-01-02.
    with time_machine.travel(datetime(2023, 6, 1, 10, 0, tzinfo=AMSTERDAM), tick=False):
        error = _refused(
            lambda: apps.goods_line_save(actor=cast.exporter, application_id=draft.pk, **{**GOODS, "currency": "AUD"})
        )
    assert (
        error.message == "There is no exchange rate for AUD on or before 1 June 2023; contact the licensing authority."
    )
    assert error.message == money.ERR_NO_RATE.format(currency="AUD", day="1 June 2023")
    assert error.field_errors == {"currency": [error.message]}


@pytest.mark.parametrize(
    ("day", "rate", "rate_day", "value_eur"),
    [
        # 10 × USD 2,500 = USD 25,000; × 0.965 (rate of 2025-01-02) = EUR 24,125.00
        (datetime(2025, 6, 1, 10, 0, tzinfo=AMSTERDAM), Decimal("0.965"), "2025-01-02", Decimal("24125.00")),
        # × 0.855 (rate of 2026-01-02) = EUR 21,375.00; the rate of the day itself counts
        (datetime(2026, 1, 2, 10, 0, tzinfo=AMSTERDAM), Decimal("0.855"), "2026-01-02", Decimal("21375.00")),
    ],
)
def test_goods_line_uses_the_latest_rate_on_or_before_the_day_when_the_currency_is_not_euro(
    day, rate, rate_day, value_eur, cast, draft
):
    with time_machine.travel(day, tick=False):
        line = apps.goods_line_save(actor=cast.exporter, application_id=draft.pk, **{**GOODS, "currency": "USD"})
    line.refresh_from_db()
    assert line.rate_date is not None
    assert (line.exchange_rate, line.rate_date.isoformat(), line.value_eur) == (rate, rate_day, value_eur)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"description": "   "}, "description"), ({"ml_category_id": "ML99"}, "ml_category"), ({"unit": "tons"}, "unit")],
)
def test_goods_line_is_refused_by_the_model_rules_when_a_field_is_blank_or_unknown(overrides, field, cast, draft):
    before = case_state(draft)
    with pytest.raises(ValidationError) as raised:
        apps.goods_line_save(actor=cast.exporter, application_id=draft.pk, **{**GOODS, **overrides})
    assert field in raised.value.message_dict
    assert case_state(draft) == before


# --- The draft itself and its parties -------------------------------------------------------------------------


def test_draft_is_not_created_when_the_title_is_empty(cast):
    count = Application.objects.count()
    error = _refused(lambda: apps.application_create(actor=cast.exporter, licence_type="individual_export", title=" "))
    assert error.field_errors == {"title": ["Give the application a short title."]}
    assert Application.objects.count() == count


def test_draft_is_not_created_when_the_licence_type_is_unknown(cast):
    error = _refused(lambda: apps.application_create(actor=cast.exporter, licence_type="export_all", title="X"))
    assert error.field_errors == {"licence_type": ["Choose a licence type from the list."]}


@pytest.mark.parametrize("role", [PartyRole.END_USER, PartyRole.CONSIGNEE])
def test_party_is_refused_when_the_netherlands_is_the_destination(role, cast, draft):
    before = case_state(draft)
    error = _refused(
        lambda: apps.party_save(
            actor=cast.exporter,
            application_id=draft.pk,
            role=role,
            name="Koninklijke Marine",
            address="Den Helder",
            country_id="NL",
            party_type=PartyType.ARMED_FORCES,
        )
    )
    assert error.field_errors == {"country": [apps.ERR_DESTINATION_HOME]}
    assert case_state(draft) == before


# --- Submission -------------------------------------------------------------------------------------------------


def _draft_with(cast: Cast, *, licence_type: str = LicenceType.INDIVIDUAL_EXPORT, parties=(), goods=True, euc=True):  # type: ignore[no-untyped-def]
    application = cast_to(
        Application,
        ApplicationFactory(
            organisation=cast.exporter.organisation, created_by=cast.exporter, licence_type=licence_type
        ),
    )
    if goods:
        GoodsLineFactory(application=application)
    for role, country in parties:
        PartyFactory(application=application, role=role, country_id=country)
    if euc:
        apps.document_upload(
            actor=cast.exporter,
            application_id=application.pk,
            kind=DocumentKind.END_USER_CERTIFICATE,
            upload=pdf_upload(),
        )
    return Application.objects.get(pk=application.pk)


CONSIGNEE_NO = (PartyRole.CONSIGNEE, "NO")
END_USER_NO = (PartyRole.END_USER, "NO")

BAD_SUBMISSIONS = [
    ("no end user", {"parties": [CONSIGNEE_NO]}, {"parties": [apps.ERR_NO_END_USER]}),
    ("no consignee", {"parties": [END_USER_NO]}, {"parties": [apps.ERR_NO_CONSIGNEE]}),
    ("no parties", {"parties": []}, {"parties": [apps.ERR_NO_END_USER, apps.ERR_NO_CONSIGNEE]}),
    ("no goods", {"parties": [CONSIGNEE_NO, END_USER_NO], "goods": False}, {"goods": [apps.ERR_NO_GOODS]}),
    (
        "no end-user certificate",
        {"parties": [CONSIGNEE_NO, END_USER_NO], "euc": False},
        {"documents": [apps.ERR_NO_EUC]},
    ),
    (
        "two end users on an individual licence",
        {"parties": [CONSIGNEE_NO, END_USER_NO, (PartyRole.END_USER, "SE")]},
        {"parties": [apps.ERR_ONE_END_USER]},
    ),
    (
        "end user in the Netherlands (stored before the rule existed)",
        {"parties": [CONSIGNEE_NO, (PartyRole.END_USER, "NL")]},
        {"parties": [apps.ERR_DESTINATION_HOME]},
    ),
    (
        "intra-EU transfer to Norway",
        {"licence_type": LicenceType.TRANSFER_INDIVIDUAL, "parties": [CONSIGNEE_NO, END_USER_NO]},
        {"parties": [apps.ERR_TRANSFER_OUTSIDE_EU]},
    ),
    (
        "intra-EU transfer to the United Kingdom after Brexit",
        {
            "licence_type": LicenceType.TRANSFER_INDIVIDUAL,
            "parties": [(PartyRole.CONSIGNEE, "GB"), (PartyRole.END_USER, "GB")],
        },
        {"parties": [apps.ERR_TRANSFER_OUTSIDE_EU]},
    ),
]


@pytest.mark.parametrize(("shape", "problems"), [b[1:] for b in BAD_SUBMISSIONS], ids=[b[0] for b in BAD_SUBMISSIONS])
def test_submission_is_refused_with_every_problem_when_the_draft_is_incomplete(shape, problems, cast):
    application = _draft_with(cast, **shape)
    before = case_state(application)
    error = _refused(lambda: apps.application_submit(actor=cast.exporter, application_id=application.pk))
    assert error.field_errors == problems
    assert error.message == next(iter(problems.values()))[0]
    assert case_state(application) == before
    assert Application.objects.get(pk=application.pk).received_on is None


@pytest.mark.parametrize(
    ("licence_type", "parties"),
    [
        (LicenceType.GLOBAL_EXPORT, [CONSIGNEE_NO, END_USER_NO, (PartyRole.END_USER, "SE")]),
        (LicenceType.TRANSFER_INDIVIDUAL, [(PartyRole.CONSIGNEE, "DE"), (PartyRole.END_USER, "DE")]),
    ],
    ids=["several end users on a global licence", "intra-EU transfer to Germany"],
)
def test_submission_is_accepted_when_the_rule_does_not_apply(licence_type, parties, cast):
    application = _draft_with(cast, licence_type=licence_type, parties=parties)
    apps.application_submit(actor=cast.exporter, application_id=application.pk)
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_transfer_to_the_united_kingdom_is_accepted_when_submitted_while_it_was_in_the_eu(cast):
    # memberships.csv: the UK was an EU member until 2020-01-31 (the last day of membership).
    with time_machine.travel(datetime(2020, 1, 31, 12, 0, tzinfo=AMSTERDAM), tick=False):
        application = _draft_with(
            cast,
            licence_type=LicenceType.TRANSFER_INDIVIDUAL,
            parties=[(PartyRole.CONSIGNEE, "GB"), (PartyRole.END_USER, "GB")],
        )
        apps.application_submit(actor=cast.exporter, application_id=application.pk)
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_treaty_component_transfer_asks_for_its_transfer_details_not_an_end_user_certificate(cast):
    # Treaty de minimis rule: no end-user certificate is required; the transfer details are.
    application = _draft_with(
        cast,
        licence_type=LicenceType.TREATY_COMPONENT,
        parties=[(PartyRole.CONSIGNEE, "DE"), (PartyRole.END_USER, "DE")],
        euc=False,
    )
    problems = apps.submission_problems(application)
    assert "documents" not in problems
    assert problems["treaty"] == [str(ERR_NO_TRANSFER)]
