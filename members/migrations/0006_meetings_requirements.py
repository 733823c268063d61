"""Default meeting requirements (三会一课), editable in the admin. Idempotent.

DESIGN §3: 党员大会 quarterly, 支委会 monthly, 党小组会 monthly, 党课 quarterly, 主题党日 monthly,
组织生活会 and 民主评议 yearly. 兼合式 branches follow the Longyan rule (龙岩): 支委会 and 党小组会 at
least 4 a year each, 党员大会 and 党课 at least 1 a year each (the other kinds as usual).
"""

from django.db import migrations

BRANCH = "compound_branch"
DEFAULTS = [
    ("party_congress", 1, "quarter"),
    ("branch_committee", 1, "month"),
    ("group_meeting", 1, "month"),
    ("party_lecture", 1, "quarter"),
    ("theme_day", 1, "month"),
    ("life_meeting", 1, "year"),
    ("appraisal", 1, "year"),
]
LONGYAN = [
    ("branch_committee", 4, "year"),
    ("group_meeting", 4, "year"),
    ("party_congress", 1, "year"),
    ("party_lecture", 1, "year"),
]


def install(apps, schema_editor):
    Requirement = apps.get_model("members", "MeetingRequirement")
    for kind, count, period in DEFAULTS:
        Requirement.objects.get_or_create(
            organization_kind=BRANCH,
            formation="",
            meeting_kind=kind,
            defaults={"minimum_count": count, "period": period, "note": "《中国共产党支部工作条例（试行）》"},
        )
    for kind, count, period in LONGYAN:
        Requirement.objects.get_or_create(
            organization_kind=BRANCH,
            formation="integrated",
            meeting_kind=kind,
            defaults={"minimum_count": count, "period": period, "note": "兼合式党支部（龙岩做法）"},
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0005_default_points_rules")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
