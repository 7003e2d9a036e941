"""The checks run on a treaty transfer's final-system end destinations too (issue 16): Dutch components built
into a French system that is sold on to an embargoed country, or to one another Member State denied, end up
there. Each such finding is a stored WARNING of kind end_destination, shown on the case page; it never blocks
(the partner's own licence covers the re-export), but an unresolved warning needs a senior's countersignature."""

from __future__ import annotations

import pytest
from django.urls import reverse

from licensing.decision_gate import decision_gate
from licensing.models import Application, DecisionStatus, MLCategory
from licensing.models.assessment import CheckKind, CheckResult, FlagLevel
from licensing.services import applications as apps
from licensing.services import casework
from parties.models import Country
from tests.factories import DenialNotificationFactory

from .conftest import save_transfer, treaty_draft

pytestmark = pytest.mark.django_db


def _submitted(exporter, officer, end_destinations):  # type: ignore[no-untyped-def]
    draft = treaty_draft(exporter)
    save_transfer(exporter, draft, end_destination_ids=end_destinations)
    apps.application_submit(actor=exporter, application_id=draft.pk)
    casework.application_assign(actor=officer, application_id=draft.pk, assignee=officer)
    return Application.objects.get(pk=draft.pk)


def _latest(application):  # type: ignore[no-untyped-def]
    results = CheckResult.objects.filter(application=application).order_by("-run__number", "key")
    newest = results.first()
    return [r for r in results if newest is not None and r.run_id == newest.run_id]


def test_embargo_and_denial_on_the_end_destinations_warn_and_are_stored(exporter_a, officer):
    # Germany denied an ML11 export to Pakistan 90 days ago (inside the three-year Art. 4 window).
    DenialNotificationFactory(
        reference="DE-2026-0042",
        destination=Country.objects.get(pk="PK"),
        ml_category=MLCategory.objects.get(pk="ML11"),
    )
    application = _submitted(exporter_a, officer, ["BY", "PK", "FR"])

    found = {r.key.split(":")[0]: r for r in _latest(application) if r.kind == CheckKind.END_DESTINATION}
    assert set(found) == {"end-embargo", "end-denial"}
    assert {r.level for r in found.values()} == {FlagLevel.WARNING}
    assert found["end-embargo"].inputs["country"] == "BY"
    assert "The final system is intended to go on to Belarus" in found["end-embargo"].message
    assert found["end-denial"].inputs["reference"] == "DE-2026-0042"
    assert "Germany denied an export in ML11" in found["end-denial"].message
    # FR is the integrator's country (a party's country): checked as such, not again as an end destination.
    assert not any(r.inputs.get("country") == "FR" and r.kind == CheckKind.END_DESTINATION for r in found.values())

    page = casework_page(officer, application)
    assert "The final system is intended to go on to Belarus" in page
    assert "DE-2026-0042" in page


def casework_page(officer, application):  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    return client.get(reverse("casework:case_detail", args=[application.pk])).content.decode()


def test_end_destination_warnings_do_not_block_but_need_a_countersignature(exporter_a, officer, senior):
    application = _submitted(exporter_a, officer, ["BY"])

    answer = decision_gate(application, outcome="approve")
    assert answer.allowed, answer.blockers
    assert any("Belarus" in reason for reason in answer.countersignature_reasons)


def test_end_destinations_inside_the_partners_raise_nothing(exporter_a, officer):
    application = _submitted(exporter_a, officer, ["DE", "ES"])

    assert [r for r in _latest(application) if r.kind == CheckKind.END_DESTINATION] == []


def test_decided_transfer_to_an_embargoed_end_destination_keeps_its_warning(exporter_a, officer, senior):
    application = _submitted(exporter_a, officer, ["BY"])
    from datetime import date

    today = date.today()
    decision = casework.decision_propose(
        actor=officer,
        application_id=application.pk,
        outcome="approve",
        justification="De minimis transfer; the re-export is the partner's to licence.",
        valid_from=today,
        valid_until=today.replace(year=today.year + 1),
    )
    assert decision.status == DecisionStatus.PROPOSED  # four eyes: the warning is unresolved
    casework.decision_countersign(actor=senior, decision_id=decision.pk)
    application.refresh_from_db()
    assert application.status == "approved"
    assert any(r.key.startswith("end-embargo:") for r in _latest(application))
