"""Demo data of the member portal: one member of 九龙花园 with a login (the demo password), the
same in-service member the projects demo gives a claimed wish and a dispatched request, and
a check-in at the branch's latest meeting waiting for the secretary."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.registry import DemoContext
from members.models import Attendance, CheckIn, Member, MemberAccount
from members.portal import accounts, checkin

DEMO_USERNAME = "jiulong_member"


def seed(ctx: DemoContext) -> None:
    from organizations.demo.seed import DEMO_PASSWORD

    branch = ctx.orgs.get("NA-NP-GLW-JL")
    if branch is None:
        return
    member = (
        Member.objects.filter(branch=branch, occupation_status="in_service", status="active").order_by("id").first()
    )
    if member is None or MemberAccount.objects.filter(member=member).exists():
        if member is not None:
            ctx.logins.append(("党员（党员端 /me/）", DEMO_USERNAME, f"{member.name} · {branch.name}"))
        return
    _row, code = accounts.activation_issue(member=member, actor=None, username=DEMO_USERNAME)
    accounts.account_activate(code=code, password=DEMO_PASSWORD)
    ctx.write(f"  党员端：{member.name} 的账号 {DEMO_USERNAME} 已开通")
    ctx.logins.append(("党员（党员端 /me/）", DEMO_USERNAME, f"{member.name} · {branch.name}"))
    _pending_check_in(branch)


def _pending_check_in(branch) -> None:
    """A member absent from the branch's latest meeting scanned its code: the secretary sees one
    check-in to confirm on the meeting's QR page."""
    if CheckIn.objects.filter(meeting__organization=branch).exists():
        return
    for attendance in (
        Attendance.objects.filter(meeting__organization=branch, meeting__archived=False)
        .exclude(status="present")
        .select_related("meeting", "member")
        .order_by("-meeting__held_at", "member_id")[:10]
    ):
        meeting = attendance.meeting
        try:
            checkin.checkin_scan(member=attendance.member, meeting_id=meeting.pk, token=checkin.checkin_token(meeting))
        except ValidationError:
            continue  # no longer on that meeting's list
        return
