"""Everything the organizations app plugs into the platform (imported once by ``core.registry.discover``).

Scoring metrics and reminder rules are declared where they are defined (``metrics.py``,
``reminder_rules.py``, decorated) and registered by importing those modules here.
"""

from django.utils.translation import gettext_lazy as _

from core import registry
from organizations import statistics
from organizations.demo import scale, seed
from organizations.reminders import rules as reminder_rules  # noqa: F401
from organizations.scoring import demo as demo_scoring
from organizations.scoring import metrics  # noqa: F401

registry.register_domain_app(
    "organizations",
    # Machinery, not domain records.
    not_audited=("organizations.auditentry", "organizations.loginthrottle", "organizations.taskprobe"),
    # Computed by the jobs (reproducible from the data) or installed by migrations.
    bulk_created=(
        "organizations.reminder",
        "organizations.branchscore",
        "organizations.scoringrubric",
        "organizations.scoringitem",
        "organizations.scoringcriterion",
    ),
)
registry.register_archive_rule("organizations.organization", "dissolved_on", lambda v: v is not None)

registry.register_cumulative_count(
    registry.CumulativeCount(
        attr="compound_count", model="organizations.Compound", path="community", label=_("Compounds")
    )
)

# Statistics blocks: coverage, venues, scores (and the compounds trend).
statistics.register_builtin_blocks()

registry.feature_on_dashboard(
    "cards",
    **{
        "coverage.compounds": 10,
        "coverage.compounds_with_branch": 11,
        "coverage.coverage_rate": 12,
        "coverage.branches": 13,
        "coverage.building_groups": 14,
        "venues.six_standards_rate": 30,
        "scores.average": 70,
    },
)
registry.feature_on_dashboard("breakdowns", **{"coverage": 10, "venues.six_standards_rate": 30})
registry.feature_on_dashboard(
    "columns",
    **{
        "coverage.compounds": 10,
        "coverage.coverage_rate": 11,
        "coverage.branches": 12,
        "venues.six_standards_rate": 30,
    },
)

# Demo data: the tree and places first; scoring once every app's data is in; reminders last.
registry.register_demo_seeder(seed.seed, order=100)
registry.register_demo_seeder(demo_scoring.seed, order=900)
registry.register_demo_seeder(demo_scoring.seed_reminders, order=990)
registry.register_scale_generator(scale.generate, order=100)

for schedule in (
    registry.DefaultSchedule("每晚提醒", "organizations.run_reminders", ("30", "1", "*", "*", "*")),
    registry.DefaultSchedule(
        "月度评分", "organizations.score_previous_period", ("0", "3", "1", "*", "*"), {"kind": "month"}
    ),
    registry.DefaultSchedule(
        "季度评分", "organizations.score_previous_period", ("30", "3", "1", "1,4,7,10", "*"), {"kind": "quarter"}
    ),
    registry.DefaultSchedule(
        "年度评分", "organizations.score_previous_period", ("0", "4", "2", "1", "*"), {"kind": "year"}
    ),
    registry.DefaultSchedule("每周组织树检查", "organizations.check_org_tree", ("0", "5", "*", "*", "1")),
):
    registry.register_default_schedule(schedule)
