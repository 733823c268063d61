"""Writes of the development pipeline (发展党员, 《中国共产党发展党员工作细则》): register an
applicant, record the steps in their order, admit (the member record is made from the candidate
by ``members.services.member_create``) and convert (``member_confirm_full``). Every rule is
checked before anything is written; a refusal is a ``ValidationError`` naming the field.

Rules (细则 article): 18 or older at the application (第五条); talk within one month (第六条);
1–2 contacts (培养联系人) who are full members of the receiving branch (第十一条); at least one
year as activist before becoming a development target (第十三条); two sponsors (入党介绍人) who are
full members of the receiving branch (第十五条); training hours recorded (第十九条); 公示 of
``PUBLICITY_WORKING_DAYS`` working days over before the committee review (第二十一条); the 支部大会
votes are meeting records of the branch (members.meetings: quorum of more than half of the
members with a vote, a resolution passed by more than half of those due); the higher
committee approves within three months of the 支部大会 (第二十九条); conversion not before the
probation is due (第三十三条).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.auth.accounts import recorded_user
from core.plausibility import plausible_date
from members import crypto, personal_data
from members.development import steps as step_table
from members.development.models import Candidate, CandidateStep, Stage
from members.member_rules import add_months, set_member_pii
from members.models import Meeting, MeetingKind, MeetingResolution, Member, MemberStatus, OccupationStatus, PartyStatus
from organizations.models import OrganizationKind

CANDIDATE_FIELDS = ("name", "gender", "birth_date", "employer", "education", "branch", "applied_on")
MINIMUM_AGE = 18


def _today(today):
    return today or timezone.localdate()


def _age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _duplicate_check(candidate: Candidate) -> None:
    """An ID number already registered to a member or another candidate is refused; the message
    names the record only when the user can see it (``personal_data.duplicate_id_message``)."""
    if not candidate.id_number_hash:
        return
    personal_data.guard_duplicate_probe()
    for model in (Member, Candidate):
        others = model.objects.filter(id_number_hash=candidate.id_number_hash).select_related("branch")
        if model is Candidate and candidate.pk:
            others = others.exclude(pk=candidate.pk)
        if model is Member and candidate.member_id:
            others = others.exclude(pk=candidate.member_id)
        other = others.first()
        if other is not None:
            raise ValidationError({"id_number": personal_data.duplicate_id_message(other)})


def _candidate_errors(candidate: Candidate, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = defaultdict(list)
    if not (candidate.name or "").strip():
        errors["name"].append(_("This field is required."))
    if not candidate.gender:
        errors["gender"].append(_("This field is required."))
    if not candidate.branch_id:
        errors["branch"].append(_("This field is required."))
    elif candidate.branch.kind != OrganizationKind.BRANCH:
        errors["branch"].append(_("Choose a compound branch."))
    if candidate.applied_on is None:
        errors["applied_on"].append(_("This field is required."))
    elif candidate.applied_on > today:
        errors["applied_on"].append(_("The date cannot be in the future."))
    if candidate.birth_date is None:
        errors["birth_date"].append(_("This field is required."))
    elif candidate.applied_on and _age_on(candidate.birth_date, candidate.applied_on) < MINIMUM_AGE:
        errors["birth_date"].append(_("An applicant must be 18 or older on the day of the application."))
    return errors


def candidate_build(*, today=None, id_number: str = "", phone: str = "", **fields) -> Candidate:
    """An unsaved, fully checked candidate (the admin form shows the errors before saving)."""
    unknown = set(fields) - set(CANDIDATE_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    for key in ("employer", "education"):
        fields[key] = fields.get(key) or ""
    candidate = Candidate(**fields)
    for key in ("applied_on", "birth_date"):
        if getattr(candidate, key, None) is not None:
            try:
                plausible_date(getattr(candidate, key))
            except ValidationError as exc:
                raise ValidationError({key: exc.messages}) from exc
    if not (id_number or "").strip():
        raise ValidationError({"id_number": _("This field is required.")})
    set_member_pii(candidate, id_number=id_number, phone=phone or "")
    errors = _candidate_errors(candidate, _today(today))
    if errors:
        raise ValidationError(dict(errors))
    _duplicate_check(candidate)
    return candidate


@transaction.atomic
def candidate_create(*, actor=None, document: str = "", **fields) -> Candidate:
    """Register an application for party membership (step 1, 递交入党申请书): ID number and phone
    encrypted like a member's, 18 or older on the day, the ID number not yet registered to a
    member or candidate."""
    candidate = candidate_build(**fields)
    candidate.save()
    CandidateStep.objects.create(
        candidate=candidate,
        code="application",
        on=candidate.applied_on,
        document=document,
        recorded_by=recorded_user(actor),
    )
    refresh_progress(candidate)
    return candidate


def step_log(candidate: Candidate) -> dict[str, list[datetime.date]]:
    log: dict[str, list[datetime.date]] = defaultdict(list)
    for code, on in CandidateStep.objects.filter(candidate=candidate).values_list("code", "on"):
        log[code].append(on)
    return log


def refresh_progress(candidate: Candidate, log=None) -> Candidate:
    """Store the stage, the next step and its due date computed from the step log."""
    log = step_log(candidate) if log is None else log
    stage = Stage.APPLICANT
    for step in step_table.STEP_LIST:
        if log.get(step.code) and step.enters:
            stage = step.enters
    nxt = step_table.next_step(log)
    probation_due = candidate.member.probation_due_on if candidate.member_id else None
    candidate.stage = stage
    candidate.next_step = nxt.code if nxt else ""
    candidate.next_due_on = step_table.due_on(nxt, log, probation_due_on=probation_due) if nxt else None
    Candidate.objects.filter(pk=candidate.pk).update(
        stage=candidate.stage, next_step=candidate.next_step, next_due_on=candidate.next_due_on
    )
    return candidate


def _order_error(step, log) -> str | None:
    nxt = step_table.next_step(log)
    if nxt is None:
        return _("The development of this candidate is complete.")
    if step.repeatable and log.get(step.code):
        # a further assessment, while no step of a later stage is recorded
        later = (s for s in step_table.STEP_LIST if s.stage != step.stage and s.order > step.order)
        return _("This step belongs to an earlier stage.") if any(log.get(s.code) for s in later) else None
    if nxt.code != step.code:
        return _("Steps are recorded in order: the next step is “%(step)s”.") % {"step": nxt.label}
    return None


def order_allows(step, log) -> bool:
    """Whether ``step`` may be recorded now (the next one, or a further assessment in its stage)."""
    return _order_error(step, log) is None


def _people_errors(candidate, people, *, low: int, high: int, on) -> list[str]:
    """1–2 contacts or 2 sponsors: active full members of the receiving branch (living or
    registered there) on the day of the step."""
    people = list(people or [])
    if not low <= len({p.pk for p in people}) <= high or len({p.pk for p in people}) != len(people):
        if low == high:
            return [_("Name exactly %(n)d different party members.") % {"n": low}]
        return [_("Name %(low)d to %(high)d different party members.") % {"low": low, "high": high}]
    problems = []
    for person in people:
        if person.status != MemberStatus.ACTIVE or person.party_status != PartyStatus.FULL:
            problems.append(_("%(name)s is not a full party member.") % {"name": person.name})
        elif candidate.branch_id not in (person.branch_id, person.home_organization_id):
            problems.append(_("%(name)s is not a member of the receiving branch.") % {"name": person.name})
        elif person.full_member_on and person.full_member_on > on:
            problems.append(_("%(name)s was not yet a full party member on that day.") % {"name": person.name})
    return problems


def _vote_errors(candidate, meeting, resolution, on) -> dict[str, str]:
    """The 支部大会 vote is a recorded meeting of the receiving branch with its quorum, and the
    resolution on the candidate passed (members.meetings rules)."""
    if meeting is None:
        return {"meeting": _("Choose the branch general meeting that voted.")}
    if meeting.kind != MeetingKind.PARTY_CONGRESS or meeting.organization_id != candidate.branch_id:
        return {"meeting": _("Choose a branch general meeting of the receiving branch.")}
    if timezone.localdate(meeting.held_at) != on:
        return {"on": _("The date of the step is the date of the meeting (%(day)s).") % {"day": meeting.held_at.date()}}
    if not meeting.quorum_met:
        return {"meeting": _("The meeting had no quorum: more than half of the members with a vote must attend.")}
    if resolution is None or resolution.meeting_id != meeting.pk:
        return {"resolution": _("Choose the meeting's resolution on this candidate.")}
    if not resolution.passed:
        return {"resolution": _("The resolution did not pass: more than half of the members with a vote must agree.")}
    return {}


def _rule_errors(candidate, step, log, *, on, people, meeting, resolution, publicity_from, hours) -> dict:
    code = step.code
    if "people_1_2" in step.needs and (problems := _people_errors(candidate, people, low=1, high=2, on=on)):
        return {"people": problems}
    if "people_2" in step.needs and (problems := _people_errors(candidate, people, low=2, high=2, on=on)):
        return {"people": problems}
    if "vote" in step.needs and (problems := _vote_errors(candidate, meeting, resolution, on)):
        return problems
    if "hours" in step.needs and (hours is None or hours <= 0):
        return {"hours": _("Enter the hours of training.")}
    if "publicity" in step.needs:
        if publicity_from is None:
            return {"publicity_from": _("Enter the first day of the publicity.")}
        if publicity_from < step_table.last_on(log, "training"):
            return {"publicity_from": _("The publicity starts after the training.")}
        ends = step_table.publicity_ends(publicity_from)
        if on <= ends:
            return {
                "on": _("The publicity of %(n)d working days runs until %(day)s; review after it.")
                % {"n": step_table.PUBLICITY_WORKING_DAYS, "day": ends}
            }
    limit = {
        "talk": ("application", 1, _("The talk is due within one month of the application (by %(day)s).")),
        "approval": ("congress_vote", 3, _("The approval is due within three months of the vote (by %(day)s).")),
        "conversion_approval": (
            "conversion_vote",
            3,
            _("The approval is due within three months of the vote (by %(day)s)."),
        ),
    }.get(code)
    if limit and on > (day := add_months(step_table.last_on(log, limit[0]), limit[1])):
        return {"on": limit[2] % {"day": day}}
    if code == "target" and on < (day := add_months(step_table.last_on(log, "activist"), 12)):
        return {
            "on": _("An activist becomes a development target after at least one year (from %(day)s).") % {"day": day}
        }
    if code == "conversion_vote" and candidate.member and on < candidate.member.probation_due_on:
        return {"on": _("The probation is due on %(day)s.") % {"day": candidate.member.probation_due_on}}
    return {}


def _check_common(candidate, step, log, on, today):
    if step is None:
        raise ValidationError({"code": _("Unknown step.")})
    problem = _order_error(step, log)
    if problem:
        raise ValidationError({"code": problem})
    if on is None:
        raise ValidationError({"on": _("This field is required.")})
    try:
        plausible_date(on)
    except ValidationError as exc:
        raise ValidationError({"on": exc.messages}) from exc
    if on > today:
        raise ValidationError({"on": _("The date cannot be in the future.")})
    latest = max((d for days in log.values() for d in days), default=None)
    if latest and on < latest:
        raise ValidationError({"on": _("The date is before the last step (%(day)s).") % {"day": latest}})


@transaction.atomic
def step_record(
    *,
    candidate: Candidate,
    code: str,
    on: datetime.date,
    people=(),
    meeting: Meeting | None = None,
    resolution: MeetingResolution | None = None,
    publicity_from: datetime.date | None = None,
    hours=None,
    document: str = "",
    notes: str = "",
    actor=None,
    today=None,
) -> CandidateStep:
    """Record the next step of ``candidate`` (a repeatable assessment again while in its stage).
    The approval (17) creates the member; the conversion approval (24) makes them a full member."""
    candidate = (
        Candidate.objects.select_for_update(of=("self",)).select_related("branch", "member").get(pk=candidate.pk)
    )
    log = step_log(candidate)
    step = step_table.STEPS.get(code)
    _check_common(candidate, step, log, on, _today(today))
    errors = _rule_errors(
        candidate,
        step,
        log,
        on=on,
        people=people,
        meeting=meeting,
        resolution=resolution,
        publicity_from=publicity_from,
        hours=hours,
    )
    if errors:
        raise ValidationError(errors)
    entry = CandidateStep.objects.create(
        candidate=candidate,
        code=code,
        on=on,
        meeting=meeting,
        resolution=resolution,
        publicity_from=publicity_from,
        hours=hours,
        document=document or "",
        notes=notes or "",
        recorded_by=recorded_user(actor),
    )
    if people:
        entry.people.set(people)
    log[code].append(on)
    if code == "approval":
        _admit(candidate, log, actor=actor, on=on)
    elif code == "conversion_approval":
        from members.services import member_confirm_full

        member_confirm_full(member=candidate.member, on=candidate.member.probation_due_on, actor=actor)
    refresh_progress(candidate, log)
    return entry


def _admit(candidate: Candidate, log, *, actor, on) -> Member:
    """The member record made from the candidate (no retyping): probationary from the day of the
    支部大会 (党章 第七条: the probation counts from there; the probation engine takes over)."""
    from members.services import member_create

    member = member_create(
        actor=actor,
        today=on,
        admitting=candidate,
        name=candidate.name,
        gender=candidate.gender,
        birth_date=candidate.birth_date,
        education=candidate.education,
        employer=candidate.employer,
        occupation_status=OccupationStatus.IN_SERVICE if candidate.employer else OccupationStatus.OTHER,
        branch=candidate.branch,
        home_organization=candidate.branch,
        party_status=PartyStatus.PROBATIONARY,
        admitted_on=step_table.last_on(log, "congress_vote"),
        id_number=crypto.decrypt(candidate.id_number_encrypted) if candidate.id_number_encrypted else "",
        phone=crypto.decrypt(candidate.phone_encrypted) if candidate.phone_encrypted else "",
        note=_("Admitted through the development pipeline."),
    )
    candidate.member = member
    Candidate.objects.filter(pk=candidate.pk).update(member=member)
    return member
