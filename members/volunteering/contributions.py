"""What the volunteering package plugs in (imported from ``members.contributions``)."""

from core import registry
from core.audit.registry import register_audited_app
from members.models import PointsKind
from members.volunteering import demo, metrics, services, statistics  # noqa: F401

# 时间银行: a confirmed service record of a member earns the service-hours points.
registry.register_points_source(
    registry.PointsSource(PointsKind.SERVICE_HOURS, "members.ServiceRecord", services.service_rows)
)

# 设岗定责: the secretary keeps the branch's posts, holders and resident volunteers, records
# service hours and confirms them (confirming is a change of the record).
registry.grant_role_permissions(
    "branch_secretary",
    *(
        f"members.{action}_{model}"
        for action in ("add", "change")
        for model in ("volunteerpost", "postholder", "volunteer", "servicerecord")
    ),
)

registry.feature_on_dashboard("cards", **{"volunteering.service_hours": 65})

# After the members and their positions (the central household, the building head), before points.
registry.register_demo_seeder(demo.seed, order=245)
registry.register_scale_generator(demo.generate, order=245)

# Scale data bulk-inserts posts, holders and confirmed records (later edits are audited).
register_audited_app("members", bulk_created=["volunteerpost", "postholder", "servicerecord"])
