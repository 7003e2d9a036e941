"""Copy as a new application: a new draft with the goods and parties, not the documents or the case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Verb
from licensing.models import Application, ApplicationStatus
from licensing.services import applications
from tests.factories import submitted_application
from tests.licensing.services.pdfs import pdf_upload

pytestmark = pytest.mark.django_db


def test_copy_is_a_new_draft_with_the_goods_and_parties_when_the_exporter_copies_a_refused_case(
    client_for, exporter_a, officer
):
    source = submitted_application(
        organisation=exporter_a.organisation,
        created_by=exporter_a,
        goods=2,
        status=ApplicationStatus.REFUSED,
        assigned_to=officer,
    )
    response = client_for(exporter_a).post(reverse("portal:application_copy", args=[source.pk]))
    copy = Application.objects.exclude(pk=source.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:application_detail", args=[copy.pk])
    assert copy.status == ApplicationStatus.DRAFT and copy.assigned_to is None and copy.received_on is None
    assert copy.title == f"Copy of {source.title}" and copy.reference != source.reference
    assert [(g.description, g.quantity, g.value_eur) for g in copy.goods.order_by("position")] == [
        (g.description, g.quantity, g.value_eur) for g in source.goods.order_by("position")
    ]
    assert sorted(copy.parties.values_list("role", "name", "country_id")) == sorted(
        source.parties.values_list("role", "name", "country_id")
    )
    assert copy.total_value_eur == source.total_value_eur and copy.destination_id == "NO"
    assert not copy.documents.exists()
    assert copy.goods.first().history.count() == 1  # history written for the copied rows
    created = AuditEvent.objects.get(verb=Verb.APPLICATION_CREATED, target_id=str(copy.pk))
    assert created.payload["copied_from"] == source.reference
    # The copy is an ordinary draft: the exporter completes it as any other.
    applications.document_upload(actor=exporter_a, application_id=copy.pk, kind="euc", upload=pdf_upload())
    assert applications.submission_problems(copy) == {}


def test_exporter_b_gets_404_when_copying_another_companys_application(client_for, exporter_a, exporter_b):
    source = submitted_application(organisation=exporter_a.organisation, created_by=exporter_a)
    response = client_for(exporter_b).post(reverse("portal:application_copy", args=[source.pk]))
    assert response.status_code == 404
    assert Application.objects.count() == 1
