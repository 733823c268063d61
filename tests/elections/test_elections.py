import datetime

import pytest
from django.core.exceptions import ValidationError

from members.elections.services import CandidateInput, election_record, overdue_branches, required_candidates
from members.models import Election, ElectionMethod, Position, PositionKind
from organizations.models import Organization
from tests.factories import make_party_member

DAY = datetime.date(2024, 3, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def branch(tree):
    return tree["branch_a"]


def _record(branch, candidates, *, method=ElectionMethod.COMPETITIVE, seats=3, present=20, held_on=DAY, term=1, **kw):
    return election_record(
        organization=branch,
        term_number=term,
        held_on=held_on,
        method=method,
        seats=seats,
        voters_entitled=kw.pop("entitled", 22),
        voters_present=present,
        candidates=candidates,
        **kw,
    )


def _slate(branch, n=4):
    members = [make_party_member(branch) for _ in range(n)]
    posts = [PositionKind.SECRETARY, PositionKind.ORGANIZATION, PositionKind.PUBLICITY]
    return members, [
        CandidateInput(m, votes=15 if i < 3 else 5, post=posts[i] if i < 3 else "") for i, m in enumerate(members)
    ]


def test_margin_rule():
    assert required_candidates(3, ElectionMethod.COMPETITIVE) == 4
    assert required_candidates(5, ElectionMethod.COMPETITIVE) == 6
    assert required_candidates(10, ElectionMethod.COMPETITIVE) == 12


def test_competitive_needs_more_candidates(branch):
    _members, slate = _slate(branch, 3)
    with pytest.raises(ValidationError) as exc:
        _record(branch, slate)
    assert "candidates" in exc.value.message_dict
    assert not Election.objects.exists()


def test_votes_above_present_refused(branch):
    _members, slate = _slate(branch)
    slate[0].votes = 21
    with pytest.raises(ValidationError) as exc:
        _record(branch, slate)
    assert "votes" in exc.value.message_dict


def test_elected_needs_more_than_half(branch):
    _members, slate = _slate(branch)
    slate[0].votes = 10  # exactly half of 20 present
    with pytest.raises(ValidationError) as exc:
        _record(branch, slate)
    assert "votes" in exc.value.message_dict


def test_probationary_candidate_refused(branch):
    _members, slate = _slate(branch)
    slate[3] = CandidateInput(make_party_member(branch, probationary=True), votes=3)
    with pytest.raises(ValidationError) as exc:
        _record(branch, slate)
    assert "probationary" in str(exc.value) or "预备" in str(exc.value)


def test_positions_created_and_ended_and_term_derived(branch):
    members, slate = _slate(branch)
    first = _record(branch, slate)
    assert first.term_ends_on == datetime.date(2029, 3, 1)  # default 5 years for a compound branch
    branch = Organization.objects.get(pk=branch.pk)
    assert branch.term_ends_on == first.term_ends_on and branch.elected_on == DAY
    assert Position.objects.filter(organization=branch, ended_on__isnull=True).count() == 3

    new_day = datetime.date(2029, 2, 20)
    _m2, slate2 = _slate(branch)
    _record(branch, slate2, held_on=new_day, term=2)
    old = Position.objects.filter(member__in=members[:3], organization=branch)
    assert {p.ended_on for p in old} == {new_day - datetime.timedelta(days=1)}
    current = Position.objects.filter(organization=branch, ended_on__isnull=True)
    assert current.count() == 3
    assert current.filter(kind=PositionKind.SECRETARY).count() == 1
    assert Organization.objects.get(pk=branch.pk).term_ends_on == datetime.date(2034, 2, 20)


def test_term_end_not_allowed_refused(branch):
    _members, slate = _slate(branch)
    with pytest.raises(ValidationError) as exc:
        _record(branch, slate, term_ends_on=datetime.date(2026, 3, 1))
    assert "term_ends_on" in exc.value.message_dict
    assert not Position.objects.exists()


def test_non_competitive_and_overdue(branch, tree):
    members = [make_party_member(branch) for _ in range(3)]
    posts = [PositionKind.SECRETARY, PositionKind.ORGANIZATION, PositionKind.PUBLICITY]
    slate = [CandidateInput(m, votes=18, post=p) for m, p in zip(members, posts, strict=True)]
    _record(branch, slate, method=ElectionMethod.NON_COMPETITIVE, held_on=datetime.date(2020, 1, 5))
    overdue = overdue_branches(Organization.objects.all(), datetime.date(2026, 12, 1))
    assert list(overdue) == [Organization.objects.get(pk=branch.pk)]
