"""Default points rules (积分规则), editable in the admin. Idempotent."""

from django.db import migrations

RULES = [
    ("attendance", 2, "参加组织生活（出席）"),
    ("micro_wish", 5, "认领并兑现微心愿"),
    ("service_hours", 1, "志愿服务（每次）"),
    ("request_resolved", 3, "办结群众诉求"),
    ("manual", 0, "人工调整（按填写分值）"),
]


def install(apps, schema_editor):
    Rule = apps.get_model("members", "PointsRule")
    for kind, points, description in RULES:
        Rule.objects.get_or_create(kind=kind, defaults={"points": points, "description": description})


class Migration(migrations.Migration):
    dependencies = [("members", "0004_points")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
