"""Scoring: breakdown equals hand numbers, idempotence, fixed query count, rollback on failure."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from organizations.models import BranchScore
from organizations.scoring import Period, score_branches
from organizations.scoring import service as scoring
from tests.factories import make_org
from tests.scoring.conftest import Q3

# Hand numbers for branch A in 2026-Q3 (see conftest.build_world).
EXPECTED = {
    "branch_formed": (4.0, "8"),  # 8 full members ≥ 3
    "committee_complete": (6.0, "3/4"),  # 8 ≥ 7 full → 4 posts, 3 held → 0.75 × 8
    "groups_cover_buildings": (3.0, "3/4"),  # 3 of 4 buildings in a group → 0.75 × 4
    "venue_six": (8.0, "5/6"),  # 5 of 六有 → threshold 5 → 8
    "three_meetings": (10.5, "6/8"),  # 大会1/1 支委2/3 小组3/3 党课0/1 → 0.75 × 14
    "theme_day": (6.7, "2/3"),  # July and September → 2/3 × 10
    "in_service_reported": (2.5, "1/2"),
    "floating_followed": (2.5, "1/2"),  # floating with a place yes, lost contact no
    "appraisal": (2.7, "6/9"),  # 6 of 9 active members appraised → 2/3 × 4
    "owners_committee_party_share": (0.0, ""),  # no owners' committee
    "joint_meetings": (2.0, "1"),  # 1 joint meeting → threshold 1 → 2
    "requests_on_time": (6.0, ""),  # nothing due → full
    "micro_wishes": (5.0, ""),  # none → full
    "agreements_in_force": (0.0, "0"),
    "projects_completed": (0.0, "0"),
}


def test_period_parse():
    assert Period.parse("2026-05").end.isoformat() == "2026-05-31"
    assert Period.parse("2026-Q3").start.isoformat() == "2026-07-01"
    assert Period.parse("2026").months == 12
    assert Period.previous(Period.parse("2026-10").start, "quarter").label == "2026-Q3"
    with pytest.raises(ValidationError):
        Period.parse("2026-Q5")


def test_breakdown_equals_hand_numbers(world):
    result = score_branches(period=Q3)
    assert result.branches == 2
    score = BranchScore.objects.get(branch=world["branch_a"], period=Q3)
    rows = {row["code"]: row for row in score.breakdown}
    assert len(rows) == 15
    for code, (points, fragment) in EXPECTED.items():
        assert rows[code]["points"] == points, (code, rows[code])
        assert fragment in rows[code]["figure"], (code, rows[code])
    assert score.total == Decimal("58.9")
    assert score.max_total == Decimal("100.0")
    assert score.stars == 1


def test_twice_equals_once(world):
    score_branches(period=Q3)
    first = list(BranchScore.objects.order_by("branch_id").values("id", "branch_id", "total", "breakdown", "stars"))
    score_branches(period=Q3)
    again = list(BranchScore.objects.order_by("branch_id").values("id", "branch_id", "total", "breakdown", "stars"))
    assert first == again
    assert BranchScore.objects.count() == 2


def test_query_count_does_not_grow_with_branches(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        score_branches(period=Q3)
    for _ in range(20):
        make_org("compound_branch", world["community_b"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = score_branches(period=Q3)
    assert result.branches == 22


def test_failure_midway_leaves_previous_state_and_retry_completes(world, monkeypatch):
    for _ in range(4):
        make_org("compound_branch", world["community_b"])
    monkeypatch.setattr(scoring, "UPSERT_BATCH", 2)
    real = scoring._write_batch
    calls = []

    def flaky(batch):
        calls.append(len(batch))
        real(batch)
        if len(calls) == 2:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(scoring, "_write_batch", flaky)
    with pytest.raises(RuntimeError):
        score_branches(period=Q3)
    assert BranchScore.objects.filter(period=Q3).count() == 0  # nothing half-written
    monkeypatch.setattr(scoring, "_write_batch", real)
    assert score_branches(period=Q3).branches == 6
    assert BranchScore.objects.filter(period=Q3).count() == 6


def test_subtree_scoring_and_ranks(world):
    score_branches(period=Q3, org=world["community_a"])  # a stale node object is fine
    assert list(BranchScore.objects.values_list("branch_id", flat=True)) == [world["branch_a"].pk]
    score_branches(period=Q3)
    ranked = scoring.ranked_scores(BranchScore.objects.filter(period=Q3)).order_by("rank")
    assert [(s.branch_id, s.rank) for s in ranked][0] == (world["branch_a"].pk, 1)
    community_b = type(world["community_b"]).objects.get(pk=world["community_b"].pk)
    only_b = scoring.ranked_scores(BranchScore.objects.in_subtree(community_b))
    assert [s.rank for s in only_b] == [1]


def test_old_scores_keep_their_rubric(world):
    """A new rubric version applies from its valid_from; earlier periods keep the old one."""
    import datetime

    from organizations.models import ScoringRubric

    score_branches(period=Q3)
    old = BranchScore.objects.get(branch=world["branch_a"], period=Q3)
    ScoringRubric.objects.create(name="新版", valid_from=datetime.date(2026, 10, 1), star_thresholds=[])
    score_branches(period=Q3)
    assert BranchScore.objects.get(pk=old.pk).rubric_id == old.rubric_id
    with pytest.raises(ValidationError):
        score_branches(period="2019")
