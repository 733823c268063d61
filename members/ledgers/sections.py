"""The sections this app contributes to a branch's ledger: cover, 组织生活台账, 党员名册."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from core.documents import Heading, Image, Images, Paragraph, Table
from members import compliance, personal_data
from members.fields import BY_KEY
from members.models import Attendance, AttendanceStatus, Meeting, MeetingAttachment, Member, SensitiveAccessAction
from members.roster.export import RENDER
from members.selectors import at_branch_or_groups, can_view_sensitive
from organizations.models import BranchScore, Organization

logger = logging.getLogger(__name__)

# Photos printed per meeting (the rest stay in the system) and the largest one read.
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 5 * 1024 * 1024

# The roster's printed columns (an A4 page cannot carry every field; the xlsx export does).
ROSTER_KEYS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "party_status",
    "admitted_on",
    "group",
    "compound",
    "occupation_status",
    "reported_on",
    "status",
)


@dataclass
class LedgerContext:
    """One ledger being built: the branch, the year, the user it is built for (everything is read
    through their scope) and whether they may see personal data in full."""

    branch: Organization
    year: int
    user: object
    unmask: bool = False
    channel: str = "admin"  # where an unmasked roster is logged as read (AccessChannel)
    figures: dict = field(default_factory=dict)

    @classmethod
    def for_user(cls, branch, year, user, *, channel: str = "admin") -> LedgerContext:
        return cls(branch=branch, year=year, user=user, unmask=can_view_sensitive(user), channel=channel)


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def ledger_members(ctx: LedgerContext):
    """The branch's active members the viewer may see, in the roster's order."""
    return (
        Member.objects.for_user(ctx.user)
        .active()
        .filter(branch=ctx.branch)
        .select_related("branch", "group", "home_organization", "compound", "building")
        .order_by("group__name", "name", "id")
    )


def _meetings(ctx: LedgerContext) -> list[Meeting]:
    """The year's meetings of the branch and of its building groups, oldest first."""
    attendances = Attendance.objects.select_related("member").order_by("member__name", "member_id")
    photos = MeetingAttachment.objects.filter(content_type__startswith="image/")
    return list(
        Meeting.objects.for_user(ctx.user)
        .filter(at_branch_or_groups(ctx.branch), archived=False)
        .filter(held_at__year=ctx.year)
        .select_related("organization", "host", "recorder")
        .prefetch_related(
            Prefetch("attendances", queryset=attendances),
            "resolutions",
            "guests",
            Prefetch("attachments", queryset=photos, to_attr="photos"),
        )
        .order_by("held_at", "id")
    )


# --- cover ------------------------------------------------------------------------------------


def cover(ctx: LedgerContext) -> list:
    """The branch's figures: members, 三会一课 compliance per requirement, the year's score."""
    branch = ctx.branch
    members = ledger_members(ctx)
    total = members.count()
    probationary = members.filter(party_status="probationary").count()
    blocks = [
        Paragraph(branch.name, label="党组织名称："),
        Paragraph(f"{ctx.year}年度", label="台账年度："),
        Paragraph(f"{total} 名（其中预备党员 {probationary} 名）", label="党员人数："),
        Paragraph(_date(timezone.localdate()), label="打印日期："),
    ]
    window = compliance.year_window(ctx.year)
    report = compliance.compliance_for_branch(branch, window, today=min(timezone.localdate(), window.end))
    rows = [
        [str(k.label), f"每{_period_label(k.period)}至少 {k.minimum} 次", str(k.held), str(k.required), str(k.gap)]
        for k in report.kinds
    ]
    blocks.append(Heading("三会一课落实情况", level=2))
    blocks.append(Table(["会议类型", "要求", "已开", "应开", "差额"], rows, widths=[3, 3, 1, 1, 1]))
    score = BranchScore.objects.filter(branch=branch, period=str(ctx.year)).order_by("-computed_at", "-id").first()
    if score is not None:
        blocks.append(Heading("标准化规范化评分", level=2))
        blocks.append(Paragraph(f"{score.total} 分（满分 {score.max_total} 分）", label=f"{ctx.year}年度得分："))
    ctx.figures.update(members=total, compliant=report.compliant)
    return blocks


def _period_label(period: str) -> str:
    return {"month": "月", "quarter": "季度", "year": "年"}.get(str(period), str(period))


# --- 组织生活台账 -----------------------------------------------------------------------------


def _names(attendances, status) -> str:
    return "、".join(a.member.name for a in attendances if a.status == status) or "无"


def _excused(attendances) -> str:
    rows = [f"{a.member.name}（{a.reason}）" if a.reason else a.member.name for a in attendances]
    return "、".join(rows) or "无"


def _photo(attachment) -> Image | None:
    if attachment.size and attachment.size > MAX_PHOTO_BYTES:
        return None
    try:
        with attachment.file.open("rb") as fh:
            data = fh.read()
    except OSError:  # a file missing from storage leaves the photo out, not the ledger
        logger.warning("ledger: photo %s missing from storage", attachment.pk)
        return None
    return Image(data=data, content_type=attachment.content_type, caption=attachment.original_name)


def _meeting_blocks(meeting: Meeting) -> list:
    held = timezone.localtime(meeting.held_at)
    attendances = list(meeting.attendances.all())
    present = [a for a in attendances if a.status == AttendanceStatus.PRESENT]
    excused = [a for a in attendances if a.status == AttendanceStatus.EXCUSED]
    blocks = [
        Heading(f"{_date(held)} {meeting.get_kind_display()}：{meeting.topic}", level=3),
        Table(
            ["项目", "内容"],
            [
                ["会议时间", f"{_date(held)} {held:%H:%M}"],
                ["会议类型", meeting.get_kind_display()],
                ["召开组织", meeting.organization.name],
                ["会议地点", meeting.place or "—"],
                ["主持人", meeting.host.name if meeting.host else "—"],
                ["记录人", meeting.recorder.name if meeting.recorder else "—"],
                *([["授课人", meeting.lecturer]] if meeting.lecturer else []),
                ["会议主题", meeting.topic],
                ["应到 / 实到", f"{len(attendances)} 人 / {len(present)} 人"],
                ["出席", _names(attendances, AttendanceStatus.PRESENT)],
                ["请假（事由）", _excused(excused)],
                ["缺席", _names(attendances, AttendanceStatus.ABSENT)],
                *([["列席", "、".join(str(g) for g in meeting.guests.all())]] if meeting.guests.all() else []),
            ],
            widths=[1, 4],
        ),
    ]
    if meeting.agenda:
        blocks.append(Paragraph(meeting.agenda, label="议程："))
    blocks.append(Paragraph(meeting.minutes or "（未填写）", label="会议记录："))
    resolutions = list(meeting.resolutions.all())
    if resolutions:
        blocks.append(
            Table(
                ["决议事项", "赞成", "反对", "弃权", "结果"],
                [
                    [
                        r.text,
                        str(r.votes_for),
                        str(r.votes_against),
                        str(r.votes_abstain),
                        "通过" if r.passed else "未通过",
                    ]
                    for r in resolutions
                ],
                widths=[5, 1, 1, 1, 1],
            )
        )
    photos = [p for p in (_photo(a) for a in meeting.photos[:MAX_PHOTOS]) if p is not None]
    if photos:
        blocks.append(Images(photos))
    return blocks


def meeting_ledger(ctx: LedgerContext) -> list:
    """组织生活台账: every meeting of the year, oldest first, with a summary table first."""
    meetings = _meetings(ctx)
    if not meetings:
        return [Paragraph(f"{ctx.year}年度无组织生活记录。")]
    summary = [
        [str(i), _date(timezone.localtime(m.held_at)), m.get_kind_display(), m.topic, str(len(m.attendances.all()))]
        for i, m in enumerate(meetings, 1)
    ]
    blocks = [Table(["序号", "日期", "会议类型", "主题", "应到"], summary, widths=[1, 2, 2, 5, 1])]
    for meeting in meetings:
        blocks.extend(_meeting_blocks(meeting))
    return blocks


# --- 党员名册 ---------------------------------------------------------------------------------


def ledger_cell(member: Member, key: str, ctx: LedgerContext) -> str:
    """One roster cell as the viewer may see it (personal data masked unless ``ctx.unmask``)."""
    spec = BY_KEY[key]
    if key == "birth_date":
        shown = personal_data.shown_birth_date(member, user=ctx.user)
        return shown["birth_date"] or (f"{shown['birth_year']}年" if shown["birth_year"] else "")
    render = RENDER.get(spec.kind)
    if render is not None:
        value = render(member, spec, ctx.unmask)
    elif spec.choices:
        value = spec.export_value(getattr(member, key))
    else:
        value = getattr(member, key)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return "" if value is None else str(value)


def roster(ctx: LedgerContext) -> list:
    """党员名册: the branch's active members with the spec's columns, ID numbers and phones
    masked unless the viewer may unmask (then the access is logged as an export)."""
    members = list(ledger_members(ctx))
    if ctx.unmask and members:
        from members.services import log_sensitive_access

        log_sensitive_access(
            user=ctx.user, member_ids=[m.pk for m in members], action=SensitiveAccessAction.EXPORT, channel=ctx.channel
        )
    headers = ["序号"] + [BY_KEY[k].header for k in ROSTER_KEYS]
    rows = [[str(i)] + [ledger_cell(m, k, ctx) for k in ROSTER_KEYS] for i, m in enumerate(members, 1)]
    note = "身份证号、手机号、出生日期已按查看人权限脱敏。" if not ctx.unmask else "本名册含完整个人信息，请妥善保管。"
    widths = [0.8, 1.6, 0.8, 1.4, 3, 2, 1.4, 1.6, 2, 2, 1.4, 1.6, 1]
    return [Table(headers, rows, widths=widths, landscape=True), Paragraph(note)]
