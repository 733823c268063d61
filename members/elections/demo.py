"""Demo 换届 and 民主评议党员 of 南岸区 (``seed_demo``), through the services: two terms for the
branch with a full committee and for 九龙花园's (a secretary only; 古楼湾社区's staff see an
election), the seeded committee replaced by the recorded elections, and
last year's appraisal with results for two branches. Idempotent: a branch with a recorded
election, or a session of that year, is left alone."""

from __future__ import annotations

import datetime

from core.registry import DemoContext
from members.appraisal import services as appraisal_services
from members.elections.services import CandidateInput, election_record
from members.models import (
    AppraisalGrade,
    AppraisalSession,
    Election,
    ElectionMethod,
    Member,
    PartyStatus,
    Position,
)
from members.models.position import COMMITTEE_POSITIONS

COMMITTEE_BRANCHES = ("NA-HYL-JH-HC", "NA-NP-GLW-JL")
APPRAISAL_BRANCHES = ("NA-HYL-JH-HC", "NA-NP-GLW-JL")


def seed(ctx: DemoContext) -> None:
    for code in COMMITTEE_BRANCHES:
        branch = ctx.orgs.get(code)
        if branch is not None and not Election.objects.filter(organization=branch).exists():
            _elections(branch, ctx.today)
    for code in APPRAISAL_BRANCHES:
        branch = ctx.orgs.get(code)
        if branch is not None and not AppraisalSession.objects.filter(organization=branch).exists():
            _appraisal(branch, ctx.today)
    ctx.write("  换届选举与民主评议党员示例数据已生成")


def _eligible(branch):
    return list(
        Member.objects.active()
        .filter(branch=branch, party_status=PartyStatus.FULL, floating_status="", lost_contact=False)
        .order_by("id")
    )


def _slate(members, holders, present):
    """The holders elected to their posts, two more candidates not elected (差额)."""
    others = [m for m in members if m.pk not in {h.pk for h, _post in holders}][:2]
    slate = [CandidateInput(m, votes=present - i, post=post) for i, (m, post) in enumerate(holders)]
    slate += [CandidateInput(m, votes=present // 3 + i) for i, m in enumerate(others)]
    return slate


def _elections(branch, today: datetime.date) -> None:
    members = _eligible(branch)
    current = Position.objects.filter(organization=branch, kind__in=COMMITTEE_POSITIONS, ended_on__isnull=True)
    holders = [(p.member, p.kind) for p in current.select_related("member").order_by("started_on", "id")]
    holders = [(m, kind) for m, kind in holders if m in members]
    if not holders or len(members) < len(holders) + 2:
        return
    started = min(p.started_on for p in current)
    entitled = len(members) + 2
    # The first recorded term follows the seeded committee; the second is this year's 换届,
    # where the secretary and the organization member swap posts.
    first = started + datetime.timedelta(days=7)
    second = today - datetime.timedelta(days=45)
    if second <= first:
        return
    for number, held_on, people in ((1, first, holders), (2, second, _swap(holders))):
        present = entitled - number
        election_record(
            organization=branch,
            term_number=number,
            held_on=held_on,
            method=ElectionMethod.COMPETITIVE,
            seats=len(people),
            voters_entitled=entitled,
            voters_present=present,
            candidates=_slate(members, people, present),
            approved_on=min(held_on + datetime.timedelta(days=10), today),
        )


def _swap(holders):
    if len(holders) < 3:
        return holders
    (m0, k0), (m1, k1), (m2, k2), *rest = holders
    return [(m0, k0), (m2, k1), (m1, k2), *rest]


def _appraisal(branch, today: datetime.date) -> None:
    # Last year's appraisal; demo members registered today were not in the branch last year
    # (the service refuses them), so the demo then shows this year's.
    for year, held_on in ((today.year - 1, datetime.date(today.year - 1, 12, 20)), (today.year, today)):  # noqa: B007 - used after the loop
        members = [m for m in _eligible(branch) if m.branch_joined_on is None or m.branch_joined_on.year <= year]
        if members:
            break
    else:
        return
    session = appraisal_services.appraisal_session_create(organization=branch, year=year, held_on=held_on)
    for i, member in enumerate(members):
        grade = AppraisalGrade.EXCELLENT if i % 5 == 0 else AppraisalGrade.QUALIFIED
        if i == len(members) - 1 and len(members) > 4:
            grade = AppraisalGrade.BASIC
        appraisal_services.appraisal_result_set(session=session, member=member, grade=grade)
