"""The Celery app. The beat schedule is defined here, in code; run exactly one beat process."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("exportregister")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Short, frequent sweeps that claim due work with conditional UPDATEs (never far-future ETA tasks:
# Redis redelivers those after the visibility timeout and loses them on a flush).
app.conf.beat_schedule = {
    "relay-outbox": {"task": "core.tasks.relay_outbox", "schedule": 60.0},
    # Webhook retries after their back-off, and events whose after-commit numbering for the feed did not run.
    "relay-webhooks": {"task": "core.tasks.webhook_deliveries_relay", "schedule": 60.0},
    "sequence-events": {"task": "core.tasks.events_sequence_task", "schedule": 60.0},
    # Work recorded while the broker was down (core.enqueue): PDFs of issued licences, queued report runs.
    "render-missing-licence-pdfs": {"task": "licensing.tasks.licences_render_missing_pdfs", "schedule": 300.0},
    "relay-report-runs": {"task": "reports.tasks.report_runs_relay", "schedule": 120.0},
    "rescan-documents": {"task": "licensing.tasks.documents_rescan_pending", "schedule": 300.0},
    "lapse-information-terms": {"task": "licensing.tasks.information_terms_lapse_task", "schedule": crontab(minute=5)},
    "expire-licences": {"task": "licensing.tasks.licences_expire_task", "schedule": crontab(hour=0, minute=5)},
    # Every deadline's reminders (core.reminders), then "no objection raised in time" after a treaty deadline.
    "sweep-treaty-deadlines": {"task": "consultations.tasks.sweep_deadlines", "schedule": crontab(minute=10)},
    "remind-usage-returns": {
        "task": "general_licences.tasks.remind_usage_returns",
        "schedule": crontab(hour=6, minute=25),
    },
    "publish-audit-head": {"task": "audit.tasks.publish_audit_head_task", "schedule": crontab(minute=0)},
    "verify-audit-trail": {
        "task": "audit.tasks.verify_audit_trail_task",
        "schedule": crontab(hour=2, minute=15),
    },
}
