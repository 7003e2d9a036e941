"""parties' migrations 0001-0006 in one: the models as they are now, for a fresh database.

The replaced migrations stay in place: a database that has applied some but not all of them goes on with
them (Django uses a squash only where none or all of what it replaces is applied) and is then marked as having
applied this one. Once every deployment has applied this squash, the replaced files can be deleted together with
this `replaces` list (and the dependencies on them in other apps pointed at this migration).

Operations as `makemigrations` (Django 5.2.20) wrote them for these models with no migrations, with each
model's indexes and constraints folded into its CreateModel where nothing stood in between (Django's optimizer does
the same, CreateModel.reduce, but stops at any operation in between): fewer operations, and migrate reloads the
model state for each.
"""

import django.contrib.auth.models
import django.contrib.auth.validators
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ('parties', '0001_initial'),
        ('parties', '0002_sso_identities_role_mappings_sign_in_policy'),
        ('parties', '0003_role_grants'),
        ('parties', '0004_gate_system_role_grants'),
        ('parties', '0005_screens_verbose_names'),
        ('parties', '0005_texts_verbose_names'),
        ('parties', '0006_merge_20261205_1132'),
    ]

    # Other apps' migrations by their old names, the latest this app's old migrations needed: where that
    # app's squash is used, Django points the dependency at it; where it is not (that app partly migrated),
    # the dependency stays on the old migration, which such a database has applied.
    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='Country',
            fields=[
                ('iso2', models.CharField(max_length=2, primary_key=True, serialize=False, verbose_name='ISO code')),
                ('name_en', models.CharField(max_length=100, verbose_name='name (English)')),
                ('name_nl', models.CharField(max_length=100, verbose_name='name (Dutch)')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('source', models.TextField(blank=True, verbose_name='source')),
            ],
            options={
                'verbose_name': 'country',
                'verbose_name_plural': 'countries',
                'ordering': ['name_en'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('is_org_admin', models.BooleanField(default=False, verbose_name='organisation administrator')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
            ],
            options={
                'verbose_name': 'user',
                'verbose_name_plural': 'users',
            },
            managers=[
                ('objects', django.contrib.auth.models.UserManager()),
            ],
        ),
        migrations.CreateModel(
            name='HistoricalCountry',
            fields=[
                ('iso2', models.CharField(db_index=True, max_length=2, verbose_name='ISO code')),
                ('name_en', models.CharField(max_length=100, verbose_name='name (English)')),
                ('name_nl', models.CharField(max_length=100, verbose_name='name (Dutch)')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('source', models.TextField(blank=True, verbose_name='source')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical country',
                'verbose_name_plural': 'historical countries',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalEmbargo',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('target', models.CharField(max_length=200, verbose_name='target')),
                ('scope', models.TextField(verbose_name='scope')),
                ('un_basis', models.CharField(blank=True, max_length=300, verbose_name='UN basis')),
                ('legal_act', models.CharField(max_length=400, verbose_name='legal act')),
                ('since', models.DateField(blank=True, null=True, verbose_name='since')),
                ('since_text', models.CharField(blank=True, help_text='The date as the source gives it.', max_length=100, verbose_name='start as published')),
                ('until', models.DateField(blank=True, null=True, verbose_name='until')),
                ('partial', models.BooleanField(default=False, help_text='Only some end users are embargoed.', verbose_name='partial')),
                ('needs_verification', models.BooleanField(default=False, verbose_name='needs verification')),
                ('confidence', models.CharField(blank=True, max_length=200, verbose_name='confidence')),
                ('source', models.TextField(blank=True, verbose_name='source')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.country', verbose_name='country')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical embargo',
                'verbose_name_plural': 'historical embargoes',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalExternalIdentity',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('provider', models.CharField(choices=[('eherkenning', 'eHerkenning'), ('staff_sso', 'Staff single sign-on')], max_length=20, verbose_name='identity provider')),
                ('subject', models.CharField(max_length=255, verbose_name='subject')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('last_sign_in_at', models.DateTimeField(blank=True, null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical external identity',
                'verbose_name_plural': 'historical external identities',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalMembership',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('bloc', models.CharField(choices=[('EU', 'European Union'), ('NATO', 'NATO'), ('TREATY', 'Treaty on export controls in the field of defence')], max_length=8, verbose_name='bloc')),
                ('since', models.DateField(verbose_name='member from')),
                ('until', models.DateField(blank=True, null=True, verbose_name='member until (last day)')),
                ('basis', models.CharField(choices=[('accession', 'Accession'), ('founding', 'Founding member'), ('provisional', 'Provisional application from signature'), ('in_force', 'Entry into force'), ('hypothetical', 'Hypothetical (demo only)')], default='accession', max_length=16, verbose_name='basis')),
                ('signed_on', models.DateField(blank=True, null=True, verbose_name='signed on')),
                ('in_force_on', models.DateField(blank=True, null=True, verbose_name='in force on')),
                ('confidence', models.CharField(blank=True, help_text='Unconfirmed dates stay marked.', max_length=200, verbose_name='confidence')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('source', models.TextField(blank=True, verbose_name='source')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.country', verbose_name='country')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical membership',
                'verbose_name_plural': 'historical memberships',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalOrganisation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='company name')),
                ('kvk_number', models.CharField(db_index=True, max_length=8, validators=[django.core.validators.RegexValidator('^\\d{8}$', 'A KvK (Chamber of Commerce) number has exactly 8 digits.')], verbose_name='KvK number')),
                ('address', models.TextField(verbose_name='address')),
                ('contact_name', models.CharField(max_length=200, verbose_name='contact person')),
                ('contact_email', models.EmailField(max_length=254, verbose_name='contact e-mail')),
                ('contact_phone', models.CharField(blank=True, max_length=40, verbose_name='contact phone')),
                ('status', models.CharField(choices=[('pending', 'Awaiting approval'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='pending', max_length=10, verbose_name='status')),
                ('status_reason', models.TextField(blank=True, verbose_name='reason for the status')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('country', models.ForeignKey(blank=True, db_constraint=False, default='NL', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.country', verbose_name='country')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical organisation',
                'verbose_name_plural': 'historical organisations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRoleGrant',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('role', models.CharField(choices=[('exporter', 'Exporter'), ('licensing_officer', 'Licensing officer'), ('senior_licensing_officer', 'Senior licensing officer'), ('policy_adviser', 'Policy adviser (Foreign Affairs)'), ('reporting_staff', 'Reporting staff'), ('administrator', 'Administrator')], max_length=32, verbose_name='role')),
                ('reason', models.TextField(verbose_name='reason')),
                ('status', models.CharField(choices=[('pending', 'Awaiting a second administrator'), ('approved', 'Approved'), ('refused', 'Refused')], default='pending', max_length=8, verbose_name='status')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='requested at')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requested_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='for')),
            ],
            options={
                'verbose_name': 'historical role grant',
                'verbose_name_plural': 'historical role grants',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSignInPolicy',
            fields=[
                ('id', models.PositiveSmallIntegerField(db_index=True, default=1, editable=False)),
                ('exporter_passwords_enabled', models.BooleanField(default=True, help_text='Switch off once every company signs in with eHerkenning.', verbose_name='exporters may sign in with a password')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical sign-in policy',
                'verbose_name_plural': 'historical sign-in policy',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalStaffRoleMapping',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('claim_value', models.CharField(max_length=255, verbose_name='claim value')),
                ('role', models.CharField(choices=[('licensing_officer', 'Licensing officer'), ('senior_licensing_officer', 'Senior licensing officer'), ('policy_adviser', 'Policy adviser (Foreign Affairs)'), ('reporting_staff', 'Reporting staff'), ('administrator', 'Administrator')], max_length=40, verbose_name='role')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical staff role mapping',
                'verbose_name_plural': 'historical staff role mappings',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Organisation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='company name')),
                ('kvk_number', models.CharField(max_length=8, unique=True, validators=[django.core.validators.RegexValidator('^\\d{8}$', 'A KvK (Chamber of Commerce) number has exactly 8 digits.')], verbose_name='KvK number')),
                ('address', models.TextField(verbose_name='address')),
                ('contact_name', models.CharField(max_length=200, verbose_name='contact person')),
                ('contact_email', models.EmailField(max_length=254, verbose_name='contact e-mail')),
                ('contact_phone', models.CharField(blank=True, max_length=40, verbose_name='contact phone')),
                ('status', models.CharField(choices=[('pending', 'Awaiting approval'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='pending', max_length=10, verbose_name='status')),
                ('status_reason', models.TextField(blank=True, verbose_name='reason for the status')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('country', models.ForeignKey(default='NL', on_delete=django.db.models.deletion.PROTECT, to='parties.country', verbose_name='country')),
            ],
            options={
                'verbose_name': 'organisation',
                'verbose_name_plural': 'organisations',
                'ordering': ['name'],
                'indexes': [models.Index(fields=['status', 'name'], name='parties_org_status_219fd9_idx')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalUser',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(db_index=True, error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('is_org_admin', models.BooleanField(default=False, verbose_name='organisation administrator')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parties.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'historical user',
                'verbose_name_plural': 'historical users',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='user',
            name='organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='members', to='parties.organisation', verbose_name='organisation'),
        ),
        migrations.CreateModel(
            name='RoleGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('exporter', 'Exporter'), ('licensing_officer', 'Licensing officer'), ('senior_licensing_officer', 'Senior licensing officer'), ('policy_adviser', 'Policy adviser (Foreign Affairs)'), ('reporting_staff', 'Reporting staff'), ('administrator', 'Administrator')], max_length=32, verbose_name='role')),
                ('reason', models.TextField(verbose_name='reason')),
                ('status', models.CharField(choices=[('pending', 'Awaiting a second administrator'), ('approved', 'Approved'), ('refused', 'Refused')], default='pending', max_length=8, verbose_name='status')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested at')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='role_grants', to=settings.AUTH_USER_MODEL, verbose_name='for')),
            ],
            options={
                'verbose_name': 'role grant',
                'verbose_name_plural': 'role grants',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['status', '-created_at'], name='parties_rol_status_c29d8f_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('decided_by__isnull', True), models.Q(('decided_by', models.F('requested_by')), _negated=True), _connector='OR'), name='role_grant_decided_by_another_administrator'), models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('user', 'role'), name='role_grant_one_pending_per_role')],
            },
        ),
        migrations.CreateModel(
            name='SignInPolicy',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, editable=False, primary_key=True, serialize=False)),
                ('exporter_passwords_enabled', models.BooleanField(default=True, help_text='Switch off once every company signs in with eHerkenning.', verbose_name='exporters may sign in with a password')),
            ],
            options={
                'verbose_name': 'sign-in policy',
                'verbose_name_plural': 'sign-in policy',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='sign_in_policy_single_row')],
            },
        ),
        migrations.CreateModel(
            name='StaffRoleMapping',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('claim_value', models.CharField(max_length=255, verbose_name='claim value')),
                ('role', models.CharField(choices=[('licensing_officer', 'Licensing officer'), ('senior_licensing_officer', 'Senior licensing officer'), ('policy_adviser', 'Policy adviser (Foreign Affairs)'), ('reporting_staff', 'Reporting staff'), ('administrator', 'Administrator')], max_length=40, verbose_name='role')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'staff role mapping',
                'verbose_name_plural': 'staff role mappings',
                'ordering': ['claim_value', 'role'],
                'indexes': [models.Index(fields=['is_active', 'claim_value'], name='parties_sta_is_acti_a4c0f6_idx')],
                'constraints': [models.UniqueConstraint(fields=('claim_value', 'role'), name='staff_role_mapping_unique')],
            },
        ),
        migrations.CreateModel(
            name='Embargo',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('target', models.CharField(max_length=200, verbose_name='target')),
                ('scope', models.TextField(verbose_name='scope')),
                ('un_basis', models.CharField(blank=True, max_length=300, verbose_name='UN basis')),
                ('legal_act', models.CharField(max_length=400, verbose_name='legal act')),
                ('since', models.DateField(blank=True, null=True, verbose_name='since')),
                ('since_text', models.CharField(blank=True, help_text='The date as the source gives it.', max_length=100, verbose_name='start as published')),
                ('until', models.DateField(blank=True, null=True, verbose_name='until')),
                ('partial', models.BooleanField(default=False, help_text='Only some end users are embargoed.', verbose_name='partial')),
                ('needs_verification', models.BooleanField(default=False, verbose_name='needs verification')),
                ('confidence', models.CharField(blank=True, max_length=200, verbose_name='confidence')),
                ('source', models.TextField(blank=True, verbose_name='source')),
                ('country', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='embargoes', to='parties.country', verbose_name='country')),
            ],
            options={
                'verbose_name': 'embargo',
                'verbose_name_plural': 'embargoes',
                'ordering': ['target'],
                'indexes': [models.Index(fields=['country', 'since', 'until'], name='parties_emb_country_be9231_idx')],
            },
        ),
        migrations.CreateModel(
            name='ExternalIdentity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('provider', models.CharField(choices=[('eherkenning', 'eHerkenning'), ('staff_sso', 'Staff single sign-on')], max_length=20, verbose_name='identity provider')),
                ('subject', models.CharField(max_length=255, verbose_name='subject')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('last_sign_in_at', models.DateTimeField(blank=True, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='external_identities', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name_plural': 'external identities',
                'constraints': [models.UniqueConstraint(fields=('provider', 'subject'), name='external_identity_unique')],
            },
        ),
        migrations.CreateModel(
            name='Membership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('bloc', models.CharField(choices=[('EU', 'European Union'), ('NATO', 'NATO'), ('TREATY', 'Treaty on export controls in the field of defence')], max_length=8, verbose_name='bloc')),
                ('since', models.DateField(verbose_name='member from')),
                ('until', models.DateField(blank=True, null=True, verbose_name='member until (last day)')),
                ('basis', models.CharField(choices=[('accession', 'Accession'), ('founding', 'Founding member'), ('provisional', 'Provisional application from signature'), ('in_force', 'Entry into force'), ('hypothetical', 'Hypothetical (demo only)')], default='accession', max_length=16, verbose_name='basis')),
                ('signed_on', models.DateField(blank=True, null=True, verbose_name='signed on')),
                ('in_force_on', models.DateField(blank=True, null=True, verbose_name='in force on')),
                ('confidence', models.CharField(blank=True, help_text='Unconfirmed dates stay marked.', max_length=200, verbose_name='confidence')),
                ('note', models.TextField(blank=True, verbose_name='note')),
                ('source', models.TextField(blank=True, verbose_name='source')),
                ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='parties.country', verbose_name='country')),
            ],
            options={
                'verbose_name': 'membership',
                'verbose_name_plural': 'memberships',
                'ordering': ['country_id', 'bloc', 'since'],
                'indexes': [models.Index(fields=['bloc', 'since', 'until'], name='parties_mem_bloc_75a30f_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('until__isnull', True), ('until__gte', models.F('since')), _connector='OR'), name='membership_until_after_since'), models.UniqueConstraint(fields=('country', 'bloc', 'since'), name='membership_unique_start')],
            },
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('is_org_admin', False), ('organisation__isnull', False), _connector='OR'), name='org_admin_needs_organisation'),
        ),
    ]
