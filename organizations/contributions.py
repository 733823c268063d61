"""Everything the organizations app plugs into the platform (imported once by ``core.registry.discover``).

Scoring metrics and reminder rules are declared where they are defined (``metrics.py``,
``reminder_rules.py``, decorated) and registered by importing those modules here.
"""

from django.utils.translation import gettext_lazy as _

from core import registry
from core.audit.registry import (
    register_archive_rule,
    register_audited_app,
    register_organization_resolver,
    register_scope_filter,
)
from core.auth.roles import Role, grant_role_permissions, register_duty_permissions, restrict_to_explicit_grants
from organizations import statistics
from organizations.demo import notify as demo_notify
from organizations.demo import scale, seed
from organizations.quality import checks as quality_checks
from organizations.reminders import rules as reminder_rules  # noqa: F401
from organizations.scoring import demo as demo_scoring
from organizations.scoring import metrics  # noqa: F401
from organizations.selectors import NESTED_SET_FIELDS

registry.register_domain_app("organizations")

registry.register_cumulative_count(
    registry.CumulativeCount(
        attr="compound_count", model="organizations.Compound", path="community", label=_("Compounds")
    )
)
registry.register_cumulative_count(
    registry.CumulativeCount(
        attr="branch_count",
        model="organizations.Organization",
        path="",  # each compound branch is its own owner
        label=_("Branches"),
        filters={"kind": "compound_branch"},
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
registry.register_demo_seeder(demo_notify.seed, order=995)
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
    registry.DefaultSchedule("事件推送补发", "organizations.retry_due_webhooks", ("*/10", "*", "*", "*", "*")),
):
    registry.register_default_schedule(schedule)

# --- what the audit trail covers, and role duties (core.audit.registry, core.auth.roles) ---

register_audited_app(
    "organizations",
    # Set-based jobs write these (reproducible from the data); defaults come from migrations.
    bulk_created=[
        "reminder",
        "branchscore",
        "scoringrubric",
        "scoringitem",
        "scoringcriterion",
        "termlength",
        "webhookdelivery",
    ],
    # django-mptt's nested sets shift on every tree write: the change says nothing.
    ignored_fields={"organizations.organization": list(NESTED_SET_FIELDS)},
)
register_archive_rule("organizations.organization", "dissolved_on", lambda v: v is not None)


def _organization_itself(instance) -> int | None:
    from organizations.models import Organization

    return instance.pk if isinstance(instance, Organization) else None


def _entries_in_scope(queryset, user):
    """Audit entries of the nodes in the user's subtree (the one scope mechanism)."""
    from organizations.models import Organization

    return queryset.filter(organization_id__in=Organization.objects.for_user(user).values("pk"))


def _user_scope_node(instance) -> int | None:
    """Account changes belong to the user's scope node (so the scoped viewers see them)."""
    from django.contrib.auth import get_user_model

    if isinstance(instance, get_user_model()):
        scope = getattr(instance, "access_scope", None) if hasattr(instance, "access_scope") else None
        return scope.organization_id if scope is not None else None
    return None


register_organization_resolver(_organization_itself)
register_organization_resolver(_user_scope_node)
register_scope_filter(_entries_in_scope)

# Scopes and roles: handed out by the district and security administrators (and a street
# administrator within the street, see organizations.admin_accounts), never by self-promotion.
SCOPE_PERMISSIONS = (
    "organizations.view_accessscope",
    "organizations.add_accessscope",
    "organizations.change_accessscope",
)
restrict_to_explicit_grants("organizations.accessscope")
register_duty_permissions("security", "organizations.add_accessscope", "organizations.change_accessscope")
grant_role_permissions(Role.DISTRICT_ADMIN, *SCOPE_PERMISSIONS)
grant_role_permissions(Role.SECURITY_ADMIN, *SCOPE_PERMISSIONS, "organizations.view_organization")
grant_role_permissions(Role.STREET_STAFF, "organizations.view_accessscope")

# The system administrator's "configuration": the scoring rubric (no domain records).
grant_role_permissions(
    Role.SYSTEM_ADMIN,
    *(
        f"organizations.{action}_{model}"
        for model in ("scoringrubric", "scoringitem", "scoringcriterion")
        for action in ("view", "add", "change")
    ),
)

# Secretaries close the reminders of their branch (done / dismissed); read-only clients never.
registry.grant_role_permissions("branch_secretary", "organizations.change_reminder")

# Webhooks: a REST client registers its own (for its scope); the branch decides its notification
# routes. Delivery records are written by the worker only (read-only everywhere).
registry.grant_role_permissions(
    Role.API_CLIENT, "organizations.view_webhook", "organizations.add_webhook", "organizations.change_webhook"
)
registry.grant_role_permissions(
    Role.BRANCH_SECRETARY, "organizations.add_notificationroute", "organizations.change_notificationroute"
)
# Staff read the notification deliveries of their subtree (a platform model: explicit grant).
for _role in (Role.DISTRICT_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.BRANCH_SECRETARY):
    registry.grant_role_permissions(_role, "core.view_delivery")
registry.register_event_type("score.computed", label=_("Branch score computed"))

# 数据质量: the organizations app's own checks (the framework is ``organizations.quality``).
quality_checks.register()
