"""Everything the members app plugs into the platform (imported once by ``core.registry.discover``).

Scoring metrics, reminder rules and statistics blocks are declared where they are defined
(``metrics.py``, ``reminder_rules.py``, ``statistics.py``) and registered by importing them here.
"""

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from mptt.signals import node_moved

from core import registry
from core.audit.registry import register_append_only_model, register_archive_rule, register_audited_app
from core.auth.roles import Role, grant_role_permissions
from members import metrics, points, quality, reminder_rules, rollups, statistics  # noqa: F401
from members.clerk import dashboard_panel
from members.demo import meetings as demo_meetings
from members.demo import points as demo_points
from members.demo import scale, scale_meetings, seed
from members.development import demo as development_demo
from members.development import reminders as development_reminders  # noqa: F401
from members.development import statistics as development_statistics  # noqa: F401
from members.dues import contributions as dues_contributions  # noqa: F401
from members.elections import demo as elections_demo
from members.elections import statistics as elections_statistics  # noqa: F401
from members.ledgers import sections as ledger_sections
from members.ledgers import views as ledger_views
from members.models import MemberStatus, PointsKind
from members.portal import demo as portal_demo
from members.transfers import reminder_rules as transfer_reminder_rules  # noqa: F401
from members.transfers import statistics as transfer_statistics  # noqa: F401
from members.transfers.demo import scale as transfer_scale
from members.transfers.demo import seed as transfer_seed
from members.volunteering import contributions as volunteering_contributions  # noqa: F401
from organizations.files import register_file_field
from organizations.models import Organization

registry.register_domain_app("members")

registry.register_cumulative_count(
    registry.CumulativeCount(
        attr="member_count",
        model="members.Member",
        path="branch",
        finer_path="group",  # a 楼栋党小组 counts its own members (Member.group)
        label=_("Member count"),
        filters={"status": MemberStatus.ACTIVE},
    )
)

# Organizational life: secretaries record and edit their branch's meetings.
registry.grant_role_permissions(
    "branch_secretary",
    *(
        f"members.{action}_{model}"
        for action in ("add", "change")
        for model in (
            "meeting",
            "attendance",
            "meetingresolution",
            "meetingguest",
            "meetingattachment",
            "calendartoken",
        )
    ),
)

registry.register_points_source(
    registry.PointsSource(PointsKind.ATTENDANCE, "members.Attendance", points.attendance_rows)
)

registry.feature_on_dashboard(
    "cards",
    **{
        "coverage.central_households": 15,
        "members.total": 20,
        "members.party_probationary": 21,
        "members.reported_in_service": 22,
        "members.floating_out": 23,
        "compliance.rate": 40,
    },
)
registry.feature_on_dashboard("breakdowns", **{"members.total": 20})
registry.feature_on_dashboard("columns", **{"members.total": 20})
registry.feature_on_dashboard("trends", **{"members.admitted_in_period": 10, "members.reported_in_period": 20})

registry.register_demo_seeder(seed.seed, order=200)
registry.register_demo_seeder(demo_meetings.seed, order=210)
# After every app's events (attendance, micro-wishes, requests) are in.
registry.register_demo_seeder(demo_points.seed, order=950)
registry.register_scale_generator(scale.generate, order=200)
registry.register_scale_generator(scale_meetings.generate, order=210)
registry.register_demo_seeder(development_demo.seed, order=220)
registry.register_scale_generator(development_demo.generate, order=220)
# Transfers and floating members after the members and their meetings (moves end positions).
registry.register_demo_seeder(transfer_seed.seed, order=230)
registry.register_scale_generator(transfer_scale.generate, order=230)
# 换届 and 民主评议 after the transfers (an election replaces the seeded committee's positions).
registry.register_demo_seeder(elections_demo.seed, order=250)

registry.register_default_schedule(
    registry.DefaultSchedule("每晚积分", "members.award_points", ("0", "2", "*", "*", "*"))
)
registry.register_default_schedule(
    registry.DefaultSchedule("介绍信过期", "members.expire_transfers", ("30", "1", "*", "*", "*"))
)

# --- what the audit trail covers, and role duties (core.audit.registry, core.auth.roles) ---

register_audited_app(
    "members",
    # Append-only logs that are themselves the trail: the points ledger (each entry names its
    # source and, for manual adjustments, its author and reason) and the personal-data access log;
    # and the maintained summaries, derived from writes that are audited themselves.
    not_audited=[
        "pointsentry",
        "sensitiveaccesslog",
        "attendancerollup",
        "memberlife",
        "duesrollup",
        "duesarrearsspan",
    ],
    # Meeting children are traced in the meeting's revision snapshots (and its own entry);
    # defaults by the migration that installed them. Later edits are audited.
    bulk_created=[
        "attendance",
        "meetingresolution",
        "meetingguest",
        "meetingattachment",
        "meetingrequirement",
        "pointsrule",
    ],
)
register_archive_rule("members.member", "status", lambda v: v not in ("active", None))
register_append_only_model("members.sensitiveaccesslog")
register_append_only_model("members.memberstatuschange")

# The system administrator's "configuration": meeting requirements and the points rules.
grant_role_permissions(
    Role.SYSTEM_ADMIN,
    *(
        f"members.{action}_{model}"
        for model in ("meetingrequirement", "pointsrule")
        for action in ("view", "add", "change")
    ),
)

# Meeting photos and attachments are served only to users who see the meeting (organizations.files).
register_file_field(
    "members.MeetingAttachment", "file", prefix="meetings/", name_field="original_name", type_field="content_type"
)

# Printable ledgers (台账): the sections of a branch's yearly ledger (dues add theirs the same way),
# the download button on a branch's admin page and the ZIP actions of the organization list.
registry.register_ledger_section(registry.LedgerSection("cover", _("Cover"), 0, ledger_sections.cover))
registry.register_ledger_section(
    registry.LedgerSection("meetings", _("Organizational life ledger"), 100, ledger_sections.meeting_ledger)
)
registry.register_ledger_section(
    registry.LedgerSection("roster", _("Party member roster"), 200, ledger_sections.roster)
)
registry.register_admin_object_tool(
    "organizations.organization",
    registry.AdminObjectTool(_("Ledger (PDF)"), ledger_views.ledger_url("pdf")),
)
registry.register_admin_object_tool(
    "organizations.organization",
    registry.AdminObjectTool(_("Ledger (Word)"), ledger_views.ledger_url("docx")),
)
registry.register_admin_action("organizations.organization", ledger_views.download_ledgers_pdf)
registry.register_admin_action("organizations.organization", ledger_views.download_ledgers_docx)
# 发展党员: secretaries record their branch's applicants and development steps (members.development).
registry.grant_role_permissions(
    "branch_secretary",
    *(f"members.{action}_{model}" for action in ("add", "change") for model in ("candidate", "candidatestep")),
)
# Events for webhook subscribers (members.events): ID number and phone masked unless the client
# may see them in full.
_MEMBER_PII = {"phone": "phone", "id_number": "id_number"}
for _name, _label in (
    ("member.created", _("Member created")),
    ("member.updated", _("Member updated")),
    ("member.transferred", _("Member transferred")),
):
    registry.register_event_type(
        _name, label=_label, masked=_MEMBER_PII, unmask_permission="members.view_sensitive_data"
    )
registry.register_event_type("meeting.recorded", label=_("Meeting recorded"))
# 民主评议党员: secretaries open their branch's yearly appraisal and record the grades.
registry.grant_role_permissions(
    "branch_secretary",
    *(f"members.{action}_{model}" for action in ("add", "change") for model in ("appraisalsession", "appraisalresult")),
)

# 党员端: secretaries issue member logins; the member portal's own tiles on its home page.
registry.grant_role_permissions("branch_secretary", "members.add_activationcode", "members.confirm_report")
for _order, (_label, _url) in enumerate(
    (
        (_("My organizational life"), "portal:life"),
        (_("My points"), "portal:points"),
        (_("My party dues"), "portal:dues"),
        (_("Report to my compound"), "portal:report"),
        (_("My check-ins"), "portal:checkins"),
    )
):
    registry.register_portal_link(registry.PortalLink(label=_label, url_name=_url, order=100 + _order))
# 党员端: a demo member login (the in-service member the projects demo also picks).
registry.register_demo_seeder(portal_demo.seed, order=260)
# 数据质量: missing member fields, overdue 转正, branches without a secretary; the 完整率.
quality.register()

# The 三会一课 落实情况 table on the dashboard (behind list of the node and period).
registry.register_dashboard_panel(registry.DashboardPanel("members.behind", 100, dashboard_panel.render_panel))

# --- maintained rollups (members.rollups): a tree move changes where a node's meetings credit ---

node_moved.connect(rollups.on_node_moved, sender=Organization, dispatch_uid="members_rollup_node_moved")
post_save.connect(rollups.on_organization_saved, sender=Organization, dispatch_uid="members_rollup_org_saved")
registry.register_scale_generator(rollups.rebuild_after_generation, order=9999)
registry.register_demo_seeder(rollups.rebuild_after_generation, order=9999)

# --- the secretary's phone tabs ---
registry.register_branch_tab(
    registry.BranchTab(pgettext_lazy("branch tab", "Reports to the compound"), "branch:reports", order=90)
)
