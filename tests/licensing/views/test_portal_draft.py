"""Editing a draft in the portal: details, goods, parties, documents and submitting, with the errors an exporter
can make answered as field messages (400) or conflicts (409), never 500."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from core.roles import Role
from licensing.forms.portal import ERR_NAME_CONTENT_MISMATCH
from licensing.models import ApplicationStatus, GoodsLine, PartyRole
from licensing.services.applications import (
    ERR_CURRENCY,
    ERR_DESTINATION_HOME,
    ERR_FILE_TOO_LARGE,
    ERR_FILE_TYPE,
    ERR_NO_CONSIGNEE,
    ERR_NO_EUC,
    ERR_NOT_APPROVED_ORG,
    ERR_NOT_DRAFT,
    ERR_QUANTITY,
    ERR_VALUE_HUGE,
)
from licensing.services.workflow import ERR_STALE
from licensing.views.exporter_actions import ERR_NOT_SUBMITTED
from tests.factories import ApplicationFactory, DocumentFactory, UserFactory, complete_draft
from tests.licensing.services.pdfs import MINIMAL_PDF, pdf_upload
from tests.licensing.views.test_portal_helpers import (
    draft_for,
    goods_post,
    party_post,
    portal_url,
    ready_draft,
    submitted_for,
)

pytestmark = pytest.mark.django_db

DRAFT_MAX_QUERIES = 30
PNG_HEADER = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


def test_draft_page_shows_each_step_and_what_is_left_when_opened(client_for, exporter_a):
    application = draft_for(exporter_a)

    content = client_for(exporter_a).get(portal_url("application_detail", application.pk)).content.decode()

    assert content.count("<h1") == 1
    assert "Check and submit" in content
    for section in ("Goods", "Parties", "End use", "Documents", "Ready to submit?"):
        assert section in content
    assert str(ERR_NO_EUC) in content  # the checklist names the one thing still missing
    assert f'name="version" value="{application.version}"' in content


def test_details_are_saved_when_the_version_is_current(client_for, exporter_a):
    application = draft_for(exporter_a)

    response = client_for(exporter_a).post(
        portal_url("application_update", application.pk),
        {
            "version": application.version,
            "title": "Radar spares, second batch",
            "end_use": "Air defence of the frigates",
            "intended_shipment_date": "2026-09-01",
            "related_licences": "NL-ML-2025-000012",
        },
    )

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.title == "Radar spares, second batch"
    assert application.intended_shipment_date == dt.date(2026, 9, 1)
    assert application.related_licences == "NL-ML-2025-000012"


def test_details_answer_409_with_the_message_when_someone_changed_the_draft_meanwhile(client_for, exporter_a):
    application = draft_for(exporter_a)
    client = client_for(exporter_a)
    client.post(portal_url("goods_save", application.pk), goods_post())  # bumps the version

    response = client.post(
        portal_url("application_update", application.pk),
        {"version": application.version, "title": "Stale title", "end_use": "Stale"},
    )

    assert response.status_code == 409
    assert str(ERR_STALE) in response.content.decode()
    application.refresh_from_db()
    assert application.title != "Stale title"


def test_goods_line_is_added_with_its_euro_value_and_rate_when_priced_in_dollars(client_for, exporter_a):
    application = draft_for(exporter_a)
    client = client_for(exporter_a)

    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False):
        response = client.post(
            portal_url("goods_save", application.pk), goods_post(quantity="4", unit_value="1000", currency="USD")
        )
        page = client.get(portal_url("application_detail", application.pk)).content.decode()

    line = GoodsLine.objects.get(application=application, description="Thermal imaging camera core")
    assert response.status_code == 302
    # 4 × 1,000 USD at the ECB reference rate of 2 January 2026 (0.855 EUR per USD) = EUR 3,420.00
    assert line.value_eur == Decimal("3420.00")
    assert "3,420.00" in page
    assert "1 USD = 0.855 EUR" in page
    assert "rate of 2 Jan 2026" in page


def test_goods_line_is_changed_when_edited(client_for, exporter_a):
    application = draft_for(exporter_a)
    line = application.goods.get()

    response = client_for(exporter_a).post(
        portal_url("goods_save", application.pk), goods_post(line_id=line.pk, quantity="7", unit_value="100")
    )

    line.refresh_from_db()
    assert response.status_code == 302
    assert line.quantity == Decimal("7") and line.value_eur == Decimal("700.00")
    assert application.goods.count() == 1


def test_edit_form_is_filled_in_when_a_goods_line_is_chosen(client_for, exporter_a):
    application = draft_for(exporter_a)
    line = application.goods.get()

    content = (
        client_for(exporter_a)
        .get(portal_url("draft_step", application.pk, "goods"), {"goods": line.pk})
        .content.decode()
    )

    assert "Change goods line" in content
    assert f'name="line_id" value="{line.pk}"' in content


def test_goods_line_is_removed_when_asked(client_for, exporter_a):
    application = draft_for(exporter_a, goods=2)
    line = application.goods.first()

    response = client_for(exporter_a).post(portal_url("goods_remove", application.pk, line.pk))

    assert response.status_code == 302
    assert not GoodsLine.objects.filter(pk=line.pk).exists()
    assert application.goods.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quantity": "-5"}, ERR_QUANTITY),
        ({"quantity": "1000", "unit_value": "9000000"}, ERR_VALUE_HUGE),  # EUR 9 billion
        ({"currency": "XYZ"}, ERR_CURRENCY),
        ({"quantity": "lots"}, "Enter a number."),
    ],
)
def test_goods_line_answers_400_with_the_message_when_a_value_is_wrong(client_for, exporter_a, overrides, message):
    application = draft_for(exporter_a)

    response = client_for(exporter_a).post(portal_url("goods_save", application.pk), goods_post(**overrides))

    assert response.status_code == 400
    content = response.content.decode()
    assert escape(str(message)) in content
    assert 'id="goods-form"' in content
    assert application.goods.count() == 1


def test_goods_line_of_another_application_is_refused_when_posted(client_for, exporter_a):
    application = draft_for(exporter_a)
    other = draft_for(exporter_a).goods.get()

    response = client_for(exporter_a).post(portal_url("goods_save", application.pk), goods_post(line_id=other.pk))

    assert response.status_code == 400
    assert "not part of this application" in response.content.decode()
    other.refresh_from_db()
    assert other.description != "Thermal imaging camera core"


def test_party_is_added_and_sets_the_destination_when_it_is_the_end_user(client_for, exporter_a):
    application = ApplicationFactory(organisation=exporter_a.organisation, created_by=exporter_a, destination=None)

    response = client_for(exporter_a).post(portal_url("party_save", application.pk), party_post())

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.destination_id == "AU"
    assert application.parties.get().name == "Royal Australian Navy"


def test_party_answers_400_with_the_message_when_the_end_user_is_in_the_netherlands(client_for, exporter_a):
    application = draft_for(exporter_a)

    response = client_for(exporter_a).post(portal_url("party_save", application.pk), party_post(country="NL"))

    assert response.status_code == 400
    assert str(ERR_DESTINATION_HOME) in response.content.decode()


def test_party_is_removed_when_asked(client_for, exporter_a):
    application = draft_for(exporter_a)
    consignee = application.parties.get(role=PartyRole.CONSIGNEE)

    response = client_for(exporter_a).post(portal_url("party_remove", application.pk, consignee.pk))

    assert response.status_code == 302
    assert not application.parties.filter(role=PartyRole.CONSIGNEE).exists()


def test_end_user_certificate_is_uploaded_and_listed_with_name_size_and_type(client_for, exporter_a):
    application = draft_for(exporter_a)
    client = client_for(exporter_a)

    response = client.post(
        portal_url("document_upload", application.pk), {"kind": "euc", "file": pdf_upload("EUC navy.pdf")}
    )
    page = client.get(portal_url("application_detail", application.pk)).content.decode()

    assert response.status_code == 302
    assert "EUC navy.pdf" in page
    assert f"{len(MINIMAL_PDF)}\xa0bytes" in page
    assert ">PDF<" in page
    assert str(ERR_NO_EUC) not in page


def test_upload_answers_400_with_the_message_when_the_file_is_too_large(client_for, exporter_a, settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    application = draft_for(exporter_a)
    big = SimpleUploadedFile("euc.pdf", MINIMAL_PDF + b"%" * (1024 * 1024), content_type="application/pdf")

    response = client_for(exporter_a).post(portal_url("document_upload", application.pk), {"kind": "euc", "file": big})

    assert response.status_code == 400
    assert ERR_FILE_TOO_LARGE.format(limit=1) in response.content.decode()
    assert not application.documents.exists()


def test_upload_answers_400_with_the_message_when_a_pdf_name_holds_text(client_for, exporter_a):
    application = draft_for(exporter_a)
    fake = SimpleUploadedFile("euc.pdf", b"just some text, not a PDF\n" * 10, content_type="application/pdf")

    response = client_for(exporter_a).post(portal_url("document_upload", application.pk), {"kind": "euc", "file": fake})

    assert response.status_code == 400
    assert escape(str(ERR_FILE_TYPE)) in response.content.decode()
    assert not application.documents.exists()


def test_upload_answers_400_with_the_message_when_a_pdf_name_holds_a_png_image(client_for, exporter_a):
    application = draft_for(exporter_a)
    png = SimpleUploadedFile("euc.pdf", PNG_HEADER, content_type="application/pdf")

    response = client_for(exporter_a).post(portal_url("document_upload", application.pk), {"kind": "euc", "file": png})

    assert response.status_code == 400
    expected = str(ERR_NAME_CONTENT_MISMATCH).format(extension="pdf", kind="a PNG image")
    assert escape(str(expected)) in response.content.decode()
    assert not application.documents.exists()


def test_failed_submit_returns_to_check_and_submit_listing_what_is_missing_when_parties_are_missing(
    client_for, exporter_a
):
    application = ready_draft(exporter_a)
    consignee = application.parties.get(role=PartyRole.CONSIGNEE)
    client = client_for(exporter_a)
    client.post(portal_url("party_remove", application.pk, consignee.pk))
    application.refresh_from_db()

    response = client.post(portal_url("application_submit", application.pk), {"version": application.version})

    # The address does not stay at .../submit/: the browser is sent back to the draft's own page.
    assert response.status_code == 302
    assert response["Location"].startswith(portal_url("application_detail", application.pk))
    page = client.get(response["Location"]).content.decode()
    assert str(ERR_NOT_SUBMITTED) in page
    assert str(ERR_NO_CONSIGNEE) in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_draft_is_submitted_and_shows_its_decision_deadline_when_complete(client_for, exporter_a):
    application = ready_draft(exporter_a)
    client = client_for(exporter_a)

    response = client.post(portal_url("application_submit", application.pk), {"version": application.version})
    page = client.get(response["Location"]).content.decode()

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == ApplicationStatus.SUBMITTED
    assert "is submitted" in page
    assert "Decision due by" in page
    assert f"{application.legal_deadline.day} " in page


def test_submit_returns_to_check_and_submit_with_the_message_when_the_page_was_stale(client_for, exporter_a):
    application = ready_draft(exporter_a)

    client = client_for(exporter_a)
    response = client.post(portal_url("application_submit", application.pk), {"version": application.version - 1})

    assert response.status_code == 302
    assert response["Location"] == portal_url("application_detail", application.pk)
    assert str(ERR_STALE) in client.get(response["Location"]).content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_submitted_application_answers_409_with_the_message_when_goods_are_posted(client_for, exporter_a):
    application = submitted_for(exporter_a)

    response = client_for(exporter_a).post(portal_url("goods_save", application.pk), goods_post())

    assert response.status_code == 409
    assert str(ERR_NOT_DRAFT) in response.content.decode()


def test_pending_company_can_create_a_draft_but_not_submit_it(client_for, pending_org):
    exporter = UserFactory(organisation=pending_org, is_org_admin=True, roles=[Role.EXPORTER])
    client = client_for(exporter)

    created = client.post(portal_url("application_create"), {"licence_type": "individual_export", "title": "Parts"})
    # Complete but for the approval (a pending company uploads nothing itself: issue 14, so the world holds its EUC).
    application = complete_draft(organisation=pending_org, created_by=exporter)
    DocumentFactory(application=application, uploaded_by=exporter)
    page = client.get(portal_url("application_detail", application.pk)).content.decode()
    refused = client.post(portal_url("application_submit", application.pk), {"version": application.version})

    assert created.status_code == 302
    assert "You can submit once your company" in page
    assert refused.status_code == 302
    assert escape(str(ERR_NOT_APPROVED_ORG)) in client.get(refused["Location"]).content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_draft_page_runs_the_same_number_of_queries_when_it_has_twenty_goods_lines(
    client_for, exporter_a, django_assert_max_num_queries
):
    one = ready_draft(exporter_a, goods=1)
    twenty = ready_draft(exporter_a, goods=20)
    client = client_for(exporter_a)
    client.get(portal_url("application_detail", one.pk))  # warm the session

    for url_of in (
        lambda pk: portal_url("application_detail", pk),
        lambda pk: portal_url("draft_step", pk, "goods"),
    ):
        with CaptureQueriesContext(connection) as with_one:
            client.get(url_of(one.pk))
        with django_assert_max_num_queries(DRAFT_MAX_QUERIES), CaptureQueriesContext(connection) as with_twenty:
            response = client.get(url_of(twenty.pk))
        assert len(with_twenty) == len(with_one)
    assert response.content.decode().count("Remove<span") == 20  # the goods step: one per goods line


# --- The steps: each on its own page, "continue" saves what was typed first --------------------------------------


@pytest.mark.parametrize("step", ["goods", "parties", "end-use", "documents"])
def test_each_step_has_its_own_page_with_its_form_when_the_draft_is_open(client_for, exporter_a, step):
    application = draft_for(exporter_a)

    response = client_for(exporter_a).get(portal_url("draft_step", application.pk, step))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert content.count('method="post" action="/portal/applications/') >= 1
    assert "Save and continue" in content


def test_continue_saves_the_goods_line_and_opens_the_parties_step_when_one_was_typed(client_for, exporter_a):
    application = draft_for(exporter_a)

    response = client_for(exporter_a).post(portal_url("goods_save", application.pk), {**goods_post(), "continue": "1"})

    assert response.status_code == 302
    assert response["Location"] == portal_url("draft_step", application.pk, "parties")
    assert application.goods.filter(description="Thermal imaging camera core").exists()


def test_continue_moves_on_without_saving_when_the_goods_form_is_left_blank(client_for, exporter_a):
    application = draft_for(exporter_a)
    blank = dict.fromkeys(goods_post(), "") | {"unit": "pcs", "currency": "EUR", "continue": "1"}

    response = client_for(exporter_a).post(portal_url("goods_save", application.pk), blank)

    assert response.status_code == 302
    assert response["Location"] == portal_url("draft_step", application.pk, "parties")
    assert application.goods.count() == 1


def test_continue_keeps_the_typed_goods_line_on_its_step_with_the_error_when_a_value_is_wrong(client_for, exporter_a):
    application = draft_for(exporter_a)

    response = client_for(exporter_a).post(
        portal_url("goods_save", application.pk), {**goods_post(quantity="-5"), "continue": "1"}
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert escape(str(ERR_QUANTITY)) in content
    assert 'value="Thermal imaging camera core"' in content  # what was typed is still there
    assert 'id="goods-form"' in content


def test_end_use_is_saved_and_the_documents_step_opens_when_continue_is_pressed(client_for, exporter_a):
    application = draft_for(exporter_a)

    response = client_for(exporter_a).post(
        portal_url("application_update", application.pk),
        {"version": application.version, "title": application.title, "end_use": "Coastal radar", "continue": "1"},
    )

    application.refresh_from_db()
    assert response["Location"] == portal_url("draft_step", application.pk, "documents")
    assert application.end_use == "Coastal radar"


def test_continue_from_documents_opens_check_and_submit_when_no_file_is_chosen(client_for, exporter_a):
    application = draft_for(exporter_a)

    response = client_for(exporter_a).post(
        portal_url("document_upload", application.pk), {"kind": "euc", "continue": "1"}
    )

    assert response["Location"] == portal_url("application_detail", application.pk)


def test_step_page_sends_to_the_case_page_when_the_application_is_submitted(client_for, exporter_a):
    application = submitted_for(exporter_a)

    response = client_for(exporter_a).get(portal_url("draft_step", application.pk, "goods"))

    assert response.status_code == 302
    assert response["Location"] == portal_url("application_detail", application.pk)


def test_step_page_answers_404_when_the_step_does_not_exist(client_for, exporter_a):
    application = draft_for(exporter_a)

    assert client_for(exporter_a).get(portal_url("draft_step", application.pk, "payment")).status_code == 404


def test_step_page_answers_404_when_exporter_b_asks_for_a_draft_of_a(client_for, exporter_a, exporter_b):
    application = draft_for(exporter_a)

    assert client_for(exporter_b).get(portal_url("draft_step", application.pk, "goods")).status_code == 404


def test_new_draft_opens_on_its_first_step_when_created(client_for, exporter_a):
    response = client_for(exporter_a).post(
        portal_url("application_create"), {"licence_type": "individual_export", "title": "Parts"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("/draft/goods/")
