"""Recording a branch's 换届选举 (election): the rules of 《中国共产党基层组织选举工作条例》, the
committee positions created and ended in one transaction, and the term end derived from the
organization kind's allowed lengths (``organizations.terms``) and stored on the organization,
where the 换届 reminder reads it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from members import positions
from members.elections import rules
from members.elections.rules import COMPETITIVE_MARGIN, required_candidates  # noqa: F401
from members.models import Election, ElectionCandidate, ElectionMethod, Member, PartyStatus, Position
from members.models.position import COMMITTEE_POSITIONS
from organizations import services as org_services
from organizations.models import Organization


@dataclass
class CandidateInput:
    member: Member
    votes: int
    post: str = ""  # the committee post when elected ("" = not elected)


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
        rules.check_votes(voters_present=voters_present, ballots=[rules.Ballot(c.member.name, c.votes)])
        if c.post and c.post not in COMMITTEE_POSITIONS:
            raise ValidationError({"post": _("Not an elected committee post: %(post)s") % {"post": c.post}})


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
    rules.check_counts(
        method=method,
        seats=seats,
        voters_entitled=voters_entitled,
        voters_present=voters_present,
        candidates=candidates,
    )
    _check_candidates(organization=organization, voters_present=voters_present, candidates=candidates)
    rules.check_elected(
        seats=seats,
        voters_present=voters_present,
        ballots=[rules.Ballot(c.member.name, c.votes, c.post) for c in candidates],
    )
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
