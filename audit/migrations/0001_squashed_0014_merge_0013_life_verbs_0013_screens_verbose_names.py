"""audit's migrations 0001-0014 in one: the models as they are now, for a fresh database, and the guards
of 0003 (append-only audit events) and 0004 (append-only history rows), PostgreSQL only.

The replaced migrations stay in place: a database that has applied some but not all of them goes on with
them (Django uses a squash only where none or all of what it replaces is applied) and is then marked as having
applied this one. Once every deployment has applied this squash, the replaced files can be deleted together with
this `replaces` list (and the dependencies on them in other apps pointed at this migration).

Operations as `makemigrations` (Django 5.2.20) wrote them for these models with no migrations, with each
model's indexes and constraints folded into its CreateModel where nothing stood in between (Django's optimizer does
the same, CreateModel.reduce, but stops at any operation in between): fewer operations, and migrate reloads the
model state for each.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The guards of 0003_append_only_guard and 0004_history_guard, installed by audit.guards as 0004 did: one statement of
# the append-only triggers, which `install_db_guards` and audit.guards.guard_after_migrate (after every migrate)
# install too. The audit event table is refused UPDATE and DELETE; so are the simple-history tables that exist when
# this runs (tables of later migrations and other apps: guard_after_migrate). TRUNCATE is not guarded (Django's test
# flush needs it); SECURITY.md says what the production role may do.
HISTORY_TABLE_PREFIXES = ("licensing_historical", "parties_historical", "consultations_historical", "core_historical")


def guard(apps, schema_editor):
    from audit.guards import install_audit_event_guard, install_history_guards

    install_audit_event_guard(schema_editor.connection)
    install_history_guards(schema_editor.connection, prefixes=HISTORY_TABLE_PREFIXES)


def unguard(apps, schema_editor):
    from audit.guards import uninstall_history_guards

    uninstall_history_guards(schema_editor.connection, prefixes=HISTORY_TABLE_PREFIXES)
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent")


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ('audit', '0001_initial'),
        ('audit', '0002_initial'),
        ('audit', '0003_append_only_guard'),
        ('audit', '0004_history_guard'),
        ('audit', '0005_verbs'),
        ('audit', '0006_treaty_verbs'),
        ('audit', '0007_verbs_virus_scan_objection_and_euc'),
        ('audit', '0008_verbs_sso'),
        ('audit', '0009_verbs_role_grants'),
        ('audit', '0010_api_events'),
        ('audit', '0010_gate_awb_lapse'),
        ('audit', '0010_lifea_verbs_amendments'),
        ('audit', '0010_lifeb_verbs'),
        ('audit', '0010_rep_parliament_information'),
        ('audit', '0011_merge_20261205_0813'),
        ('audit', '0012_alter_auditevent_verb'),
        ('audit', '0013_life_verbs'),
        ('audit', '0013_screens_verbose_names'),
        ('audit', '0014_merge_0013_life_verbs_0013_screens_verbose_names'),
    ]

    # Other apps' migrations by their old names, the latest this app's old migrations needed: where that
    # app's squash is used, Django points the dependency at it; where it is not (that app partly migrated),
    # the dependency stays on the old migration, which such a database has applied.
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The history guard (old 0004) needs the history tables.
        ('core', '0002_initial'),
        ('parties', '0001_initial'),
        ('licensing', '0006_licence_document'),
        ('consultations', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('sequence', models.BigIntegerField(default=0)),
                ('hash', models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.BigIntegerField(unique=True)),
                ('occurred_at', models.DateTimeField()),
                ('actor_label', models.CharField(help_text="Who acted, as shown: a person or 'system'.", max_length=200)),
                ('verb', models.CharField(choices=[('reference_data.loaded', 'reference data loaded'), ('organisation.registered', 'organisation registered'), ('organisation.approved', 'organisation approved'), ('organisation.rejected', 'organisation rejected'), ('user.invited', 'colleague invited'), ('role.granted', 'role granted'), ('role.grant_requested', 'role grant requested'), ('role.grant_refused', 'role grant refused'), ('role.revoked', 'role revoked'), ('api_token.issued', 'API token issued'), ('api_token.revoked', 'API token revoked'), ('webhook.registered', 'webhook endpoint registered'), ('webhook.secret_rotated', 'webhook secret rotated'), ('webhook.disabled', 'webhook endpoint disabled'), ('identity.linked', 'signed in through an identity provider for the first time'), ('staff_role_mapping.saved', 'staff SSO role mapping saved'), ('sign_in_policy.changed', 'sign-in policy changed'), ('application.created', 'application created'), ('application.updated', 'application updated'), ('application.transitioned', 'application status changed'), ('application.assigned', 'case assigned'), ('application.note_added', 'note added'), ('application.information_requested', 'information requested'), ('application.information_provided', 'information provided'), ('application.information_term_lapsed', 'answer-by term passed unused: the Awb term runs again'), ('document.uploaded', 'document uploaded'), ('document.scanned', 'document scanned: clean'), ('document.quarantined', 'document quarantined: virus found'), ('euc.registered', 'end-user certificate registered'), ('euc.attached', 'end-user certificate attached to an application'), ('licence.issued', 'licence issued'), ('licence.transitioned', 'licence status changed'), ('licence.amended', 'licence amended'), ('licence.extended', 'licence extended'), ('licence.surrendered', 'licence surrendered'), ('licence_amendment.requested', 'change of a licence requested'), ('licence_amendment.proposed', 'decision on a change of a licence proposed'), ('licence_amendment.decided', 'change of a licence decided'), ('shipment.recorded', 'shipment recorded'), ('checks.run', 'automatic checks run'), ('check.resolved', 'check result resolved'), ('criterion.assessed', 'criterion assessed'), ('advice.requested', 'advice requested'), ('advice.given', 'advice given'), ('decision.proposed', 'decision proposed'), ('decision.countersigned', 'decision countersigned'), ('decision.returned', 'decision sent back'), ('denial.recorded', 'denial notification recorded'), ('decision_objection.filed', 'objection against a decision filed'), ('decision_objection.updated', 'objection case changed'), ('decision_objection.decided', 'decision on objection taken'), ('consultation.opened', 'consultation opened'), ('consultation.updated', 'consultation updated'), ('consultation.concluded', 'consultation concluded'), ('treaty_notification.recorded', 'treaty notification recorded'), ('objection.proposed', 'objection proposed'), ('objection.approved', 'objection approved'), ('objection.sent', 'objection sent'), ('objection.none_in_time', 'no objection raised in time'), ('reminder.sent', 'deadline reminder sent'), ('treaty_notification.assigned', 'treaty notification assigned'), ('treaty_notification.closed', 'treaty notification closed'), ('objection.returned', 'objection sent back'), ('objection.received', 'objection received from another party'), ('consultation.meeting_recorded', 'consultation meeting recorded'), ('programme.saved', 'programme or cooperation project saved'), ('treaty_transfer.saved', 'treaty transfer details saved'), ('treaty_transfer.assessed', 'de minimis rule applied'), ('treaty_parameters.loaded', 'treaty parameters loaded'), ('final_system.registered', 'final system registered'), ('treaty_transfer.corrected', 'treaty details or goods rating corrected'), ('application.delay_notified', 'notice of delay sent (Awb 4:14(3))'), ('reminder.escalated', 'deadline reminder escalated'), ('general_licence.saved', 'general licence published or changed'), ('general_licence.registration_filed', 'registration for a general licence'), ('general_licence.registration_decided', 'registration for a general licence decided'), ('general_licence.registration_suspended', 'registration for a general licence suspended'), ('general_licence.registration_reinstated', 'registration for a general licence reinstated'), ('general_licence.usage_return_filed', 'general licence usage return filed'), ('product.saved', 'product saved in the catalogue'), ('saved_party.saved', 'party saved for reuse'), ('integration_certificate.requested', 'certificate of integration requested'), ('integration_certificate.received', 'certificate of integration received'), ('report.generated', 'report generated'), ('parliament_information.due', 'decision flagged for accelerated information'), ('parliament_information.sent', 'letter to parliament marked sent')], max_length=64)),
                ('target_type', models.CharField(max_length=100)),
                ('target_id', models.CharField(max_length=64)),
                ('payload', models.JSONField(default=dict)),
                ('reason', models.TextField(blank=True)),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64, unique=True)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'audit event',
                'verbose_name_plural': 'audit events',
                'ordering': ['sequence'],
                'indexes': [models.Index(fields=['target_type', 'target_id', 'sequence'], name='audit_audit_target__23af55_idx'), models.Index(fields=['actor', 'occurred_at'], name='audit_audit_actor_i_023a4b_idx'), models.Index(fields=['verb', 'occurred_at'], name='audit_audit_verb_69c2eb_idx')],
            },
        ),
        migrations.RunPython(guard, unguard),
    ]
