import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The tables were created by organizations 0004 (which runs first, see its run_before)
    # and keep their names: this only moves the models into this app's state.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LoginThrottle",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=200, unique=True, verbose_name="key")),
                        ("failures", models.PositiveIntegerField(default=0, verbose_name="failures")),
                        (
                            "last_failure_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="last failure at"),
                        ),
                        ("locked_until", models.DateTimeField(blank=True, null=True, verbose_name="locked until")),
                    ],
                    options={
                        "verbose_name": "login throttle",
                        "verbose_name_plural": "login throttles",
                        "db_table": "organizations_loginthrottle",
                    },
                ),
                migrations.CreateModel(
                    name="TaskProbe",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=100, unique=True, verbose_name="key")),
                        ("attempts", models.PositiveIntegerField(default=0, verbose_name="attempts")),
                        ("completions", models.PositiveIntegerField(default=0, verbose_name="completions")),
                        ("result", models.IntegerField(blank=True, null=True, verbose_name="result")),
                        ("completed_at", models.DateTimeField(blank=True, null=True, verbose_name="completed at")),
                    ],
                    options={
                        "verbose_name": "task probe",
                        "verbose_name_plural": "task probes",
                        "db_table": "organizations_taskprobe",
                    },
                ),
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
                        ),
                        ("username", models.CharField(blank=True, max_length=150, verbose_name="username")),
                        ("model", models.CharField(db_index=True, max_length=100, verbose_name="model")),
                        ("object_id", models.CharField(db_index=True, max_length=64, verbose_name="object id")),
                        ("object_repr", models.CharField(blank=True, max_length=200, verbose_name="object")),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("create", "Created"),
                                    ("update", "Updated"),
                                    ("archive", "Archived"),
                                    ("restore", "Restored"),
                                    ("delete", "Deleted"),
                                ],
                                max_length=8,
                                verbose_name="action",
                            ),
                        ),
                        (
                            "changes",
                            models.JSONField(
                                blank=True,
                                default=dict,
                                encoder=django.core.serializers.json.DjangoJSONEncoder,
                                verbose_name="changes",
                            ),
                        ),
                        (
                            "organization_id",
                            models.BigIntegerField(blank=True, db_index=True, null=True, verbose_name="organization"),
                        ),
                        (
                            "remote_addr",
                            models.GenericIPAddressField(blank=True, null=True, verbose_name="remote address"),
                        ),
                        ("request_id", models.CharField(blank=True, max_length=64, verbose_name="request id")),
                        (
                            "source",
                            models.CharField(
                                blank=True, help_text="web, api, task or command", max_length=40, verbose_name="source"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit trail",
                        "db_table": "organizations_auditentry",
                        "ordering": ("-at", "-id"),
                        "indexes": [models.Index(fields=["model", "object_id", "at"], name="audit_object_at")],
                    },
                ),
            ]
        ),
    ]
