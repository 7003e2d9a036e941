"""core's migrations 0001-0009 in one: the models as they are now, for a fresh database.

The replaced migrations stay in place: a database that has applied some but not all of them goes on with
them (Django uses a squash only where none or all of what it replaces is applied) and is then marked as having
applied this one. Once every deployment has applied this squash, the replaced files can be deleted together with
this `replaces` list (and the dependencies on them in other apps pointed at this migration).

Operations as `makemigrations` (Django 5.2.20) wrote them for these models with no migrations, with each
model's indexes and constraints folded into its CreateModel where nothing stood in between (Django's optimizer does
the same, CreateModel.reduce, but stops at any operation in between): fewer operations, and migrate reloads the
model state for each.
"""

import django.core.serializers.json
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ('core', '0001_initial'),
        ('core', '0002_initial'),
        ('core', '0003_deadline_reminders'),
        ('core', '0004_api_events'),
        ('core', '0004_lifeb_reminder_kind'),
        ('core', '0004_rep_parliament_information'),
        ('core', '0005_merge_20261205_0813'),
        ('core', '0006_alter_deadlinereminder_kind'),
        ('core', '0007_remind_treaty_objection_kind'),
        ('core', '0007_screens_verbose_names'),
        ('core', '0007_texts_verbose_names'),
        ('core', '0008_merge_20261205_1121'),
        ('core', '0009_merge_20261205_1132'),
    ]

    # Other apps' migrations by their old names, the latest this app's old migrations needed: where that
    # app's squash is used, Django points the dependency at it; where it is not (that app partly migrated),
    # the dependency stays on the old migration, which such a database has applied.
    dependencies = [
        ('parties', '0003_role_grants'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EquatedHoliday',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True, verbose_name='day')),
                ('description', models.CharField(max_length=200, verbose_name='description')),
                ('decree', models.CharField(blank=True, help_text='Staatscourant reference', max_length=200, verbose_name='decree')),
            ],
            options={
                'verbose_name': 'equated holiday',
                'verbose_name_plural': 'equated holidays',
                'ordering': ['day'],
            },
        ),
        migrations.CreateModel(
            name='DeadlineReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('awb_term', 'Awb decision term'), ('answer_by', 'Answer to a request for information'), ('art4_reply', 'Reply to an Art. 4 denial consultation'), ('de_minimis_target', 'De minimis target (without delay)'), ('treaty_window', 'Treaty objection window'), ('treaty_objection', 'Our objection deadline on a treaty notification'), ('parliament_letter', 'Accelerated information to parliament'), ('usage_return', 'General licence usage return')], max_length=20)),
                ('subject', models.CharField(help_text='What the deadline belongs to, e.g. application:42.', max_length=100)),
                ('deadline', models.DateField()),
                ('offset_days', models.SmallIntegerField()),
                ('sent_at', models.DateTimeField()),
                ('recipients', models.PositiveSmallIntegerField(default=0)),
                ('escalated', models.BooleanField(default=False, help_text='Also sent to the senior officers.')),
            ],
            options={
                'ordering': ['-sent_at'],
                'indexes': [models.Index(fields=['subject', 'kind'], name='core_deadli_subject_d9dad3_idx')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'subject', 'deadline', 'offset_days'), name='one_reminder_per_deadline_point')],
            },
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(editable=False, unique=True)),
                ('type', models.CharField(choices=[('information.requested', 'The licensing authority asked for information'), ('decision.taken', 'A decision was taken on an application'), ('licence.issued', 'A licence was issued'), ('licence.changed', "A licence's status changed"), ('document.scanned', 'An uploaded document was scanned for viruses')], max_length=40)),
                ('occurred_at', models.DateTimeField()),
                ('subject', models.CharField(help_text='What the event is about, e.g. application:42.', max_length=100)),
                ('data', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('position', models.BigIntegerField(blank=True, null=True, unique=True)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.organisation')),
            ],
            options={
                'ordering': ['position'],
                'indexes': [models.Index(fields=['organisation', 'position'], name='core_event_organis_ba7469_idx'), models.Index(condition=models.Q(('position__isnull', True)), fields=['id'], name='event_unsequenced_idx')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalEquatedHoliday',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('day', models.DateField(db_index=True, verbose_name='day')),
                ('description', models.CharField(max_length=200, verbose_name='description')),
                ('decree', models.CharField(blank=True, help_text='Staatscourant reference', max_length=200, verbose_name='decree')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical equated holiday',
                'verbose_name_plural': 'historical equated holidays',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalWebhookEndpoint',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('url', models.URLField(max_length=500, verbose_name='endpoint URL')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.organisation')),
            ],
            options={
                'verbose_name': 'historical webhook endpoint',
                'verbose_name_plural': 'historical webhook endpoints',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('body', models.TextField(blank=True)),
                ('link', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['user', 'read_at', '-created_at'], name='core_notifi_user_id_d46a88_idx')],
            },
        ),
        migrations.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(help_text='Idempotency key: one message per key.', max_length=200, unique=True)),
                ('to', models.JSONField(default=list)),
                ('subject', models.CharField(max_length=300)),
                ('body', models.TextField()),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('sending', 'Being sent'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10)),
                ('attempts', models.PositiveIntegerField(default=0)),
                ('last_error', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('claimed_at', models.DateTimeField(blank=True, null=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'indexes': [models.Index(condition=models.Q(('status', 'pending')), fields=['created_at'], name='outbox_pending_idx')],
            },
        ),
        migrations.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sending', 'Being sent'), ('delivered', 'Delivered'), ('failed', 'Failed: gave up')], default='pending', max_length=10)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('next_attempt_at', models.DateTimeField()),
                ('claimed_at', models.DateTimeField(blank=True, null=True)),
                ('delivered_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deliveries', to='core.event')),
            ],
            options={
                'ordering': ['-id'],
                'indexes': [models.Index(condition=models.Q(('status', 'pending')), fields=['next_attempt_at'], name='webhook_due_idx')],
            },
        ),
        migrations.CreateModel(
            name='WebhookAttempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField()),
                ('attempted_at', models.DateTimeField()),
                ('status_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('error', models.CharField(blank=True, max_length=300)),
                ('duration_ms', models.PositiveIntegerField(default=0)),
                ('delivery', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attempt_log', to='core.webhookdelivery')),
            ],
            options={
                'ordering': ['delivery', 'number'],
                'constraints': [models.UniqueConstraint(fields=('delivery', 'number'), name='one_attempt_per_number')],
            },
        ),
        migrations.CreateModel(
            name='WebhookEndpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(max_length=500, verbose_name='endpoint URL')),
                ('secret', models.CharField(editable=False, max_length=100)),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.organisation')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['organisation', 'is_active'], name='core_webhoo_organis_210c21_idx')],
            },
        ),
        migrations.AddField(
            model_name='webhookdelivery',
            name='endpoint',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='core.webhookendpoint'),
        ),
        migrations.AddIndex(
            model_name='webhookdelivery',
            index=models.Index(fields=['endpoint', '-id'], name='core_webhoo_endpoin_15c6bc_idx'),
        ),
        migrations.AddConstraint(
            model_name='webhookdelivery',
            constraint=models.UniqueConstraint(fields=('endpoint', 'event'), name='one_delivery_per_endpoint_event'),
        ),
    ]
