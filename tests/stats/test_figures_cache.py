"""The figures cache: keyed by the scope node, never shared across subtrees, fresh after a write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import NumberedMemberFactory

P = {"from": "2026-01-01", "to": "2026-06-30"}
OVERVIEW = "/api/v1/stats/overview/"


def _total(client, **params):
    r = client.get(OVERVIEW, {**P, **params})
    assert r.status_code == 200, r.content
    return r.json()["organization"]["id"], r.json()["figures"]["members.total"]


@pytest.fixture
def clients(stats_data, staff_a, staff_b, api_client_for):
    return api_client_for(staff_a), api_client_for(staff_b)


def test_two_users_of_different_subtrees_never_share_figures(stats_data, clients):
    a, b = clients
    assert _total(a) == (stats_data["community_a"].pk, 3)
    assert _total(b) == (stats_data["community_b"].pk, 2)
    # Warm for both, then again in the other order: each still gets its own subtree.
    assert _total(b) == (stats_data["community_b"].pk, 2)
    assert _total(a) == (stats_data["community_a"].pk, 3)
    # The cached entry of A's node is not reachable by B.
    assert b.get(OVERVIEW, {**P, "org": stats_data["community_a"].pk}).status_code in (403, 404)


def test_second_read_is_served_from_the_cache(stats_data, clients):
    a, _b = clients
    with CaptureQueriesContext(connection) as cold:
        _total(a)
    with CaptureQueriesContext(connection) as warm:
        _total(a)
    assert len(warm) < len(cold)


def test_a_write_makes_the_next_read_fresh(stats_data, clients):
    a, b = clients
    assert _total(a)[1] == 3
    assert _total(b)[1] == 2
    NumberedMemberFactory(branch=stats_data["branch_a"])
    assert _total(a)[1] == 4
    assert _total(b)[1] == 2


def test_the_dashboard_reads_fresh_figures_after_a_write(stats_data, staff_a, client):
    client.force_login(staff_a)
    first = client.get("/dashboard/", P)
    assert first.status_code == 200
    assert 'data-figure="members.total" data-value="3"' in first.content.decode()
    NumberedMemberFactory(branch=stats_data["branch_a"])
    assert 'data-figure="members.total" data-value="4"' in client.get("/dashboard/", P).content.decode()


def test_requests_missing_the_same_entry_compute_it_once():
    """Right after a write many requests miss the same entry: one computes, the others wait for it."""
    import threading

    from core.periods import Period
    from core.statistics.cache import cached_payload

    started, release, calls, results = threading.Event(), threading.Event(), [], []

    def compute():
        calls.append(1)
        started.set()
        release.wait(5)
        return {"n": 42}

    period = Period.year(2026)
    first = threading.Thread(target=lambda: results.append(cached_payload("test-once", 987654, period, compute)))
    first.start()
    assert started.wait(5)
    waiters = [
        threading.Thread(target=lambda: results.append(cached_payload("test-once", 987654, period, compute)))
        for _ in range(3)
    ]
    for t in waiters:
        t.start()
    release.set()
    for t in (first, *waiters):
        t.join(10)
    assert results == [{"n": 42}] * 4
    assert len(calls) == 1


def test_a_failed_computation_releases_the_entry():
    from core.periods import Period
    from core.statistics.cache import cached_payload

    def broken():
        raise ValueError("boom")

    with pytest.raises(ValueError):
        cached_payload("test-fail", 987655, Period.year(2026), broken)
    assert cached_payload("test-fail", 987655, Period.year(2026), lambda: {"ok": 1}) == {"ok": 1}


def test_a_write_leaves_the_blocks_it_cannot_change_cached(stats_data):
    """A meeting recorded changes organizational life, not 党费 or the branch structure: those
    blocks keep their cached figures; a member's write changes them and they are recomputed."""
    import datetime

    from django.utils import timezone

    from core.periods import Period
    from core.statistics.framework import STAT_BLOCKS, compute_figures
    from members.meetings import meeting_record
    from members.models import MeetingKind

    district = stats_data["district"]
    period = Period.year(2026)
    blocks = [STAT_BLOCKS["dues"], STAT_BLOCKS["structure"], STAT_BLOCKS["members"]]

    def queries_per_block():
        out = {}
        for block in blocks:
            with CaptureQueriesContext(connection) as ctx:
                compute_figures([district], period, [block])
            out[block.name] = len(ctx.captured_queries)
        return out

    member = NumberedMemberFactory(branch=stats_data["branch_a"])
    queries_per_block()
    assert queries_per_block() == {"dues": 0, "structure": 0, "members": 0}
    meeting_record(
        organization=stats_data["branch_a"],
        kind=MeetingKind.THEME_DAY,
        held_at=timezone.make_aware(datetime.datetime(2026, 5, 20, 19)),
        topic="主题党日",
        attendance=[{"member": member.pk, "status": "present"}],
    )
    after_meeting = queries_per_block()
    assert after_meeting["dues"] == after_meeting["structure"] == 0
    assert after_meeting["members"] > 0  # 失联 and organizational life are judged from meetings
    NumberedMemberFactory(branch=stats_data["branch_b"])
    assert all(n > 0 for n in queries_per_block().values())
