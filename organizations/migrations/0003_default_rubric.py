"""Install the default scoring rubric (DESIGN §6): 7 items, 15 criteria, 100 points.

Idempotent: nothing happens when a rubric with the same ``valid_from`` exists already.
Ratio metrics without thresholds score proportionally (share × maximum points).
"""

import datetime

from django.db import migrations

VALID_FROM = datetime.date(2020, 1, 1)

# (item, [(code, name, max points, metric or "" for manual, thresholds)])
DEFAULT_RUBRIC = [
    (
        "组织建设",
        [
            ("branch_formed", "支部按规定组建（正式党员不少于3名）", 4, "organizations.full_members", [[3, 4]]),
            ("committee_complete", "支部委员会按《支部工作条例》配备齐全", 8, "members.committee_complete", []),
            ("groups_cover_buildings", "楼栋党小组覆盖全部楼栋", 4, "organizations.building_group_coverage", []),
        ],
    ),
    (
        "阵地建设",
        [
            (
                "venue_six",
                "党群服务阵地达到“六有”标准",
                10,
                "organizations.venue_six_standards",
                [[6, 10], [5, 8], [4, 6], [3, 4], [1, 2]],
            ),
        ],
    ),
    (
        "组织生活",
        [
            ("three_meetings", "“三会一课”按要求开展", 14, "members.three_meetings_one_lecture", []),
            ("theme_day", "每月开展主题党日", 10, "members.theme_day_monthly", []),
        ],
    ),
    (
        "党员管理",
        [
            ("in_service_reported", "在职党员回小区报到", 5, "members.in_service_reported", []),
            ("floating_followed", "流动党员、失联党员去向明确、跟踪管理", 5, "members.floating_followed", []),
            ("appraisal", "年度民主评议党员", 4, "", []),
        ],
    ),
    (
        "引领治理",
        [
            (
                "owners_committee_party_share",
                "成立业委会（物管会）且党员占比不低于50%",
                8,
                "committees.party_seat_share",
                [[0.5, 8], [0.3, 5], [0.0001, 3], [0, 2]],
            ),
            ("joint_meetings", "定期召开三方联席会议", 6, "committees.joint_meetings", [[3, 6], [2, 4], [1, 2]]),
        ],
    ),
    (
        "服务群众",
        [
            ("requests_on_time", "群众诉求按期办结", 6, "projects.requests_resolved_on_time", []),
            ("micro_wishes", "微心愿认领兑现", 5, "projects.micro_wishes_fulfilled", []),
        ],
    ),
    (
        "共建共享",
        [
            ("agreements_in_force", "签订并履行共建协议", 5, "projects.agreements_in_force", [[2, 5], [1, 3]]),
            ("projects_completed", "共建项目按期完成", 6, "projects.projects_completed", [[2, 6], [1, 4]]),
        ],
    ),
]


def install(apps, schema_editor):
    Rubric = apps.get_model("organizations", "ScoringRubric")
    Item = apps.get_model("organizations", "ScoringItem")
    Criterion = apps.get_model("organizations", "ScoringCriterion")
    if Rubric.objects.filter(valid_from=VALID_FROM).exists():
        return
    rubric = Rubric.objects.create(
        name="小区党支部标准化规范化建设评分细则",
        valid_from=VALID_FROM,
        star_thresholds=[50, 60, 70, 80, 90],
        description="7项15条，满分100分；由数据计算，无法计算的由工作人员录入。",
    )
    for item_order, (item_name, criteria) in enumerate(DEFAULT_RUBRIC, start=1):
        item = Item.objects.create(rubric=rubric, order=item_order, name=item_name)
        for order, (code, name, points, metric, thresholds) in enumerate(criteria, start=1):
            Criterion.objects.create(
                item=item,
                order=order,
                code=code,
                name=name,
                max_points=points,
                method="metric" if metric else "manual",
                metric=metric,
                thresholds=thresholds,
            )


def uninstall(apps, schema_editor):
    apps.get_model("organizations", "ScoringRubric").objects.filter(valid_from=VALID_FROM, scores__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_scoring_reminders")]

    operations = [migrations.RunPython(install, uninstall)]
