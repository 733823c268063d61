"""Points: from verified events only, never counted twice, manual adjustments audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import PointsEntry, PointsKind
from members.points import award_points, branch_points, leaderboard, points_adjust


def test_award_twice_counts_once(world):
    created = award_points()
    assert created[PointsKind.ATTENDANCE] == 4  # 4 present, 1 absent
    assert award_points() == {k: 0 for k in created}
    assert PointsEntry.objects.count() == 4
    assert set(PointsEntry.objects.values_list("points", flat=True)) == {2}
    assert PointsEntry.objects.first().occurred_on == datetime.date(2026, 7, 5)


def test_since_filters_and_unique_constraint(world):
    assert award_points(since=datetime.date(2026, 8, 1))[PointsKind.ATTENDANCE] == 0
    award_points()
    entry = PointsEntry.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            member=entry.member,
            kind=entry.kind,
            points=2,
            source_type=entry.source_type,
            source_id=entry.source_id,
            occurred_on=entry.occurred_on,
        )


def test_manual_adjustment_needs_reason_and_user(world, staff_a):
    m = world["members"][5]
    with pytest.raises(ValidationError) as exc:
        points_adjust(member=m, points=5, reason=" ", user=staff_a, occurred_on=datetime.date(2026, 9, 1))
    assert "reason" in exc.value.message_dict
    entry = points_adjust(
        member=m, points=5, reason="抗疫志愿服务", user=staff_a, occurred_on=datetime.date(2026, 9, 1)
    )
    assert entry.created_by == staff_a and entry.kind == PointsKind.MANUAL


def test_leaderboards(world, staff_a):
    award_points()
    points_adjust(
        member=world["members"][5], points=10, reason="表彰", user=staff_a, occurred_on=datetime.date(2026, 9, 1)
    )
    district = type(world["district"]).objects.get(pk=world["district"].pk)  # fresh nested-set values
    top = list(leaderboard(org=district)[:3])
    assert top[0] == world["members"][5] and top[0].points_total == 10
    assert top[1].points_total == 2
    branches = list(branch_points(org=district))
    assert branches[0] == world["branch_a"] and branches[0].points_total == 18
