"""The counting rules of an election, shared by a branch's 换届选举 (``members.elections.services``)
and an owners' committee's 换届 (``committees.elections``): the 差额 margin, voters present
within those entitled, votes within the voters present, elected within the seats and by more
than half of the voters present. Pure functions on plain figures; each raises a Chinese
ValidationError keyed by the input field."""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from members.models import ElectionMethod

# 《中国共产党基层组织选举工作条例》: 差额选举 candidates exceed seats by at least 20%.
COMPETITIVE_MARGIN = 0.2


@dataclass
class Ballot:
    """One candidate's result: who, the votes received, the post when elected ("" = not elected)."""

    name: str
    votes: int
    post: str = ""


def required_candidates(seats: int, method: str) -> int:
    """差额: at least seats × 1.2 (rounded up) candidates; 等额: exactly as many as seats."""
    if method == ElectionMethod.COMPETITIVE:
        return max(seats + 1, math.ceil(seats * (1 + COMPETITIVE_MARGIN)))
    return seats


def check_counts(*, method, seats, voters_entitled, voters_present, candidates: Collection) -> None:
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


def check_votes(*, voters_present: int, ballots: Sequence[Ballot]) -> None:
    for b in ballots:
        if b.votes > voters_present:
            raise ValidationError(
                {"votes": _("%(member)s received more votes than voters present.") % {"member": b.name}}
            )


def check_elected(
    *, seats: int, voters_present: int, ballots: Sequence[Ballot], shared_posts: Collection[str] = ()
) -> None:
    """Someone elected, no more than the seats, each by more than half of the voters present;
    each post filled by one person except ``shared_posts`` (e.g. a committee's ordinary members)."""
    elected = [b for b in ballots if b.post]
    if not elected:
        raise ValidationError({"candidates": _("Choose who was elected.")})
    if len(elected) > seats:
        raise ValidationError({"candidates": _("More people elected than seats.")})
    for b in elected:
        # 《中国共产党基层组织选举工作条例》: elected needs more than half of the votes of the voters present.
        if b.votes * 2 <= voters_present:
            raise ValidationError(
                {
                    "votes": _(
                        "%(member)s received no more than half of the votes of the voters present and is not elected."
                    )
                    % {"member": b.name}
                }
            )
    posts = [b.post for b in elected if b.post not in shared_posts]
    if len(posts) != len(set(posts)):
        raise ValidationError({"post": _("Each post is filled by one person.")})
