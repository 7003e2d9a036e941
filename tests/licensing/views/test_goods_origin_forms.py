"""The UN Register category and the country of production per goods line (issue 16): the exporter's goods form
(country preselected to the Netherlands, the home state) and the officer's rating correction, with field errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from licensing.models import GoodsLine
from tests.licensing.views.test_portal_helpers import draft_for, goods_post, portal_url
from tests.treaty.conftest import save_transfer, submit_and_decide, treaty_draft

pytestmark = pytest.mark.django_db


def test_goods_form_offers_the_un_categories_and_preselects_the_home_state(client_for, exporter_a):
    application = draft_for(exporter_a)

    content = client_for(exporter_a).get(f"/portal/applications/{application.pk}/draft/goods/").content.decode()

    assert 'name="un_register_category"' in content
    assert '<option value="I">I – ' in content and '<option value="SALW">SALW – ' in content
    assert '<option value="NL" selected>' in content  # the country of production defaults to the home state


def test_exporter_saves_the_un_category_and_where_the_goods_were_made(client_for, exporter_a):
    application = draft_for(exporter_a, goods=0)
    client = client_for(exporter_a)

    response = client.post(
        portal_url("goods_save", application.pk), goods_post(un_register_category="III", production_country="DE")
    )

    assert response.status_code == 302
    line = GoodsLine.objects.get(application=application)
    assert (line.un_register_category_id, line.production_country_id) == ("III", "DE")
    # Editing the line shows what was saved.
    page = client.get(f"/portal/applications/{application.pk}/draft/goods/?goods={line.pk}").content.decode()
    assert '<option value="III" selected>' in page and '<option value="DE" selected>' in page


def test_goods_form_answers_unknown_codes_with_field_errors(client_for, exporter_a):
    application = draft_for(exporter_a, goods=0)

    response = client_for(exporter_a).post(
        portal_url("goods_save", application.pk), goods_post(un_register_category="IX", production_country="XX")
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Select a valid choice. IX is not one of the available choices." in content
    assert "Select a valid choice. XX is not one of the available choices." in content
    assert not GoodsLine.objects.filter(application=application).exists()


def test_goods_posted_without_a_country_are_made_in_the_home_state(client_for, exporter_a):
    application = draft_for(exporter_a, goods=0)

    client_for(exporter_a).post(portal_url("goods_save", application.pk), goods_post())

    line = GoodsLine.objects.get(application=application)
    assert (line.un_register_category_id, line.production_country_id) == (None, None)  # None: the home state


def _rating(draft, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "which": "rating",
        "rating-line": draft.goods.get().pk,
        "rating-ml_category": "ML11",
        "rating-ml_sub_item": "",
        "rating-un_register_category": "",
        "rating-production_country": "",
        "rating-reason": "Checked against the data sheet.",
        "rating-expected_version": draft.version,
    }
    data.update({f"rating-{k}": v for k, v in overrides.items()})
    return data


def test_officer_corrects_the_un_category_and_country_of_production(client_for, exporter_a, officer):
    draft = treaty_draft(exporter_a, euc=True)  # outside de minimis: an ordinary transfer needs the certificate
    save_transfer(exporter_a, draft)
    submit_and_decide(exporter_a, officer, draft, approve=False)
    draft.refresh_from_db()
    url = reverse("consultations:treaty_correction", args=[draft.pk])
    client = client_for(officer)

    bad = client.post(url, _rating(draft, un_register_category="IX", production_country="XX"))
    assert bad.status_code == 400
    assert "Select a valid choice. IX is not one of the available choices." in bad.content.decode()
    assert "Select a valid choice. XX is not one of the available choices." in bad.content.decode()

    assert client.post(url, _rating(draft, un_register_category="II", production_country="FR")).status_code == 302
    line = draft.goods.get()
    assert (line.un_register_category_id, line.production_country_id) == ("II", "FR")

    # "Unchanged" (the default) keeps both; "None of these" clears the UN category.
    draft.refresh_from_db()
    client.post(url, _rating(draft, ml_category="ML5"))
    line.refresh_from_db()
    assert (line.ml_category_id, line.un_register_category_id, line.production_country_id) == ("ML5", "II", "FR")
    draft.refresh_from_db()
    client.post(url, _rating(draft, un_register_category="none"))
    line.refresh_from_db()
    assert (line.un_register_category_id, line.production_country_id) == (None, "FR")
