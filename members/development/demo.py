"""Demo candidates of 南岸区 (``seed_demo``) and candidates at scale (``generate_scale_data``).

Demo: in two branches, a candidate at every stage — one whose talk is due, one overdue, an
activist, a development target, a probationary member admitted through the pipeline and one
converted to full member — each recorded step by step through the services with dates counted
back from today (the 支部大会 votes are meeting records of the branch). Idempotent: candidates
are found by the keyed hash of their ID number.

Scale: three candidates per branch (applicant, activist, development target) written in bulk
(ID numbers and phones encrypted in batches), with the step log of their stage; and a few
(``admitted_candidates``, in the first branches with enough full members) taken through every
step up to the oath by the services, so the scale data has probationary members admitted through
the pipeline (their 支部大会 votes are meeting records).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from members import crypto
from members.development import services, steps
from members.development.models import Candidate, CandidateStep, Stage
from members.meetings import eligible_members, meeting_record
from members.models import MeetingKind, Member, MemberStatus, PartyStatus

# Days after the application each step is recorded on (the rules hold with these gaps).
PLAN = (
    ("talk", 14),
    ("activist", 60),
    ("activist_filed", 64),
    ("contacts", 64),
    ("assessment", 240),
    ("target", 427),
    ("target_filed", 430),
    ("sponsors", 432),
    ("political_review", 450),
    ("training", 460),
    ("committee_review", 482),
    ("pre_review", 485),
    ("application_form", 490),
    ("congress_vote", 500),
    ("committee_talk", 510),
    ("approval", 530),
    ("approval_filed", 535),
    ("placed", 536),
    ("oath", 540),
    ("continued_assessment", 700),
    ("conversion_application", 860),
    ("conversion_vote", 870),
    ("conversion_approval", 890),
    ("archived", 895),
)
PUBLICITY_FROM_DAY = 470
# (name, days since the application, last step recorded)
DEMO = (
    ("周晓雯", 10, "application"),
    ("郑凯", 45, "application"),
    ("孙悦", 300, "assessment"),
    ("韩磊", 465, "training"),
    ("唐思远", 600, "oath"),
    ("冯雪", 900, "archived"),
)
DEMO_BRANCHES = ("NA-HYL-JH-HC", "NA-NP-GLW-JL")


def _extras(branch, code: str, day: datetime.date) -> dict:
    step = steps.STEPS[code]
    if step.needs & {"people_1_2", "people_2"}:
        # Introducers must already have been full members on the step's day.
        full = Member.objects.filter(branch=branch, status=MemberStatus.ACTIVE, party_status=PartyStatus.FULL).filter(
            Q(full_member_on__isnull=True) | Q(full_member_on__lte=day)
        )
        return {"people": list(full.order_by("id")[:2])}
    if "hours" in step.needs:
        return {"hours": Decimal("24")}
    if "vote" in step.needs:
        present = list(eligible_members(organization=branch, kind=MeetingKind.PARTY_CONGRESS, on=day))
        voters = sum(1 for m in present if m.party_status == PartyStatus.FULL)
        text = "关于接收预备党员的决议" if code == "congress_vote" else "关于预备党员转正的决议"
        meeting = meeting_record(
            organization=branch,
            kind=MeetingKind.PARTY_CONGRESS,
            held_at=datetime.datetime.combine(day, datetime.time(19), tzinfo=ZoneInfo(settings.TIME_ZONE)),
            topic=text,
            attendance=[{"member": m.pk, "status": "present"} for m in present],
            resolutions=[{"text": text, "votes_for": voters, "votes_against": 0, "votes_abstain": 0}],
        )
        return {"meeting": meeting, "resolution": meeting.resolutions.get()}
    return {}


def advance(candidate: Candidate, until: str, *, today: datetime.date) -> None:
    """Record the steps of ``PLAN`` after the application up to ``until`` (inclusive)."""
    if until == "application":
        return
    start = candidate.applied_on
    for code, offset in PLAN:
        day = start + datetime.timedelta(days=offset)
        extra = _extras(candidate.branch, code, day)
        if code == "committee_review":
            extra["publicity_from"] = start + datetime.timedelta(days=PUBLICITY_FROM_DAY)
        services.step_record(candidate=candidate, code=code, on=day, today=today, **extra)
        if code == until:
            return


def seed(ctx) -> None:
    created = 0
    for b_index, code in enumerate(DEMO_BRANCHES):
        branch = ctx.orgs.get(code)
        if branch is None:
            continue
        for index, (name, days, until) in enumerate(DEMO):
            seq = 700 + b_index * 20 + index
            birth = datetime.date(1990 + index, 1 + index, 3 + b_index)
            id_number = crypto.make_id_number("500108", birth, seq)
            if Candidate.objects.filter(id_number_hash=crypto.keyed_hash(id_number)).exists():
                continue
            applied = ctx.today - datetime.timedelta(days=days)
            candidate = services.candidate_create(
                name=name if b_index == 0 else name[0] + "小" + name[-1],
                gender="",
                birth_date=birth,
                id_number=id_number,
                phone=f"137{seq:08d}",
                employer="南岸区某科技公司" if index % 2 else "",
                education="bachelor",
                branch=branch,
                applied_on=applied,
                today=ctx.today,
            )
            advance(candidate, until, today=ctx.today)
            created += 1
    ctx.write(f"  发展党员：新增 {created} 名申请人（共 {Candidate.objects.count()} 名）")


SCALE_STAGES = (("application", 20), ("assessment", 300), ("training", 465))


def generate(ctx) -> None:
    """A few candidates per branch in bulk: their ID numbers unique among generated ones."""
    rng, today = ctx.rng, ctx.today
    member_ids = ctx.data.get("member_ids_by_branch", {})
    per_branch = ctx.sizes.get("candidates_per_branch", 3)
    rows, plans, used = [], [], set()
    for branch_id in ctx.data["branch_ids"]:
        for i in range(per_branch):
            until, days = SCALE_STAGES[i % len(SCALE_STAGES)]
            birth = datetime.date(rng.randint(1970, 2004), rng.randint(1, 12), rng.randint(1, 28))
            id_number = crypto.make_id_number("500109", birth, rng.randint(0, 999))
            while id_number in used:
                id_number = crypto.make_id_number("500109", birth, rng.randint(0, 999))
            used.add(id_number)
            rows.append(
                Candidate(
                    name=f"申请人{len(rows) + 1}",
                    gender=crypto.id_gender(id_number),
                    birth_date=birth,
                    id_number_hash=crypto.keyed_hash(id_number),
                    id_number_masked=crypto.mask_id_number(id_number),
                    branch_id=branch_id,
                    applied_on=today - datetime.timedelta(days=days),
                )
            )
            plans.append((id_number, until))
    for row, token in zip(rows, crypto.encrypt_many([p[0] for p in plans]), strict=True):
        row.id_number_encrypted = token
    Candidate.objects.bulk_create(rows, batch_size=2000)
    _bulk_steps(rows, plans, member_ids)
    admitted = _admitted_through_services(ctx, ctx.sizes.get("admitted_candidates", 5))
    ctx.data["candidate_count"] = len(rows) + admitted
    ctx.write(f"  发展党员：{len(rows)} 名申请人，{admitted} 名经发展程序接收为预备党员")


def _admitted_through_services(ctx, count: int) -> int:
    """``count`` candidates recorded step by step up to the oath (probationary members), one per
    branch in the first branches with at least three full members (the vote needs a quorum)."""
    admitted = 0
    for branch_id in ctx.data["branch_ids"]:
        if admitted >= count:
            break
        applied_on = ctx.today - datetime.timedelta(days=600)
        full = Member.objects.filter(
            branch_id=branch_id, status=MemberStatus.ACTIVE, party_status=PartyStatus.FULL
        ).filter(Q(full_member_on__isnull=True) | Q(full_member_on__lte=applied_on))
        if full.count() < 3:
            continue
        birth = datetime.date(1995, 1 + admitted % 12, 1 + admitted % 28)
        id_number = crypto.make_id_number("500110", birth, 500 + admitted)
        if Candidate.objects.filter(id_number_hash=crypto.keyed_hash(id_number)).exists():
            continue
        candidate = services.candidate_create(
            name=f"发展对象{admitted + 1}",
            gender="",
            birth_date=birth,
            id_number=id_number,
            branch=full.first().branch,
            applied_on=applied_on,
            today=ctx.today,
        )
        advance(candidate, "oath", today=ctx.today)
        admitted += 1
    return admitted


def _bulk_steps(rows, plans, member_ids) -> None:
    step_rows, people = [], []
    Through = CandidateStep.people.through
    for candidate, (_id, until) in zip(rows, plans, strict=True):
        log = {"application": [candidate.applied_on]}
        step_rows.append(CandidateStep(candidate=candidate, code="application", on=candidate.applied_on))
        for code, offset in PLAN if until != "application" else ():
            day = candidate.applied_on + datetime.timedelta(days=offset)
            entry = CandidateStep(candidate=candidate, code=code, on=day)
            if code == "training":
                entry.hours = Decimal("24")
            step_rows.append(entry)
            log[code] = [day]
            if steps.STEPS[code].needs & {"people_1_2", "people_2"}:
                people.append((entry, member_ids.get(candidate.branch_id, [])[:2]))
            if code == until:
                break
        nxt = steps.next_step(log)
        candidate.stage = Stage.ACTIVIST if "activist" in log else Stage.APPLICANT
        candidate.stage = Stage.TARGET if "target" in log else candidate.stage
        candidate.next_step = nxt.code
        candidate.next_due_on = steps.due_on(nxt, log)
    CandidateStep.objects.bulk_create(step_rows, batch_size=5000)
    Through.objects.bulk_create(
        [Through(candidatestep_id=e.pk, member_id=m) for e, ids in people for m in ids], batch_size=5000
    )
    Candidate.objects.bulk_update(rows, ["stage", "next_step", "next_due_on"], batch_size=2000)


generate.DEFAULTS = {"candidates_per_branch": 3, "admitted_candidates": 5}
generate.UNSCALED = ("candidates_per_branch",)
