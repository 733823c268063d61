"""Recording a branch's 换届选举 (election): the rules of 《中国共产党基层组织选举工作条例》, the
committee positions created and ended in one transaction, and the term end derived from the
organization kind's allowed lengths (``organizations.terms``) and stored on the organization,
where the 换届 reminder reads it."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from members import positions
from members.models import Election, ElectionCandidate, ElectionMethod, Member, PartyStatus, Position
from members.models.position import COMMITTEE_POSITIONS
from organizations import services as org_services
from organizations.models import Organization

# 《中国共产党基层组织选举工作条例》: 差额选举 candidates exceed seats by at least 20%.
COMPETITIVE_MARGIN = 0.2


@dataclass
class CandidateInput:
    member: Member
    votes: int
    post: str = ""  # the committee post when elected ("" = not elected)


def required_candidates(seats: int, method: str) -> int:
    """差额: at least seats × 1.2 (rounded up) candidates; 等额: exactly as many as seats."""
    if method == ElectionMethod.COMPETITIVE:
        return max(seats + 1, math.ceil(seats * (1 + COMPETITIVE_MARGIN)))
    return seats


def _check_counts(*, method, seats, voters_entitled, voters_present, candidates) -> None:
    if seats < 1:
        raise ValidationError({"seats": _("Enter at least one seat.")})
    if voters_present > voters_entitled:
        raise ValidationError({"voters_present": _("More voters present than entitled to vote.")})
    needed = required_candidates(seats, method)
    if method == ElectionMethod.COMPETITIVE and len(candidates) < needed:
        raise ValidationError(
            {
                "candidates": _(
                    "A competitive election for %(seats)d seats needs at least %(n)d candidates (20%% more)."
                )
                % {"seats": seats, "n": needed}
            }
        )
    if method == ElectionMethod.NON_COMPETITIVE and len(candidates) != seats:
        raise ValidationError({"candidates": _("A non-competitive election has as many candidates as seats.")})


def _check_candidates(*, organization, voters_present, candidates) -> None:
    seen = set()
    for c in candidates:
        if c.member.pk in seen:
            raise ValidationError({"candidates": _("%(member)s is listed twice.") % {"member": c.member.name}})
        seen.add(c.member.pk)
        if c.member.branch_id != organization.pk:
            raise ValidationError(
                {
                    "candidates": _("%(member)s does not belong to %(org)s.")
                    % {"member": c.member.name, "org": organization.name}
                }
            )
        if c.member.party_status == PartyStatus.PROBATIONARY:
            # 党章 第七条: a probationary member has no right to be elected.
            raise ValidationError(
                {
                    "candidates": _("%(member)s is a probationary member and cannot be a candidate.")
                    % {"member": c.member.name}
                }
            )
        if c.votes > voters_present:
            raise ValidationError(
                {"votes": _("%(member)s received more votes than voters present.") % {"member": c.member.name}}
            )
        if c.post and c.post not in COMMITTEE_POSITIONS:
            raise ValidationError({"post": _("Not an elected committee post: %(post)s") % {"post": c.post}})


def _check_elected(*, seats, voters_present, candidates) -> None:
    elected = [c for c in candidates if c.post]
    if not elected:
        raise ValidationError({"candidates": _("Choose who was elected.")})
    if len(elected) > seats:
        raise ValidationError({"candidates": _("More people elected than seats.")})
    for c in elected:
        # 《中国共产党基层组织选举工作条例》: elected needs more than half of the votes of the voters present.
        if c.votes * 2 <= voters_present:
            raise ValidationError(
                {
                    "votes": _(
                        "%(member)s received no more than half of the votes of the voters present and is not elected."
                    )
                    % {"member": c.member.name}
                }
            )
    posts = [c.post for c in elected]
    if len(posts) != len(set(posts)):
        raise ValidationError({"post": _("Each post is filled by one person.")})


@transaction.atomic
def election_record(
    *,
    organization: Organization,
    term_number: int,
    held_on: datetime.date,
    method: str,
    seats: int,
    voters_entitled: int,
    voters_present: int,
    candidates: list[CandidateInput],
    approved_on: datetime.date | None = None,
    term_ends_on: datetime.date | None = None,
) -> Election:
    """Record an election: validate (margin, votes, majority, probationary candidates), end the old
    committee's positions on the new start date, create the new ones, and set the organization's
    ``elected_on`` / derived ``term_ends_on``. Nothing is saved when a rule fails."""
    if method not in ElectionMethod.values:
        raise ValidationError({"method": _("Unknown election method.")})
    _check_counts(
        method=method,
        seats=seats,
        voters_entitled=voters_entitled,
        voters_present=voters_present,
        candidates=candidates,
    )
    _check_candidates(organization=organization, voters_present=voters_present, candidates=candidates)
    _check_elected(seats=seats, voters_present=voters_present, candidates=candidates)
    if approved_on is not None and approved_on < held_on:
        raise ValidationError({"approved_on": _("The approval is before the election.")})
    if Election.objects.filter(organization=organization, term_number=term_number).exists():
        raise ValidationError({"term_number": _("This term number is already recorded.")})
    # The term starts on the election day; the term end is derived by organizations.terms.
    node = org_services.organization_update(organization=organization, elected_on=held_on, term_ends_on=term_ends_on)
    current = Position.objects.filter(organization=organization, kind__in=COMMITTEE_POSITIONS).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=held_on)
    )
    for old in current.filter(started_on__lt=held_on):
        positions.position_update(position=old, ended_on=held_on - datetime.timedelta(days=1))
    election = Election.objects.create(
        organization=organization,
        term_number=term_number,
        held_on=held_on,
        method=method,
        seats=seats,
        voters_entitled=voters_entitled,
        voters_present=voters_present,
        approved_on=approved_on,
        term_ends_on=node.term_ends_on,
    )
    for c in candidates:
        ElectionCandidate.objects.create(
            election=election, member=c.member, votes=c.votes, elected=bool(c.post), post=c.post
        )
        if c.post:
            positions.position_create(member=c.member, organization=organization, kind=c.post, started_on=held_on)
    return election


def overdue_branches(branches, today: datetime.date):
    """Branches whose term has ended without a new election (逾期未换届)."""
    return branches.filter(term_ends_on__lt=today)
