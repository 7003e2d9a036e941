"""The checks run on submission; the demo seed loads the lists and denials and checks open cases."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from core.roles import Role
from licensing.models.assessment import CheckRun, CheckTrigger
from licensing.models.denials import DenialMatch, DenialNotification
from licensing.services import applications as apps
from seeding.demo_assessment import OFFICER, seed_assessment_demo
from tests.factories import UserFactory, complete_draft
from tests.licensing.services.pdfs import pdf_upload

from .helpers import case_in_review, received_denial

pytestmark = pytest.mark.django_db


def test_checks_run_as_of_the_day_of_receipt_when_the_exporter_submits(exporter_a):
    draft = complete_draft(organisation=exporter_a.organisation, created_by=exporter_a)
    apps.document_upload(actor=exporter_a, application_id=draft.pk, kind="euc", upload=pdf_upload())
    received_denial(on=timezone.localdate() - timedelta(days=30), end_user=draft.parties.get(role="end_user").name)

    apps.application_submit(actor=exporter_a, application_id=draft.pk)

    run = CheckRun.objects.get(application=draft)
    assert (run.number, run.trigger, run.checked_on) == (1, CheckTrigger.SUBMISSION, timezone.localdate())
    assert DenialMatch.objects.filter(application=draft).count() == 1


def test_demo_seed_adds_denials_once_and_checks_open_cases_when_run_twice(officer):
    demo_officer = UserFactory(username="demo-officer", email=OFFICER, roles=[Role.OFFICER])
    india = case_in_review(
        officer=demo_officer,
        destination="IN",
        ml="ML5",
        end_user="Indian Navy, Directorate of Naval Armament",
        goods="Spare parts kit for surveillance radar type NDS-SR10 (magnetrons, power supplies)",
    )

    seed_assessment_demo(stdout=io.StringIO())
    seed_assessment_demo(stdout=io.StringIO())

    assert DenialNotification.objects.filter(reference__startswith="DEMO-").count() == 3
    assert CheckRun.objects.filter(application=india).count() == 1
    assert DenialMatch.objects.get(application=india).denial.reference == "DEMO-DE-231"
