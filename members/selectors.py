"""Reads of members: probation lists, branch structure checks, full-data access.

Everything here is set-based: a handful of aggregate queries for any number of branches.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy

from members import crypto
from members.models import (
    Member,
    MemberStatus,
    PartyStatus,
    Position,
)
from members.models.position import COMMITTEE_POSITIONS, PositionKind
from organizations.models import Organization, OrganizationKind

BRANCH_MIN_FULL = 3  # 支部工作条例 第四条
COMMITTEE_THRESHOLD = 7  # 支部工作条例 第九条: 7 full members or more → 支部委员会
COMMITTEE_MIN, COMMITTEE_USUAL_MAX, COMMITTEE_MAX = 3, 5, 7
BRANCH_SPLIT_THRESHOLD = 50


def active_members() -> QuerySet[Member]:
    return Member.objects.filter(status=MemberStatus.ACTIVE)


def probation_due_soon(
    queryset: QuerySet[Member], *, today: datetime.date, days: int | None = None
) -> QuerySet[Member]:
    """Probationary members whose 转正 is due within the 即将转正 window (today included)."""
    days = settings.PROBATION_DUE_SOON_DAYS if days is None else days
    return queryset.filter(
        status=MemberStatus.ACTIVE,
        party_status=PartyStatus.PROBATIONARY,
        probation_due_on__gte=today,
        probation_due_on__lte=today + datetime.timedelta(days=days),
    )


def probation_overdue(queryset: QuerySet[Member], *, today: datetime.date) -> QuerySet[Member]:
    """Probationary members whose due date has passed without 转正."""
    return queryset.filter(
        status=MemberStatus.ACTIVE, party_status=PartyStatus.PROBATIONARY, probation_due_on__lt=today
    )


def probation_state(member: Member, *, today: datetime.date) -> str:
    """``overdue`` / ``due`` / ``""`` for one loaded member (no query)."""
    if member.party_status != PartyStatus.PROBATIONARY or member.probation_due_on is None:
        return ""
    if member.probation_due_on < today:
        return "overdue"
    if member.probation_due_on <= today + datetime.timedelta(days=settings.PROBATION_DUE_SOON_DAYS):
        return "due"
    return ""


ARTICLE_4, ARTICLE_9, ARTICLE_10 = (
    gettext_lazy("Branch Work Regulations, Article 4"),
    gettext_lazy("Branch Work Regulations, Article 9"),
    gettext_lazy("Branch Work Regulations, Article 10"),
)
# code -> (message with its %-placeholders, the rule it cites)
STRUCTURE_RULES = {
    "too_few_full": (gettext_lazy("Only %(n)d full members; a branch needs at least 3."), ARTICLE_4),
    "committee_size": (
        gettext_lazy("%(full)d full members: a branch committee of 3 to 5 (at most 7) is needed; it has %(n)d."),
        ARTICLE_9,
    ),
    "committee_large": (gettext_lazy("The branch committee has %(n)d members; usually 3 to 5."), ARTICLE_9),
    "no_secretary": (gettext_lazy("The branch has no secretary."), ARTICLE_9),
    "too_many": (
        gettext_lazy("%(n)d members: more than 50, consider splitting the branch or forming a general branch."),
        ARTICLE_4,
    ),
    "group_without_leader": (gettext_lazy("The building group “%(name)s” has no leader."), ARTICLE_10),
}


@dataclass(frozen=True)
class StructureWarning:
    """One warning of the structure check: its code and the numbers or name it cites. The text is
    built when read (the statistics only count codes, for every branch of a district)."""

    code: str
    params: tuple = ()  # (name, value) pairs for the message

    @property
    def message(self) -> str:
        text = str(STRUCTURE_RULES[self.code][0])
        return text % dict(self.params) if self.params else text

    @property
    def rule(self) -> str:
        return str(STRUCTURE_RULES[self.code][1])

    def __str__(self) -> str:
        return f"{self.message}（{self.rule}）"


def _structure_codes(row: dict, com: dict) -> list[StructureWarning]:
    """The warnings of one branch's member counts (``row``) and committee (``com``)."""
    warnings: list[StructureWarning] = []
    if row["full"] < BRANCH_MIN_FULL:
        warnings.append(StructureWarning("too_few_full", (("n", row["full"]),)))
    if row["full"] >= COMMITTEE_THRESHOLD:
        if com["members"] < COMMITTEE_MIN or com["members"] > COMMITTEE_MAX:
            warnings.append(StructureWarning("committee_size", (("full", row["full"]), ("n", com["members"]))))
        elif com["members"] > COMMITTEE_USUAL_MAX:
            warnings.append(StructureWarning("committee_large", (("n", com["members"]),)))
    if com["secretaries"] == 0:
        warnings.append(StructureWarning("no_secretary"))
    if row["total"] > BRANCH_SPLIT_THRESHOLD:
        warnings.append(StructureWarning("too_many", (("n", row["total"]),)))
    return warnings


def branch_structure_warnings(
    branches: QuerySet[Organization], *, today: datetime.date
) -> dict[int, list[StructureWarning]]:
    """Structure check of every branch in ``branches`` per 《中国共产党支部工作条例（试行）》,
    as warnings (not blocks) citing the rule. Four aggregate queries whatever the number."""
    branches = branches.filter(kind=OrganizationKind.BRANCH)
    ids = list(branches.values_list("pk", flat=True))
    counts = {
        row["branch_id"]: row
        for row in active_members()
        .filter(branch_id__in=ids)
        .order_by()
        .values("branch_id")
        .annotate(total=Count("id"), full=Count("id", filter=Q(party_status=PartyStatus.FULL)))
    }
    current = Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    committee = {
        row["organization_id"]: row
        for row in Position.objects.filter(current, organization_id__in=ids, kind__in=COMMITTEE_POSITIONS)
        .order_by()
        .values("organization_id")
        .annotate(
            members=Count("member_id", distinct=True), secretaries=Count("id", filter=Q(kind=PositionKind.SECRETARY))
        )
    }
    leader = Position.objects.filter(current, organization_id=OuterRef("pk"), kind=PositionKind.GROUP_LEADER)
    leaderless: dict[int, list[str]] = {}
    for parent_id, name in (
        Organization.objects.filter(parent_id__in=ids, kind=OrganizationKind.GROUP, dissolved_on__isnull=True)
        .annotate(has_leader=Exists(leader))
        .filter(has_leader=False)
        .values_list("parent_id", "name")
    ):
        leaderless.setdefault(parent_id, []).append(name)

    no_counts, no_committee = {"total": 0, "full": 0}, {"members": 0, "secretaries": 0}
    return {
        branch_id: _structure_codes(counts.get(branch_id, no_counts), committee.get(branch_id, no_committee))
        + [StructureWarning("group_without_leader", (("name", name),)) for name in leaderless.get(branch_id, [])]
        for branch_id in ids
    }


def can_view_sensitive(user) -> bool:
    return bool(user and user.has_perm("members.view_sensitive_data"))


def full_pii(member: Member) -> dict[str, str]:
    """The decrypted ID number and phone (call only after ``log_sensitive_access``)."""
    return {"id_number": crypto.decrypt(member.id_number_encrypted), "phone": crypto.decrypt(member.phone_encrypted)}


def at_branch_or_groups(branch) -> Q:
    """Meetings (a Meeting filter) of the branch or of its building groups, through their ids:
    the index on the meeting's organization answers it, where an OR over the joined organization
    (``organization=branch | organization__parent=branch``) scans every meeting of the district."""
    nodes = Organization.objects.filter(Q(pk=branch.pk) | Q(parent_id=branch.pk)).values("pk")
    return Q(organization_id__in=nodes)
