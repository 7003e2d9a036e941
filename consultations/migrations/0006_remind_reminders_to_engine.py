"""The treaty objection deadlines' reminders move to the one engine (core.reminders): each reminder already sent
becomes the engine's claim row for the same point, so nothing is sent again; unsent ones are dropped (the engine
sends the latest due point itself). Then the old table goes."""

from django.db import migrations


def carry_sent_reminders(apps, schema_editor):  # type: ignore[no-untyped-def]
    Reminder = apps.get_model("consultations", "Reminder")
    DeadlineReminder = apps.get_model("core", "DeadlineReminder")
    sent = Reminder.objects.filter(sent_at__isnull=False).values_list(
        "notification_id", "notification__objection_deadline", "offset_days", "sent_at", "escalated"
    )
    DeadlineReminder.objects.bulk_create(
        [
            DeadlineReminder(
                kind="treaty_objection",
                subject=f"treaty_notification:{notification_id}",
                deadline=deadline,
                offset_days=offset_days,
                sent_at=sent_at,
                recipients=0,  # not recorded by the old sweep
                escalated=escalated,
            )
            for notification_id, deadline, offset_days, sent_at, escalated in sent.iterator(chunk_size=5000)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_move_denials_consultations"),
        ("core", "0007_remind_treaty_objection_kind"),
    ]

    operations = [
        migrations.RunPython(carry_sent_reminders, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="Reminder"),
    ]
