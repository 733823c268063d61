"""Scale data of joint building and service: partners, agreements, the three lists, projects
with funding, activities, micro-wishes and resident requests at city scale (the seed's city
reported 890 agreements, 4,491 activities, 2,770 projects launched and 2,533 completed).

Reads ``ctx.data``: ``community_ids``, ``branch_ids``, ``compound_ids`` (and the in-service
members of those branches from the database, when the members generator made any).
Leaves: ``partner_ids``, ``project_ids``, ``request_count``, ``wish_ids``.
Dates fall in the 365 days up to ``ctx.today`` so the yearly figures are city-sized.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from core.registry import ScaleContext
from members.models import Member
from organizations.models import Compound
from projects.models import (
    Activity,
    ActivityKind,
    Agreement,
    Category,
    Funding,
    FundingSource,
    MicroWish,
    Need,
    PartnerKind,
    PartnerUnit,
    Project,
    Resource,
)
from projects.models.service import ResidentRequest

BATCH = 5000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
UNIT_WORDS = (
    "人民医院",
    "供电公司",
    "燃气公司",
    "税务所",
    "中学",
    "银行支行",
    "律师事务所",
    "志愿者协会",
    "商会",
    "派出所",
)


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _project(rng, i, compounds, categories, needs, today, ago) -> Project:
    """Project ``i``: mostly completed, its dates following its status."""
    compound_id, community_id, branch_id = rng.choice(compounds)
    status = rng.choices(["completed", "in_progress", "approved", "proposed", "cancelled"], [90, 7, 1, 1, 1])[0]
    proposed = ago(120, 365)
    p = Project(
        title=f"共建项目{i + 1}",
        organization_id=branch_id or community_id,
        compound_id=compound_id,
        category=rng.choice(categories),
        status=status,
        budget=Decimal(rng.randint(10, 500) * 100),
        beneficiaries=rng.randint(20, 800),
        volunteers=rng.randint(0, 30),
        proposed_on=proposed,
        need=rng.choice(needs) if rng.random() < 0.5 else None,
    )
    if status in ("approved", "in_progress", "completed"):
        p.approved_on = proposed + datetime.timedelta(days=rng.randint(1, 20))
    if status in ("in_progress", "completed"):
        p.started_on = p.approved_on + datetime.timedelta(days=rng.randint(1, 20))
    if status == "completed":
        p.completed_on = min(today, p.started_on + datetime.timedelta(days=rng.randint(5, 80)))
    if status == "cancelled":
        p.cancelled_on, p.cancel_reason = proposed + datetime.timedelta(days=10), "资金不足"
    return p


def _wish(rng, i, compounds, members_by_branch, today, ago) -> MicroWish:
    """Micro-wish ``i``: most claimed by an in-service member of the branch, most of those fulfilled."""
    compound_id, community_id, branch_id = rng.choice(compounds)
    published = ago(0, 364)
    w = MicroWish(
        community_id=community_id,
        compound_id=compound_id,
        resident_name=_name(rng),
        content=f"微心愿{i + 1}",
        published_on=published,
    )
    claimers = members_by_branch.get(branch_id)
    if claimers and rng.random() < 0.8:
        w.status, w.claimed_by_id = "claimed", rng.choice(claimers)
        w.claimed_at = _moment(published + datetime.timedelta(days=1))
        if rng.random() < 0.8 and published + datetime.timedelta(days=5) <= today:
            w.status, w.fulfilled_at = "fulfilled", _moment(published + datetime.timedelta(days=5))
            w.fulfilment_note = "已兑现"
    return w


def _request(rng, i, compounds, categories, members_by_branch, today, ago) -> ResidentRequest:
    """Request ``i`` at a stage of 点单 → 派单 → 办结 → 评价; the last 12 days' are not resolved yet."""
    compound_id, community_id, branch_id = rng.choice(compounds)
    received = ago(0, 364)
    dispute = rng.random() < 0.05
    r = ResidentRequest(
        compound_id=compound_id,
        kind="dispute" if dispute else "request",
        category=rng.choice(categories),
        description=f"群众诉求{i + 1}",
        resident_name=_name(rng),
        received_on=received,
        dispute_level=rng.choice(("general", "serious")) if dispute else "",
    )
    stage = rng.choices(["submitted", "triaged", "dispatched", "resolved", "rated"], [4, 4, 10, 17, 65])[0]
    if received + datetime.timedelta(days=12) > today:
        stage = "dispatched" if stage in ("resolved", "rated") else stage
    if stage != "submitted":
        r.triage = rng.choices(["major", "minor", "private"], [10, 75, 15])[0]
        r.status = "triaged"
    if stage in ("dispatched", "resolved", "rated") and r.triage != "private":
        r.dispatched_on = received + datetime.timedelta(days=1)
        r.due_on = r.dispatched_on + datetime.timedelta(days=7)
        if r.triage == "major":
            r.department = "区住房城乡建设委"
        else:
            claimers = members_by_branch.get(branch_id)
            if claimers and rng.random() < 0.6:
                r.assigned_member_id = rng.choice(claimers)
            else:
                r.assigned_organization_id = branch_id or community_id
        r.status = "dispatched"
    if stage in ("resolved", "rated") and (r.status == "dispatched" or r.triage == "private"):
        start = r.dispatched_on or received
        r.resolved_on = start + datetime.timedelta(days=rng.randint(1, 10))
        r.resolution = "已办结"
        r.mediation_outcome = rng.choice(("reconciled", "compensation_agreed")) if dispute else ""
        r.status = "resolved"
        if stage == "rated":
            r.rating = rng.choices(["satisfied", "basically_satisfied", "dissatisfied"], [80, 15, 5])[0]
            r.rated_on = r.resolved_on + datetime.timedelta(days=1)
            r.status = "rated"
    return r


@transaction.atomic
def generate(ctx: ScaleContext) -> None:
    sizes, rng, today = ctx.sizes, ctx.rng, ctx.today
    community_ids, branch_ids = ctx.data["community_ids"], ctx.data["branch_ids"]
    compounds = list(
        Compound.objects.filter(pk__in=ctx.data["compound_ids"]).values_list("id", "community_id", "branch_id")
    )
    members_by_branch: dict[int, list[int]] = {}
    for pk, branch_id in (
        Member.objects.filter(branch_id__in=branch_ids, occupation_status="in_service", status="active")
        .values_list("id", "branch_id")
        .iterator()
    ):
        members_by_branch.setdefault(branch_id, []).append(pk)

    def ago(lo: int, hi: int) -> datetime.date:
        return today - datetime.timedelta(days=rng.randint(lo, hi))

    kinds = list(PartnerKind.values)
    partners = _bulk(
        PartnerUnit,
        [
            PartnerUnit(
                name=f"{ctx.prefix}{i + 1}号{rng.choice(UNIT_WORDS)}",
                kind=rng.choice(kinds),
                party_organization="党支部",
                contact_person=_name(rng),
                registered_by_id=rng.choice(community_ids),
            )
            for i in range(sizes["partners"])
        ],
    )
    agreements = []
    for i in range(sizes["agreements"]):
        signed = ago(30, 900)
        org = rng.choice(community_ids) if rng.random() < 0.4 else rng.choice(branch_ids)
        agreements.append(
            Agreement(
                partner=rng.choice(partners),
                organization_id=org,
                title=f"共建协议{i + 1}",
                signed_on=signed,
                expires_on=signed + datetime.timedelta(days=rng.randint(700, 1100)),
            )
        )
    _bulk(Agreement, agreements)
    categories = list(Category.values)
    resources = _bulk(
        Resource,
        [
            Resource(
                partner=rng.choice(partners),
                category=rng.choice(categories),
                description="共建资源",
                available=rng.random() < 0.8,
            )
            for _ in range(sizes["resources"])
        ],
    )
    needs = _bulk(
        Need,
        [
            Need(
                compound_id=rng.choice(compounds)[0],
                category=rng.choice(categories),
                description="小区需求",
                raised_on=ago(0, 500),
                status=rng.choices(["open", "matched", "closed"], [40, 30, 30])[0],
            )
            for _ in range(sizes["needs"])
        ],
    )

    projects = []
    for i in range(sizes["projects"]):
        projects.append(_project(rng, i, compounds, categories, needs, today, ago))
    projects = _bulk(Project, projects)
    through_partners = Project.partners.through
    _bulk(
        through_partners, [through_partners(project_id=p.pk, partnerunit_id=rng.choice(partners).pk) for p in projects]
    )
    through_resources = Project.resources.through
    _bulk(
        through_resources,
        [
            through_resources(project_id=p.pk, resource_id=rng.choice(resources).pk)
            for p in projects
            if rng.random() < 0.6
        ],
    )
    sources = list(FundingSource.values)
    fundings = []
    for p in projects:
        if p.status in ("proposed", "cancelled"):
            continue
        for source in rng.sample(sources, rng.randint(1, 3)):
            fundings.append(
                Funding(
                    project_id=p.pk, source=source, amount=Decimal(rng.randint(5, 300) * 100), received_on=p.approved_on
                )
            )
    _bulk(Funding, fundings)

    activity_kinds = list(ActivityKind.values)
    activities = _bulk(
        Activity,
        [
            Activity(
                title=f"共建活动{i + 1}",
                kind=rng.choice(activity_kinds),
                held_on=ago(0, 364),
                organizer_id=rng.choice(branch_ids),
                member_participants=rng.randint(3, 40),
                resident_participants=rng.randint(10, 300),
            )
            for i in range(sizes["activities"])
        ],
    )
    through_activity = Activity.partners.through
    _bulk(
        through_activity,
        [
            through_activity(activity_id=a.pk, partnerunit_id=rng.choice(partners).pk)
            for a in activities
            if rng.random() < 0.7
        ],
    )

    wishes = []
    for i in range(sizes["wishes"]):
        wishes.append(_wish(rng, i, compounds, members_by_branch, today, ago))
    wishes = _bulk(MicroWish, wishes)

    requests = []
    for i in range(sizes["requests"]):
        requests.append(_request(rng, i, compounds, categories, members_by_branch, today, ago))
        if len(requests) >= BATCH:
            _bulk(ResidentRequest, requests)
            requests = []
    _bulk(ResidentRequest, requests)

    ctx.data.update(
        partner_ids=[p.pk for p in partners],
        project_ids=[p.pk for p in projects],
        wish_ids=[w.pk for w in wishes],
        request_count=sizes["requests"],
    )
    ctx.write(
        f"  共建共享：共建单位 {len(partners)}，协议 {len(agreements)}，项目 {len(projects)}，资金 {len(fundings)} 笔，"
        f"活动 {len(activities)}，微心愿 {len(wishes)}，群众点单 {sizes['requests']}"
        f"（可认领党员 {sum(map(len, members_by_branch.values()))} 名）"
    )


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 2, 0, tzinfo=datetime.UTC)


generate.DEFAULTS = {
    "partners": 600,
    "agreements": 900,
    "resources": 1500,
    "needs": 3000,
    "projects": 2800,
    "activities": 4500,
    "wishes": 6000,
    "requests": 50000,
}
