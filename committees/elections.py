"""换届 of a compound's self-governance body (业委会 and the others): the election is recorded with
its candidates and votes, and the body of the new term with the seats of those elected is made
from it in one transaction; the body of the previous term ends (its status 任期届满, its open seats
ended the day before).

The counting rules are the branch election's (``members.elections.rules``): the 差额 margin,
voters present within those entitled, votes within the voters present, elected within the seats
and by more than half of the voters taking part (《业主大会和业主委员会指导规则》: 业主委员会委员
are elected by the owners' assembly with more than half of the votes of those taking part). A
term is at most five years (the same 规则); without an end date it is five years. Candidates
linked to party members must belong to the compound's community (as for any seat)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees import services
from committees.models import (
    Committee,
    CommitteeElection,
    CommitteeElectionCandidate,
    CommitteeKind,
    CommitteeStatus,
    Seat,
    SeatRole,
)
from core.plausibility import plausible_date
from members.elections import rules
from members.models import ElectionMethod, Member
from organizations.models import Compound
from organizations.terms import add_years

MAX_TERM_YEARS = 5
# Roles several elected people may hold at once (a committee has several members and may have
# several vice chairs); a chair and an executive secretary are one person each.
SHARED_ROLES = (SeatRole.MEMBER, SeatRole.VICE_CHAIR)


@dataclass
class BodyCandidate:
    name: str = ""
    votes: int = 0
    role: str = ""  # the seat when elected ("" = not elected)
    member: Member | None = None

    @property
    def shown_name(self) -> str:
        return (self.name or "").strip() or (self.member.name if self.member else "")


def _check_candidates(candidates: list[BodyCandidate]) -> None:
    seen_names, seen_members = set(), set()
    for c in candidates:
        name = c.shown_name
        if not name:
            raise ValidationError({"candidates": _("Each candidate needs a name.")})
        if name in seen_names or (c.member is not None and c.member.pk in seen_members):
            raise ValidationError({"candidates": _("%(member)s is listed twice.") % {"member": name}})
        seen_names.add(name)
        if c.member is not None:
            seen_members.add(c.member.pk)
        if c.role and c.role not in SeatRole.values:
            raise ValidationError({"role": _("Unknown role: %(role)s") % {"role": c.role}})


def _term_end(held_on: datetime.date, term_ends_on: datetime.date | None) -> datetime.date:
    longest = add_years(held_on, MAX_TERM_YEARS)
    if term_ends_on is None:
        return longest
    if term_ends_on <= held_on:
        raise ValidationError({"term_ends_on": _("The term end must be after the election date.")})
    if term_ends_on > longest:
        raise ValidationError({"term_ends_on": _("A term lasts at most %(years)d years.") % {"years": MAX_TERM_YEARS}})
    return term_ends_on


def _check_term_number(compound: Compound, kind: str, term_number: int) -> tuple[Committee | None, Committee | None]:
    """The body being formed for this term (筹备, if recorded: the election makes it the body in
    office) and the body of the previous term it follows (in office or waiting for its 换届)."""
    forming = Committee.objects.filter(
        compound=compound, kind=kind, term_number=term_number, status=CommitteeStatus.FORMING
    ).first()
    taken = Committee.objects.filter(compound=compound, kind=kind, term_number__gte=term_number)
    if forming is not None:
        taken = taken.exclude(pk=forming.pk)
    recorded = CommitteeElection.objects.filter(compound=compound, kind=kind, term_number=term_number)
    if taken.exists() or recorded.exists():
        raise ValidationError(
            {"term_number": _("This term number (or a later one) is already recorded for this body.")}
        )
    previous = (
        Committee.objects.filter(
            compound=compound, kind=kind, status__in=(CommitteeStatus.ACTIVE, CommitteeStatus.EXPIRED)
        )
        .order_by("-term_number")
        .first()
    )
    return forming, previous


def _end_previous(previous: Committee | None, held_on: datetime.date) -> None:
    if previous is None:
        return
    last_day = held_on - datetime.timedelta(days=1)
    for seat in Seat.objects.filter(committee=previous, ended_on__isnull=True):
        services.seat_save(seat=seat, ended_on=max(last_day, seat.started_on))
    ends = min(previous.term_ends_on, last_day) if previous.term_ends_on else last_day
    if previous.elected_on and ends <= previous.elected_on:
        ends = previous.elected_on + datetime.timedelta(days=1)
    services.committee_save(committee=previous, status=CommitteeStatus.EXPIRED, term_ends_on=ends)


def _validate(*, kind, method, held_on, voters_entitled, voters_present, seats, candidates, filed_on) -> None:
    if kind not in CommitteeKind.values:
        raise ValidationError({"kind": _("Unknown kind of body.")})
    if method not in ElectionMethod.values:
        raise ValidationError({"method": _("Unknown election method.")})
    try:
        plausible_date(held_on)
    except ValidationError as exc:
        raise ValidationError({"held_on": exc.messages}) from None
    if filed_on is not None and filed_on < held_on:
        raise ValidationError({"filed_on": _("The filing is before the election.")})
    _check_candidates(candidates)
    rules.check_counts(
        method=method,
        seats=seats,
        voters_entitled=voters_entitled,
        voters_present=voters_present,
        candidates=candidates,
    )
    ballots = [rules.Ballot(c.shown_name, c.votes, c.role) for c in candidates]
    rules.check_votes(voters_present=voters_present, ballots=ballots)
    rules.check_elected(seats=seats, voters_present=voters_present, ballots=ballots, shared_posts=SHARED_ROLES)


@transaction.atomic
def committee_election_record(
    *,
    compound: Compound,
    kind: str,
    term_number: int,
    held_on: datetime.date,
    method: str,
    seats: int,
    voters_entitled: int,
    voters_present: int,
    candidates: list[BodyCandidate],
    term_ends_on: datetime.date | None = None,
    filed_on: datetime.date | None = None,
) -> CommitteeElection:
    """Record a body's election and make the new term's body with the seats of those elected
    (see the module docstring for the rules). Nothing is saved when a rule fails."""
    _validate(
        kind=kind,
        method=method,
        held_on=held_on,
        voters_entitled=voters_entitled,
        voters_present=voters_present,
        seats=seats,
        candidates=candidates,
        filed_on=filed_on,
    )
    ends = _term_end(held_on, term_ends_on)
    Compound.objects.select_for_update().filter(pk=compound.pk).first()  # one re-election at a time
    forming, previous = _check_term_number(compound, kind, term_number)
    if previous is not None and previous.elected_on and previous.elected_on >= held_on:
        raise ValidationError({"held_on": _("The election is not after the previous term's election.")})
    _end_previous(previous, held_on)
    body = services.committee_save(
        committee=forming,
        compound=compound,
        kind=kind,
        term_number=term_number,
        elected_on=held_on,
        term_ends_on=ends,
        status=CommitteeStatus.ACTIVE,
    )
    for c in candidates:
        if not c.role:
            continue
        try:
            services.seat_save(
                committee=body, role=c.role, holder_name=c.shown_name, member=c.member, started_on=held_on
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "member" in exc.error_dict:
                raise ValidationError({"candidates": exc.error_dict["member"]}) from None
            raise
    election = CommitteeElection.objects.create(
        compound=compound,
        kind=kind,
        term_number=term_number,
        held_on=held_on,
        method=method,
        seats=seats,
        voters_entitled=voters_entitled,
        voters_present=voters_present,
        filed_on=filed_on,
        committee=body,
    )
    for c in candidates:
        CommitteeElectionCandidate.objects.create(
            election=election, name=c.shown_name, member=c.member, votes=c.votes, role=c.role
        )
    return election
