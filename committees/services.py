"""Writes of the committees app. Every write checks the rules first and saves in one
transaction, so a refused input leaves nothing half-saved."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from committees import credit_code
from committees.models import (
    CandidateCheck,
    Committee,
    CommitteeStatus,
    Evaluation,
    FeeCollection,
    Matter,
    MatterHandler,
    MatterSource,
    MatterStatus,
    NegativeListItem,
    PropertyFirm,
    Seat,
    ServiceContract,
)
from members.meetings import meeting_record
from members.models import MeetingKind
from organizations.models import Compound, Organization
from organizations.selectors import is_inside


def _apply(instance, fields: dict[str, Any]):
    for name, value in fields.items():
        setattr(instance, name, value)
    return instance


def _raise(errors: dict[str, list[str]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _full_clean_and_save(instance, exclude=None):
    instance.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        # A concurrent write passed the same checks first; the database constraint refused this
        # one (e.g. a second active body of a kind): the user's conflict, a 400.
        raise ValidationError(_("This was changed at the same time by someone else; reload and try again.")) from exc
    return instance


# --- property firms ----------------------------------------------------------------------


def validate_credit_code(value: str) -> str:
    """Return the normalized code or raise a field error naming what is wrong."""
    code = credit_code.normalize(value)
    problem = credit_code.problem(code)
    if problem == "length":
        msg = _("A unified social credit code has 18 characters; “%(code)s” has %(n)d.") % {
            "code": code,
            "n": len(code),
        }
    elif problem == "characters":
        msg = _(
            "“%(code)s” contains characters a unified social credit code cannot have "
            "(only digits and capital letters other than I, O, Z, S, V)."
        ) % {"code": code}
    elif problem == "check":
        msg = _(
            "“%(code)s” is not a valid unified social credit code: the check character should be "
            "“%(expected)s” (GB 32100)."
        ) % {"code": code, "expected": credit_code.check_character(code[:17])}
    else:
        return code
    raise ValidationError({"credit_code": [msg]})


def validate_property_firm(firm: PropertyFirm) -> None:
    """Credit code (GB 32100 check character, not registered twice) and the 红色物业 name."""
    firm.credit_code = validate_credit_code(firm.credit_code)
    clash = PropertyFirm.objects.filter(credit_code=firm.credit_code).exclude(pk=firm.pk).first()
    if clash is not None:
        raise ValidationError(
            {"credit_code": [_("The credit code is already registered for “%(firm)s”.") % {"firm": clash.name}]}
        )
    if not firm.has_party_organization:
        firm.party_organization_name = ""
    elif not (firm.party_organization_name or "").strip():
        raise ValidationError({"party_organization_name": [_("Name the firm's party organization (红色物业).")]})


@transaction.atomic
def property_firm_save(
    *, firm: PropertyFirm | None = None, created_in: Organization | None = None, **fields: Any
) -> PropertyFirm:
    """Create or update a property firm; the credit code's check character is verified.
    ``created_in`` (new firms) is the organization whose staff entered it."""
    firm = _apply(firm or PropertyFirm(created_in=created_in), fields)
    validate_property_firm(firm)
    return _full_clean_and_save(firm)


def _overlaps(start: datetime.date, end: datetime.date | None) -> Q:
    """Contracts whose [started_on, ended_on] range meets [start, end] (open ends are open)."""
    q = Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    if end is not None:
        q &= Q(started_on__lte=end)
    return q


def validate_service_contract(contract: ServiceContract) -> None:
    """Dates in order; no other contract of the compound overlaps."""
    if contract.started_on and contract.ended_on and contract.ended_on < contract.started_on:
        raise ValidationError({"ended_on": [_("The contract ends before it starts.")]})
    if not (contract.compound_id and contract.started_on):
        return
    clash = (
        ServiceContract.objects.filter(compound_id=contract.compound_id)
        .filter(_overlaps(contract.started_on, contract.ended_on))
        .exclude(pk=contract.pk)
        .select_related("firm")
        .first()
    )
    if clash is not None:
        end = clash.ended_on.isoformat() if clash.ended_on else _("open-ended")
        raise ValidationError(
            {
                "started_on": [
                    _(
                        "The compound is already served by “%(firm)s” from %(start)s to %(end)s; "
                        "service contracts of a compound cannot overlap."
                    )
                    % {"firm": clash.firm.name, "start": clash.started_on.isoformat(), "end": end}
                ]
            }
        )


@transaction.atomic
def service_contract_save(*, contract: ServiceContract | None = None, **fields: Any) -> ServiceContract:
    """Create or update a service contract. Two contracts of a compound never overlap; the
    compound row is locked so that two concurrent writers cannot both pass the check."""
    contract = _apply(contract or ServiceContract(), fields)
    if contract.compound_id:
        Compound.objects.select_for_update().filter(pk=contract.compound_id).first()
    validate_service_contract(contract)
    return _full_clean_and_save(contract)


def _served_between(firm_id: int, compound_id: int, start: datetime.date, end: datetime.date) -> bool:
    return (
        ServiceContract.objects.filter(firm_id=firm_id, compound_id=compound_id).filter(_overlaps(start, end)).exists()
    )


def _month_range(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, month, 1)
    return start, start.replace(day=calendar.monthrange(year, month)[1])


def validate_served(*, firm_id, compound_id, start: datetime.date, end: datetime.date) -> None:
    if firm_id and compound_id and not _served_between(firm_id, compound_id, start, end):
        raise ValidationError({"firm": [_("The firm has no service contract for this compound in that period.")]})


def validate_fee_collection(collection: FeeCollection) -> None:
    if collection.year and collection.month and 1 <= collection.month <= 12:
        start, end = _month_range(collection.year, collection.month)
        validate_served(firm_id=collection.firm_id, compound_id=collection.compound_id, start=start, end=end)


@transaction.atomic
def fee_collection_save(*, collection: FeeCollection | None = None, **fields: Any) -> FeeCollection:
    """Record fees due and collected for a month; the firm must serve the compound then."""
    collection = _apply(collection or FeeCollection(), fields)
    collection.full_clean()
    validate_fee_collection(collection)
    collection.save()
    return collection


def validate_evaluation(evaluation: Evaluation) -> None:
    if evaluation.year and evaluation.quarter and 1 <= evaluation.quarter <= 4:
        start, _s = _month_range(evaluation.year, 3 * evaluation.quarter - 2)
        _e, end = _month_range(evaluation.year, 3 * evaluation.quarter)
        validate_served(firm_id=evaluation.firm_id, compound_id=evaluation.compound_id, start=start, end=end)


@transaction.atomic
def evaluation_save(*, evaluation: Evaluation | None = None, **fields: Any) -> Evaluation:
    """Record an evaluation; the total is the sum of the criteria scores."""
    evaluation = _apply(evaluation or Evaluation(), fields)
    evaluation.total = evaluation.compute_total()
    evaluation.full_clean()
    validate_evaluation(evaluation)
    evaluation.save()
    return evaluation


# --- bodies and seats ----------------------------------------------------------------------


def validate_committee(committee: Committee) -> None:
    errors: dict[str, list[str]] = {}
    if committee.elected_on and committee.term_ends_on and committee.term_ends_on <= committee.elected_on:
        errors["term_ends_on"] = [_("The term end must be after the election date.")]
    if committee.status in (CommitteeStatus.ACTIVE, CommitteeStatus.EXPIRED) and not committee.elected_on:
        errors["elected_on"] = [_("An elected body needs its election date.")]
    _raise(errors)
    if committee.compound_id and committee.status == CommitteeStatus.ACTIVE:
        other = (
            Committee.objects.filter(
                compound_id=committee.compound_id, kind=committee.kind, status=CommitteeStatus.ACTIVE
            )
            .exclude(pk=committee.pk)
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "status": [
                        _("The compound already has an active %(kind)s (term %(term)d); end it first.")
                        % {"kind": other.get_kind_display(), "term": other.term_number}
                    ]
                }
            )


@transaction.atomic
def committee_save(*, committee: Committee | None = None, **fields: Any) -> Committee:
    """Create or update a self-governance body (term end after election; one active body of a
    kind per compound)."""
    committee = _apply(committee or Committee(), fields)
    if committee.compound_id:
        Compound.objects.select_for_update().filter(pk=committee.compound_id).first()
    validate_committee(committee)
    return _full_clean_and_save(committee)


def validate_seat(seat: Seat, committee: Committee | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if seat.started_on and seat.ended_on and seat.ended_on < seat.started_on:
        errors["ended_on"] = [_("The seat ends before it starts.")]
    committee = committee or (seat.committee if seat.committee_id else None)
    if seat.member_id and committee is not None:
        member = seat.member
        community = committee.compound.community
        if not (is_inside(member.branch_id, community.pk) or is_inside(member.home_organization_id, community.pk)):
            errors["member"] = [
                _("Party member “%(member)s” does not belong to %(community)s, the community of %(compound)s.")
                % {"member": member.name, "community": community.name, "compound": committee.compound.name}
            ]
    _raise(errors)


@transaction.atomic
def seat_save(*, seat: Seat | None = None, **fields: Any) -> Seat:
    """Create or update a seat. A linked party member must belong to the compound's community;
    the holder's name defaults to the member's and the seat counts as a party member's."""
    seat = _apply(seat or Seat(), fields)
    if seat.member_id:
        seat.is_party_member = True
        if not seat.holder_name:
            seat.holder_name = seat.member.name
    validate_seat(seat)
    return _full_clean_and_save(seat)


@transaction.atomic
def committee_with_seats_save(*, seats: list[dict[str, Any]], **fields: Any) -> Committee:
    """Create a body and its seats at once (all or nothing)."""
    committee = committee_save(**fields)
    for data in seats:
        seat_save(committee=committee, **data)
    return committee


# --- candidate vetting ----------------------------------------------------------------------


@transaction.atomic
def candidate_check_record(
    *,
    compound: Compound,
    candidate_name: str,
    checked_on: datetime.date,
    matched_items: list[NegativeListItem] = (),
    committee: Committee | None = None,
    member=None,
    checked_by: str = "",
    note: str = "",
) -> CandidateCheck:
    """Record a candidate checked against the negative list; the candidate passes when no item
    in force matched."""
    if committee is not None and committee.compound_id != compound.pk:
        raise ValidationError({"committee": [_("The body belongs to another compound.")]})
    items = list(matched_items)
    check = CandidateCheck(
        compound=compound,
        committee=committee,
        candidate_name=candidate_name,
        member=member,
        checked_on=checked_on,
        checked_by=checked_by,
        note=note,
        passed=not any(item.active for item in items),
    )
    _full_clean_and_save(check)
    check.matched_items.set(items)
    return check


# --- three-party matters --------------------------------------------------------------------


def validate_matter(matter: Matter, today: datetime.date | None = None) -> None:
    """Dates in order; resolving or closing needs an outcome (the resolved date defaults to
    ``today``); the taking party is named; a linked meeting is a joint meeting of the community."""
    errors: dict[str, list[str]] = {}
    if matter.due_on and matter.raised_on and matter.due_on < matter.raised_on:
        errors["due_on"] = [_("The due date is before the date the matter was raised.")]
    if matter.status in (MatterStatus.RESOLVED, MatterStatus.CLOSED):
        if not (matter.outcome or "").strip():
            errors["outcome"] = [_("Record the outcome before resolving or closing the matter.")]
        if matter.resolved_on is None:
            matter.resolved_on = today or datetime.date.today()
    else:
        matter.resolved_on = None
    if matter.handler == MatterHandler.PROPERTY_FIRM and not matter.firm_id:
        errors["firm"] = [_("Name the property firm that takes the matter.")]
    if matter.handler == MatterHandler.GOVERNMENT and not (matter.department or "").strip():
        errors["department"] = [_("Name the government department that takes the matter.")]
    if matter.meeting_id and matter.compound_id:
        meeting = matter.meeting
        community = matter.compound.community
        if meeting.kind != "joint_meeting":
            errors["meeting"] = [_("Only a three-party joint meeting can be linked.")]
        elif not is_inside(meeting.organization_id, community.pk):
            errors["meeting"] = [_("The meeting was held by an organization outside the compound's community.")]
    _raise(errors)


@transaction.atomic
def matter_save(*, matter: Matter | None = None, today: datetime.date | None = None, **fields: Any) -> Matter:
    """Create or update a three-party matter (see ``validate_matter``)."""
    matter = _apply(matter or Matter(), fields)
    validate_matter(matter, today)
    return _full_clean_and_save(matter)


# --- three-party joint meetings (三方联席会议) ------------------------------------------------


def _representatives(names, affiliation: str) -> list[dict]:
    return [{"name": n.strip(), "affiliation": affiliation} for n in names if (n or "").strip()]


def _joint_guests(committee, firm, committee_attendees, firm_attendees, errors) -> list[dict]:
    """The owners' committee and the property firm each send someone: with the branch's members
    that makes the three parties."""
    committee_guests = _representatives(committee_attendees, str(committee) if committee else _("Owners' committee"))
    firm_guests = _representatives(firm_attendees, firm.name if firm else _("Property firm"))
    if not committee_guests:
        errors.setdefault("committee_attendees", []).append(
            _("Name who attended for the owners' committee (a joint meeting has three parties).")
        )
    if not firm_guests:
        errors.setdefault("firm_attendees", []).append(
            _("Name who attended for the property firm (a joint meeting has three parties).")
        )
    return committee_guests + firm_guests


@transaction.atomic
def joint_meeting_record(
    *,
    organization: Organization,
    attendance: list[dict],
    committee: Committee | None = None,
    firm: PropertyFirm | None = None,
    committee_attendees: list[str] = (),
    firm_attendees: list[str] = (),
    guests: list[dict] | None = None,
    matters: list[dict] = (),
    linked_matters: list[Matter] = (),
    created_by=None,
    **meeting_fields: Any,
):
    """Record a three-party joint meeting held by a compound branch: the branch's attendance
    (``members.meetings.meeting_record`` checks it), the owners' committee and property firm
    representatives (kept as the meeting's guests with their body as affiliation, other guests
    after them), the new matters raised there (``matters``: Matter fields, saved through
    ``matter_save`` with this meeting as their source) and existing matters discussed there
    (``linked_matters``). Everything is checked before the meeting stays: a refused matter
    refuses the whole meeting."""
    errors: dict[str, list[str]] = {}
    if committee is not None and organization is not None and committee.compound.branch_id != organization.pk:
        errors["committee"] = [_("The owners' committee is of a compound of another branch.")]
    representatives = _joint_guests(committee, firm, committee_attendees, firm_attendees, errors)
    _raise(errors)
    meeting = meeting_record(
        organization=organization,
        kind=MeetingKind.JOINT_MEETING,
        attendance=attendance,
        guests=representatives + list(guests or []),
        created_by=created_by,
        **meeting_fields,
    )
    if getattr(meeting, "deduplicated", False):
        return meeting
    raised_on = meeting.held_at.date()
    for index, fields in enumerate(matters, start=1):
        fields = {"raised_by": _("Three-party joint meeting"), "raised_on": raised_on, **fields}
        try:
            matter_save(meeting=meeting, source=MatterSource.JOINT_MEETING, **fields)
        except ValidationError as exc:
            raise ValidationError(
                {"matters": [_("Matter %(n)d: %(errors)s") % {"n": index, "errors": "；".join(exc.messages)}]}
            ) from None
    for matter in linked_matters:
        try:
            matter_save(matter=matter, meeting=meeting)
        except ValidationError as exc:
            raise ValidationError({"linked_matters": [f"{matter.title}：{'；'.join(exc.messages)}"]}) from None
    return meeting
