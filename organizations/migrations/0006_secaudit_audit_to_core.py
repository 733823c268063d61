"""The audit trail, login throttles and task probes move to the platform app ``core``: the tables
stay as they are (``db_table`` keeps the old names); only the migration state moves, and the
content types follow so granted permissions keep working."""

from django.db import migrations

MOVED = ("auditentry", "loginthrottle", "taskprobe")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        # A fresh database has neither yet; one created by a post_migrate of core would clash.
        if ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="organizations", model=model).delete()
        else:
            ContentType.objects.filter(app_label="organizations", model=model).update(app_label="core")


def back_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model__in=MOVED).update(app_label="organizations")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_organization_term_ends_on"),
        ("core", "0001_secaudit_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="auditentry", name="organization"),
                migrations.RemoveField(model_name="auditentry", name="user"),
                migrations.DeleteModel(name="LoginThrottle"),
                migrations.DeleteModel(name="TaskProbe"),
                migrations.DeleteModel(name="AuditEntry"),
            ]
        ),
        migrations.RunPython(move_content_types, back_content_types),
    ]
