"""consultations' migrations 0001-0009 in one: the models as they are now, for a fresh database.
0006_remind_reminders_to_engine is left out: it only carries existing rows over, and a fresh database has none.

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
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ('consultations', '0001_initial'),
        ('consultations', '0002_assessment'),
        ('consultations', '0003_treaty'),
        ('consultations', '0004_notification_deadline_order'),
        ('consultations', '0005_move_denials_consultations'),
        ('consultations', '0006_remind_reminders_to_engine'),
        ('consultations', '0006_screens_verbose_names'),
        ('consultations', '0006_texts_verbose_names'),
        ('consultations', '0007_merge_20261205_1121'),
        ('consultations', '0008_merge_20261205_1132'),
        ('consultations', '0009_merged_state'),
    ]

    # Other apps' migrations by their old names, the latest this app's old migrations needed: where that
    # app's squash is used, Django points the dependency at it; where it is not (that app partly migrated),
    # the dependency stays on the old migration, which such a database has applied.
    dependencies = [
        ('licensing', '0024_texts_message_codes_and_verbose_names'),
        ('parties', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ConsultationMeeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('held_on', models.DateField(verbose_name='date')),
                ('participants', models.TextField(verbose_name='participants')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('alternatives_proposed', models.TextField(blank=True, verbose_name='alternatives proposed')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='licensing.consultation')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['consultation_id', 'held_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalConsultationMeeting',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('held_on', models.DateField(verbose_name='date')),
                ('participants', models.TextField(verbose_name='participants')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('alternatives_proposed', models.TextField(blank=True, verbose_name='alternatives proposed')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('consultation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='licensing.consultation')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical consultation meeting',
                'verbose_name_plural': 'historical consultation meetings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProgramme',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=200, verbose_name='name')),
                ('kind', models.CharField(choices=[('intergovernmental', 'Intergovernmental programme (Art. 1)'), ('industrial_cooperation', 'Recognised industrial cooperation project (Art. 2)')], max_length=24, verbose_name='kind')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('recognised_on', models.DateField(blank=True, help_text='Industrial cooperation projects: the day the last party concerned recognised it.', null=True, verbose_name='recognition date')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical programme',
                'verbose_name_plural': 'historical programmes',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Programme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('kind', models.CharField(choices=[('intergovernmental', 'Intergovernmental programme (Art. 1)'), ('industrial_cooperation', 'Recognised industrial cooperation project (Art. 2)')], max_length=24, verbose_name='kind')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('recognised_on', models.DateField(blank=True, help_text='Industrial cooperation projects: the day the last party concerned recognised it.', null=True, verbose_name='recognition date')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('applications', models.ManyToManyField(blank=True, related_name='treaty_programmes', to='licensing.application', verbose_name='related applications')),
                ('participants', models.ManyToManyField(related_name='+', to='parties.country', verbose_name='participating parties')),
            ],
            options={
                'verbose_name': 'programme',
                'verbose_name_plural': 'programmes',
                'ordering': ['name'],
                'indexes': [models.Index(fields=['kind', 'name'], name='consultatio_kind_b4cad9_idx')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalTreatyNotification',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('direction', models.CharField(choices=[('incoming', 'Incoming: another party notifies us'), ('outgoing', 'Outgoing: we notify another party')], max_length=8, verbose_name='direction')),
                ('subject_kind', models.CharField(choices=[('programme_product', 'Product of a programme or cooperation project'), ('home_state_content', 'System with Dutch content'), ('other_party_content', "Dutch export with another party's content")], max_length=24, verbose_name='subject')),
                ('subject', models.CharField(max_length=300, verbose_name='export project')),
                ('their_reference', models.CharField(blank=True, max_length=100, verbose_name='their reference')),
                ('received_on', models.DateField(verbose_name='date of becoming aware')),
                ('objection_period_months', models.PositiveSmallIntegerField(verbose_name='objection period (months)')),
                ('objection_deadline', models.DateField(verbose_name='objection deadline')),
                ('deadline_rule', models.TextField(verbose_name='deadline rule')),
                ('status', models.CharField(choices=[('open', 'Open: objection period running'), ('objection_proposed', 'Objection proposed'), ('objected', 'Objection made: in consultation'), ('no_objection_in_time', 'No objection raised in time'), ('closed', 'Closed')], default='open', max_length=24, verbose_name='status')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('version', models.PositiveIntegerField(default=1)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('application', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='licensing.application', verbose_name='related application')),
                ('assignee', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                ('counterpart', models.ForeignKey(blank=True, db_constraint=False, help_text='Incoming: the notifying state. Outgoing: the party concerned that we notify.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.country', verbose_name='other party')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('third_country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.country', verbose_name='third-country destination')),
                ('programme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='consultations.programme', verbose_name='programme or project')),
            ],
            options={
                'verbose_name': 'historical treaty notification',
                'verbose_name_plural': 'historical treaty notifications',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProgramme_participants',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.country')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='consultations.historicalprogramme')),
                ('programme', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='consultations.programme')),
            ],
            options={
                'verbose_name': 'HistoricalProgramme_participants',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProgramme_applications',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('application', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='licensing.application')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='consultations.historicalprogramme')),
                ('programme', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='consultations.programme')),
            ],
            options={
                'verbose_name': 'HistoricalProgramme_applications',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='TreatyNotification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('direction', models.CharField(choices=[('incoming', 'Incoming: another party notifies us'), ('outgoing', 'Outgoing: we notify another party')], max_length=8, verbose_name='direction')),
                ('subject_kind', models.CharField(choices=[('programme_product', 'Product of a programme or cooperation project'), ('home_state_content', 'System with Dutch content'), ('other_party_content', "Dutch export with another party's content")], max_length=24, verbose_name='subject')),
                ('subject', models.CharField(max_length=300, verbose_name='export project')),
                ('their_reference', models.CharField(blank=True, max_length=100, verbose_name='their reference')),
                ('received_on', models.DateField(verbose_name='date of becoming aware')),
                ('objection_period_months', models.PositiveSmallIntegerField(verbose_name='objection period (months)')),
                ('objection_deadline', models.DateField(verbose_name='objection deadline')),
                ('deadline_rule', models.TextField(verbose_name='deadline rule')),
                ('status', models.CharField(choices=[('open', 'Open: objection period running'), ('objection_proposed', 'Objection proposed'), ('objected', 'Objection made: in consultation'), ('no_objection_in_time', 'No objection raised in time'), ('closed', 'Closed')], default='open', max_length=24, verbose_name='status')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('application', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='treaty_notifications', to='licensing.application', verbose_name='related application')),
                ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                ('counterpart', models.ForeignKey(help_text='Incoming: the notifying state. Outgoing: the party concerned that we notify.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.country', verbose_name='other party')),
                ('programme', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to='consultations.programme', verbose_name='programme or project')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('third_country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.country', verbose_name='third-country destination')),
            ],
            options={
                'verbose_name': 'treaty notification',
                'verbose_name_plural': 'treaty notifications',
                'ordering': ['objection_deadline', 'id'],
                'indexes': [models.Index(fields=['status', 'objection_deadline'], name='consultatio_status_96cf73_idx'), models.Index(fields=['objection_deadline', 'id'], name='notification_deadline_idx'), models.Index(condition=models.Q(('status__in', ['objection_proposed', 'open'])), fields=['objection_deadline', 'id'], name='notification_running_idx'), models.Index(fields=['direction', 'status', 'objection_deadline'], name='consultatio_directi_1cde50_idx'), models.Index(fields=['assignee', 'status'], name='consultatio_assigne_dc8dbb_idx'), models.Index(fields=['counterpart', 'status'], name='consultatio_counter_92760f_idx'), models.Index(fields=['application', 'direction'], name='consultatio_applica_98a5b0_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('objection_deadline__gt', models.F('received_on'))), name='notification_deadline_after_aware'), models.CheckConstraint(condition=models.Q(('direction', 'incoming'), ('application__isnull', False), _connector='OR'), name='outgoing_notification_has_application')],
            },
        ),
        migrations.CreateModel(
            name='Objection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ground', models.CharField(choices=[('direct_interests', 'Direct interests compromised'), ('national_security', 'National security compromised')], max_length=20, verbose_name='ground')),
                ('reasons', models.TextField(verbose_name='reasons')),
                ('status', models.CharField(choices=[('proposed', 'Proposed: awaiting a senior officer'), ('approved', 'Approved: ready to send'), ('sent', 'Sent'), ('returned', 'Sent back'), ('received', 'Received from the other party')], max_length=10, verbose_name='status')),
                ('proposed_at', models.DateTimeField(verbose_name='proposed at')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='approved at')),
                ('return_reason', models.TextField(blank=True, verbose_name='return reason')),
                ('sent_on', models.DateField(blank=True, null=True, verbose_name='sent on')),
                ('received_on', models.DateField(blank=True, null=True, verbose_name='received on')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                ('consultation', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='treaty_objection', to='licensing.consultation', verbose_name='consultation')),
                ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
                ('returned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='returned by')),
                ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
                ('notification', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='objections', to='consultations.treatynotification', verbose_name='notification')),
            ],
            options={
                'verbose_name': 'treaty objection',
                'verbose_name_plural': 'treaty objections',
                'ordering': ['notification_id', 'proposed_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('approved_by__isnull', True), models.Q(('approved_by', models.F('proposed_by')), _negated=True), _connector='OR'), name='objection_four_eyes'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), models.Q(('approved_by__isnull', False), ('sent_on__isnull', False)), _connector='OR'), name='objection_sent_was_approved'), models.UniqueConstraint(condition=models.Q(('status', 'returned'), _negated=True), fields=('notification',), name='one_live_objection_per_notification')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalObjection',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('ground', models.CharField(choices=[('direct_interests', 'Direct interests compromised'), ('national_security', 'National security compromised')], max_length=20, verbose_name='ground')),
                ('reasons', models.TextField(verbose_name='reasons')),
                ('status', models.CharField(choices=[('proposed', 'Proposed: awaiting a senior officer'), ('approved', 'Approved: ready to send'), ('sent', 'Sent'), ('returned', 'Sent back'), ('received', 'Received from the other party')], max_length=10, verbose_name='status')),
                ('proposed_at', models.DateTimeField(verbose_name='proposed at')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='approved at')),
                ('return_reason', models.TextField(blank=True, verbose_name='return reason')),
                ('sent_on', models.DateField(blank=True, null=True, verbose_name='sent on')),
                ('received_on', models.DateField(blank=True, null=True, verbose_name='received on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('approved_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                ('consultation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='licensing.consultation', verbose_name='consultation')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('proposed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
                ('returned_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='returned by')),
                ('sent_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
                ('notification', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='consultations.treatynotification', verbose_name='notification')),
            ],
            options={
                'verbose_name': 'historical treaty objection',
                'verbose_name_plural': 'historical treaty objections',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
