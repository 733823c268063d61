"""Everything the projects app plugs into the platform (imported once by ``core.registry.discover``).

Scoring metrics, reminder rules and the statistics block are declared where they are defined
(``metrics.py``, ``reminder_rules.py``, ``statistics.py``) and registered by importing them here.
"""

from django.utils.translation import gettext_lazy as _

from core import registry
from core.audit.registry import register_archive_rule, register_audited_app
from members.models import PointsKind
from organizations.files import register_file_field
from projects import metrics, points, quality, reminder_rules, statistics  # noqa: F401
from projects.demo import residents as resident_demo
from projects.demo import scale, seed

registry.register_domain_app("projects")

# 支部派单: the branch secretary takes, triages and dispatches residents' requests and records
# the branch's activities and micro-wishes.
registry.grant_role_permissions(
    "branch_secretary",
    "projects.add_residentrequest",
    "projects.change_residentrequest",
    "projects.add_activity",
    "projects.change_activity",
    "projects.add_microwish",
    "projects.change_microwish",
)

# 积分: a fulfilled micro-wish and a resolved request earn points.
registry.register_points_source(
    registry.PointsSource(PointsKind.MICRO_WISH, "projects.MicroWish", points.micro_wish_rows)
)
registry.register_points_source(
    registry.PointsSource(PointsKind.REQUEST_RESOLVED, "projects.ResidentRequest", points.request_rows)
)

registry.feature_on_dashboard("cards", **{"service.on_time_rate": 60})

registry.register_demo_seeder(seed.seed, order=400)
registry.register_demo_seeder(resident_demo.seed, order=410)
registry.register_scale_generator(scale.generate, order=400)

# --- what the audit trail covers, and role duties (core.audit.registry, core.auth.roles) ---

register_audited_app("projects")
register_archive_rule("projects.project", "status", lambda v: v == "cancelled")

# Photos are served only to users who see the project or the micro-wish (organizations.files).
register_file_field("projects.ProgressUpdate", "photo", prefix="projects/progress/")
register_file_field("projects.MicroWish", "fulfilment_photo", prefix="projects/wishes/")
register_file_field("projects.ResidentRequest", "photo", prefix="projects/requests/")

# Events for webhook subscribers (projects.services.events): the resident's name is masked
# unless the client may see personal data in full.
registry.register_event_type(
    "request.status_changed",
    label=_("Resident request status changed"),
    masked={"resident_name": "name"},
    unmask_permission="members.view_sensitive_data",
)

# 党员端: the member's micro-wishes and dispatched requests on the portal home.
registry.register_portal_link(
    registry.PortalLink(label=_("Micro-wishes in my compound"), url_name="portal_projects:wishes", order=400)
)
registry.register_portal_link(
    registry.PortalLink(label=_("Requests dispatched to me"), url_name="portal_projects:requests", order=410)
)
# 数据质量: expired joint-build agreements.
quality.register()
# The secretary's phone pages for residents' requests and micro-wishes (projects.pages).
registry.register_branch_tab(registry.BranchTab(_("Requests"), "branch_requests:requests", order=100))
registry.register_branch_tab(registry.BranchTab(_("Micro-wishes"), "branch_requests:wishes", order=110))
