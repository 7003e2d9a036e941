"""Membership of the destination on the decision date, kept on licences and final decisions
(licensing.destination_flags), and filled for the rows already there from parties_membership."""

from django.db import migrations, models


def flags_backfill(apps, schema_editor):
    from licensing.destination_flags import flags_refresh

    flags_refresh(
        licences=apps.get_model("licensing", "Licence").objects.all(),
        decisions=apps.get_model("licensing", "Decision").objects.all(),
        memberships=apps.get_model("parties", "Membership").objects.all(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0023_merge_20261205_0813"),
        ("parties", "0004_gate_system_role_grants"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="destination_eu",
            field=models.BooleanField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="decision",
            name="destination_nato",
            field=models.BooleanField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="decision",
            name="destination_treaty",
            field=models.BooleanField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="licence",
            name="destination_eu",
            field=models.BooleanField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="licence",
            name="destination_nato",
            field=models.BooleanField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="licence",
            name="destination_treaty",
            field=models.BooleanField(editable=False, null=True),
        ),
        migrations.RunPython(flags_backfill, migrations.RunPython.noop, elidable=True),
    ]
