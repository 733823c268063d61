"""Two workers at once (threads, PostgreSQL): exactly the same scores, points and reminders as
one run. Skipped on SQLite, where the database file lock serializes writers anyway."""

import datetime
import threading

import pytest
from django.db import connection, connections

from members.models import PointsEntry
from members.points import award_points
from organizations.models import BranchScore, Reminder
from organizations.reminders import run_reminders
from organizations.scoring import score_branches
from tests.scoring.conftest import Q3, build_world

# Transactional (threads need committed data); the autouse conftest fixture re-installs the
# migration defaults (rubric, rules) after the previous test's flush.
pytestmark = pytest.mark.django_db(transaction=True)


def _skip_on_sqlite():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL")


def _twice_at_once(func):
    errors, barrier = [], threading.Barrier(2)

    def run():
        try:
            barrier.wait(timeout=10)
            func()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors


def test_scoring_two_workers_equal_one():
    _skip_on_sqlite()
    build_world()
    score_branches(period=Q3)
    once = sorted(BranchScore.objects.values_list("branch_id", "total", "stars"))
    BranchScore.objects.all().delete()
    _twice_at_once(lambda: score_branches(period=Q3))
    assert sorted(BranchScore.objects.values_list("branch_id", "total", "stars")) == once


def test_points_and_reminders_two_workers_equal_one():
    _skip_on_sqlite()
    build_world()
    today = datetime.date(2026, 9, 24)
    _twice_at_once(lambda: (award_points(), run_reminders(today=today, send=False)))
    points = sorted(PointsEntry.objects.values_list("member_id", "kind", "source_id", "points"))
    reminders = sorted(Reminder.objects.values_list("subject_type_id", "subject_id", "reason", "status"))
    award_points()
    run_reminders(today=today, send=False)
    assert sorted(PointsEntry.objects.values_list("member_id", "kind", "source_id", "points")) == points
    assert sorted(Reminder.objects.values_list("subject_type_id", "subject_id", "reason", "status")) == reminders
    assert len(points) == 4
