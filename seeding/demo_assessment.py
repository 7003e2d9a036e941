"""Demo data for the assessment: policy rules, the fictitious watch list, a few received denial notifications,
and the checks run on the demo's open cases. Idempotent: a second run adds nothing.

The denial notifications below are FICTITIOUS (references start with DEMO-); real ones are confidential.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Max
from django.utils import timezone

from licensing.models import OPEN_STATUSES, Application
from licensing.models.assessment import CheckRun
from licensing.models.denials import DenialNotification
from licensing.services.check_lists import policy_rules_load, watch_list_load
from licensing.services.checks import checks_rerun
from licensing.services.denials import denial_record_incoming
from parties.models import User

OFFICER = "officer@demo.exportregister.nl"

# (days ago, row): dated relative to today so that they stay inside the three-year window of Art. 4.
DEMO_DENIALS: list[tuple[int, dict[str, str]]] = [
    (
        210,
        {
            "reference": "DEMO-FR-014",
            "issuing_state": "FR",
            "destination": "SA",
            "ml_category": "ML15",
            "goods_description": "Uncooled thermal weapon sights for assault rifles",
            "quantity": "500 pcs",
            "consignee": "Saudi Arabian National Guard, Procurement Directorate",
            "end_user": "Saudi Arabian National Guard",
            "end_use": "Infantry equipment",
            "criteria": "2 7",
            "sub_criteria": "2a",
            "reason": "Demo data (fictitious): clear risk of use in internal repression.",
        },
    ),
    (
        400,
        {
            "reference": "DEMO-DE-231",
            "issuing_state": "DE",
            "destination": "IN",
            "ml_category": "ML5",
            "goods_description": "Spare parts for naval surveillance radar (magnetrons, power supplies)",
            "quantity": "15 sets",
            "consignee": "Konkan Marine Engineering Pvt Ltd",
            "end_user": "Indian Navy, Directorate of Naval Armament",
            "end_use": "Maintenance of patrol vessel radars",
            "criteria": "7",
            "sub_criteria": "",
            "reason": "Demo data (fictitious): end-user certificate not signed by the Ministry of Defence; "
            "diversion risk.",
        },
    ),
    (
        90,
        {
            "reference": "DEMO-SE-007",
            "issuing_state": "SE",
            "destination": "AE",
            "ml_category": "ML10",
            "goods_description": "Stabilised gimbal mounts for helicopter sensor turrets",
            "quantity": "6 pcs",
            "consignee": "Marble Falcon Defence Supplies FZE",
            "end_user": "UAE Joint Aviation Command",
            "end_use": "Helicopter surveillance",
            "criteria": "2 4",
            "sub_criteria": "2c",
            "reason": "Demo data (fictitious): risk of use in the armed conflict in Yemen.",
        },
    ),
]


def seed_assessment_demo(*, stdout: Any) -> None:
    rules = policy_rules_load()
    entries = watch_list_load()
    stdout.write(f"Policy rules: {rules.created} new; watch list entries: {entries.created} new (fictitious).")
    officer = User.objects.filter(email=OFFICER).first()
    if officer is None:
        stdout.write("Demo denials skipped: the demo officer is missing (run seeding.demo first).")
        return
    today = timezone.localdate()
    added = 0
    for days_ago, row in DEMO_DENIALS:
        if DenialNotification.objects.filter(
            issuing_state_id=row["issuing_state"], reference=row["reference"]
        ).exists():
            continue
        denial_record_incoming(
            actor=officer, row={**row, "notified_on": (today - timedelta(days=days_ago)).isoformat()}
        )
        added += 1
    stdout.write(f"Demo denial notifications received: {added} new (fictitious).")
    # Run the checks again on open cases that have not been checked since the last denial arrived.
    newest = DenialNotification.objects.aggregate(at=Max("recorded_at"))["at"]
    rerun = 0
    for application in Application.objects.filter(status__in=OPEN_STATUSES).order_by("pk"):
        last = CheckRun.objects.filter(application=application).aggregate(at=Max("ran_at"))["at"]
        if last is None or (newest is not None and last < newest):
            checks_rerun(actor=officer, application_id=application.pk)
            rerun += 1
    stdout.write(f"Checks run on {rerun} open demo cases.")
