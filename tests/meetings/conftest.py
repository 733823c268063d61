"""Fixtures of organizational life: committee positions, branch A, the clock of the tests."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from members.models import PositionKind
from tests.factories import PositionFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 20, 20, 0, tzinfo=TZ)
TODAY = NOW.date()


def make_committee(branch, members, on=datetime.date(2024, 1, 1)):
    kinds = [PositionKind.SECRETARY, PositionKind.ORGANIZATION, PositionKind.PUBLICITY]
    for member, kind in zip(members, kinds, strict=False):
        PositionFactory(member=member, organization=branch, kind=kind, started_on=on)


def at(month, day=10, hour=19, year=2026):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def branch(tree):
    return tree["branch_a"]
