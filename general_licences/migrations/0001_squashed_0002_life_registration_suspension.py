"""general_licences' migrations 0001-0002 in one: the models as they are now, for a fresh
database.

The replaced migrations stay in place: a database that has applied some but not all of them goes on with
them (Django uses a squash only where none or all of what it replaces is applied) and is then marked as having
applied this one. Once every deployment has applied this squash, the replaced files can be deleted together with
this `replaces` list (and the dependencies on them in other apps pointed at this migration).

Operations as `makemigrations` (Django 5.2.20) wrote them for these models with no migrations, with each
model's indexes and constraints folded into its CreateModel where nothing stood in between (Django's optimizer does
the same, CreateModel.reduce, but stops at any operation in between): fewer operations, and migrate reloads the
model state for each.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ('general_licences', '0001_lifeb_general_licences'),
        ('general_licences', '0002_life_registration_suspension'),
    ]

    # Other apps' migrations by their old names, the latest this app's old migrations needed: where that
    # app's squash is used, Django points the dependency at it; where it is not (that app partly migrated),
    # the dependency stays on the old migration, which such a database has applied.
    dependencies = [
        ('licensing', '0021_reference_dutch_short_titles'),
        ('parties', '0004_gate_system_role_grants'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='GeneralLicence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(help_text='e.g. NL-AGV-2026-01', max_length=40, unique=True, verbose_name='reference')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('kind', models.CharField(choices=[('eu_transfer', 'EU general transfer licence (Directive 2009/43/EC, art. 5)'), ('national', 'Dutch general export licence')], max_length=12, verbose_name='kind')),
                ('transfer_ground', models.CharField(blank=True, choices=[('', 'Not applicable'), ('a', '(a) to the armed forces of a Member State or a contracting authority in defence'), ('b', '(b) to a recipient certified under art. 9'), ('c', '(c) for demonstration, evaluation or exhibition'), ('d', '(d) for maintenance and repair, to the originating supplier')], max_length=1, verbose_name='transfer covered (art. 5(2))')),
                ('conditions', models.TextField(verbose_name='conditions')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('valid_until', models.DateField(blank=True, null=True, verbose_name='valid until (last day)')),
                ('requires_approval', models.BooleanField(default=False, help_text='Otherwise a registration takes effect at once.', verbose_name="registration needs an officer's approval")),
                ('return_period_months', models.PositiveSmallIntegerField(choices=[(1, '1'), (3, '3'), (6, '6'), (12, '12')], default=6, verbose_name='reporting period (months)')),
                ('return_due_days', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(1)], verbose_name='days to file a return after a period ends')),
                ('status', models.CharField(choices=[('published', 'Published'), ('withdrawn', 'Withdrawn')], default='published', max_length=10, verbose_name='status')),
                ('version', models.PositiveIntegerField(default=1, help_text='Optimistic lock: bumped on every change.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('destinations', models.ManyToManyField(related_name='+', to='parties.country', verbose_name='destinations')),
                ('ml_categories', models.ManyToManyField(related_name='+', to='licensing.mlcategory', verbose_name='Military List categories')),
            ],
            options={
                'verbose_name': 'general licence',
                'verbose_name_plural': 'general licences',
                'ordering': ['reference'],
                'indexes': [models.Index(fields=['status', 'valid_from'], name='general_lic_status_142d84_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('valid_until__isnull', True), ('valid_until__gte', models.F('valid_from')), _connector='OR'), name='general_licence_until_after_from')],
            },
        ),
        migrations.CreateModel(
            name='GeneralLicenceRegistration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Awaiting approval'), ('approved', 'Registered'), ('rejected', 'Rejected'), ('suspended', 'Suspended')], max_length=10, verbose_name='status')),
                ('intended_use', models.TextField(blank=True, verbose_name='intended use')),
                ('registered_at', models.DateTimeField(auto_now_add=True)),
                ('active_from', models.DateField(blank=True, null=True, verbose_name='in effect from')),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_reason', models.TextField(blank=True, verbose_name='reason')),
                ('status_reason', models.TextField(blank=True, verbose_name='reason for the status')),
                ('status_changed_at', models.DateTimeField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('licence', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='general_licences.generallicence')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='general_licence_registrations', to='parties.organisation')),
                ('registered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-registered_at', '-id'],
                'indexes': [models.Index(fields=['status', 'licence'], name='general_lic_status_3f1319_idx'), models.Index(fields=['organisation', 'status'], name='general_lic_organis_f4c9dc_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ['pending', 'approved', 'suspended'])), fields=('licence', 'organisation'), name='one_live_registration_per_licence'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'approved'), _negated=True), ('active_from__isnull', False), _connector='OR'), name='approved_registration_dated')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalGeneralLicence',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('reference', models.CharField(db_index=True, help_text='e.g. NL-AGV-2026-01', max_length=40, verbose_name='reference')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('kind', models.CharField(choices=[('eu_transfer', 'EU general transfer licence (Directive 2009/43/EC, art. 5)'), ('national', 'Dutch general export licence')], max_length=12, verbose_name='kind')),
                ('transfer_ground', models.CharField(blank=True, choices=[('', 'Not applicable'), ('a', '(a) to the armed forces of a Member State or a contracting authority in defence'), ('b', '(b) to a recipient certified under art. 9'), ('c', '(c) for demonstration, evaluation or exhibition'), ('d', '(d) for maintenance and repair, to the originating supplier')], max_length=1, verbose_name='transfer covered (art. 5(2))')),
                ('conditions', models.TextField(verbose_name='conditions')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('valid_until', models.DateField(blank=True, null=True, verbose_name='valid until (last day)')),
                ('requires_approval', models.BooleanField(default=False, help_text='Otherwise a registration takes effect at once.', verbose_name="registration needs an officer's approval")),
                ('return_period_months', models.PositiveSmallIntegerField(choices=[(1, '1'), (3, '3'), (6, '6'), (12, '12')], default=6, verbose_name='reporting period (months)')),
                ('return_due_days', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(1)], verbose_name='days to file a return after a period ends')),
                ('status', models.CharField(choices=[('published', 'Published'), ('withdrawn', 'Withdrawn')], default='published', max_length=10, verbose_name='status')),
                ('version', models.PositiveIntegerField(default=1, help_text='Optimistic lock: bumped on every change.')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical general licence',
                'verbose_name_plural': 'historical general licences',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalGeneralLicence_destinations',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.country')),
                ('generallicence', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='general_licences.generallicence')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='general_licences.historicalgenerallicence')),
            ],
            options={
                'verbose_name': 'HistoricalGeneralLicence_destinations',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalGeneralLicence_ml_categories',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('generallicence', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='general_licences.generallicence')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='general_licences.historicalgenerallicence')),
                ('mlcategory', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='licensing.mlcategory')),
            ],
            options={
                'verbose_name': 'HistoricalGeneralLicence_ml_categories',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalGeneralLicenceRegistration',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('status', models.CharField(choices=[('pending', 'Awaiting approval'), ('approved', 'Registered'), ('rejected', 'Rejected'), ('suspended', 'Suspended')], max_length=10, verbose_name='status')),
                ('intended_use', models.TextField(blank=True, verbose_name='intended use')),
                ('registered_at', models.DateTimeField(blank=True, editable=False)),
                ('active_from', models.DateField(blank=True, null=True, verbose_name='in effect from')),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_reason', models.TextField(blank=True, verbose_name='reason')),
                ('status_reason', models.TextField(blank=True, verbose_name='reason for the status')),
                ('status_changed_at', models.DateTimeField(blank=True, null=True)),
                ('version', models.PositiveIntegerField(default=1)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('licence', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='general_licences.generallicence')),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.organisation')),
                ('registered_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical general licence registration',
                'verbose_name_plural': 'historical general licence registrations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalUsageReturn',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('period_start', models.DateField(verbose_name='period from')),
                ('period_end', models.DateField(verbose_name='period until')),
                ('nil_return', models.BooleanField(default=False, verbose_name='not used in this period')),
                ('filed_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('filed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('registration', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='general_licences.generallicenceregistration')),
            ],
            options={
                'verbose_name': 'historical usage return',
                'verbose_name_plural': 'historical usage returns',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='UsageReturn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period_start', models.DateField(verbose_name='period from')),
                ('period_end', models.DateField(verbose_name='period until')),
                ('nil_return', models.BooleanField(default=False, verbose_name='not used in this period')),
                ('filed_at', models.DateTimeField(auto_now_add=True)),
                ('filed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='returns', to='general_licences.generallicenceregistration')),
            ],
            options={
                'ordering': ['registration_id', '-period_start'],
                'constraints': [models.UniqueConstraint(fields=('registration', 'period_start'), name='one_return_per_period'), models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='return_period_ordered')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalUsageReturnLine',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('description', models.CharField(max_length=300, verbose_name='goods')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=14, verbose_name='quantity')),
                ('unit', models.CharField(choices=[('pcs', 'pieces'), ('sets', 'sets'), ('kg', 'kilograms'), ('l', 'litres'), ('m', 'metres'), ('rounds', 'rounds')], default='pcs', max_length=8, verbose_name='unit')),
                ('value_eur', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='value (EUR)')),
                ('recipient', models.CharField(max_length=300, verbose_name='recipient')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.country', verbose_name='country')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('ml_category', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='licensing.mlcategory', verbose_name='Military List category')),
                ('usage_return', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='general_licences.usagereturn')),
            ],
            options={
                'verbose_name': 'historical usage return line',
                'verbose_name_plural': 'historical usage return lines',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='UsageReturnLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('description', models.CharField(max_length=300, verbose_name='goods')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=14, verbose_name='quantity')),
                ('unit', models.CharField(choices=[('pcs', 'pieces'), ('sets', 'sets'), ('kg', 'kilograms'), ('l', 'litres'), ('m', 'metres'), ('rounds', 'rounds')], default='pcs', max_length=8, verbose_name='unit')),
                ('value_eur', models.DecimalField(decimal_places=2, max_digits=16, verbose_name='value (EUR)')),
                ('recipient', models.CharField(max_length=300, verbose_name='recipient')),
                ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='parties.country', verbose_name='country')),
                ('ml_category', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='licensing.mlcategory', verbose_name='Military List category')),
                ('usage_return', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='general_licences.usagereturn')),
            ],
            options={
                'ordering': ['usage_return_id', 'id'],
                'indexes': [models.Index(fields=['ml_category', 'country'], name='general_lic_ml_cate_bf4a6e_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='usage_quantity_positive'), models.CheckConstraint(condition=models.Q(('value_eur__gte', 0)), name='usage_value_not_negative')],
            },
        ),
    ]
