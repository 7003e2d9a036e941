"""reports' migrations 0001-0005 in one: the models as they are now, for a fresh database.

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


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ('reports', '0001_initial'),
        ('reports', '0002_issue16_report_kinds'),
        ('reports', '0003_screens_verbose_names'),
        ('reports', '0003_texts_run_language'),
        ('reports', '0004_merge_20261205_1132'),
        ('reports', '0005_life3_gl_registrations_kind'),
    ]

    # Other apps' migrations by their old names, the latest this app's old migrations needed: where that
    # app's squash is used, Django points the dependency at it; where it is not (that app partly migrated),
    # the dependency stays on the old migration, which such a database has applied.
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkingCalendar',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('first_day', models.DateField()),
                ('last_day', models.DateField()),
                ('holidays_digest', models.CharField(help_text='SHA-256 of the equated holidays used.', max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name='WorkingDay',
            fields=[
                ('day', models.DateField(primary_key=True, serialize=False)),
                ('ordinal', models.PositiveIntegerField(help_text='date.toordinal(): lets SQL add days portably.', unique=True)),
                ('number', models.PositiveIntegerField(help_text="Working days from the calendar's first day up to this day.")),
            ],
            options={
                'ordering': ['day'],
            },
        ),
        migrations.CreateModel(
            name='ReportRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('monthly', 'Monthly licence overview'), ('monthly_confidential', 'Monthly licence overview with exporters (confidential)'), ('annual', 'Annual report (COARM layout)'), ('treaty', 'Treaty transparency report'), ('treaty_confidential', 'Treaty transparency report with the brake details (confidential)'), ('shares', 'NATO/non-NATO share of licensed exports'), ('processing', 'Processing times'), ('accession', 'Before and after accession'), ('un_register', 'UN Register and Arms Trade Treaty report'), ('gl_registrations', 'General licences: registrations and usage per company (confidential)')], max_length=24, verbose_name='report')),
                ('parameters', models.JSONField(default=dict, verbose_name='parameters')),
                ('confidential', models.BooleanField(default=False, verbose_name='confidential')),
                ('as_of', models.DateTimeField(verbose_name='register as of')),
                ('language', models.CharField(blank=True, max_length=8, verbose_name='language')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=8)),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                ('error', models.TextField(blank=True)),
                ('sha256', models.CharField(blank=True, help_text="Over the files' own checksums, in order.", max_length=64, verbose_name='checksum (SHA-256)')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'report run',
                'verbose_name_plural': 'report runs',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['kind', '-created_at'], name='reports_rep_kind_38b523_idx'), models.Index(fields=['status', 'started_at'], name='reports_rep_status_0cb4ca_idx'), models.Index(fields=['confidential', '-created_at'], name='reports_rep_confide_7776e0_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('progress__lte', 100)), name='report_run_progress_max_100'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'done'), _negated=True), models.Q(('sha256', ''), _negated=True), _connector='OR'), name='report_run_done_has_checksum')],
            },
        ),
        migrations.CreateModel(
            name='ReportFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('format', models.CharField(choices=[('csv', 'CSV'), ('xlsx', 'XLSX'), ('pdf', 'PDF')], max_length=4)),
                ('name', models.CharField(max_length=200)),
                ('file', models.FileField(upload_to='reports/%Y/%m/')),
                ('sha256', models.CharField(max_length=64)),
                ('size', models.PositiveIntegerField()),
                ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='reports.reportrun')),
            ],
            options={
                'ordering': ['run_id', 'id'],
                'constraints': [models.UniqueConstraint(fields=('run', 'name'), name='report_file_unique_name')],
            },
        ),
    ]
