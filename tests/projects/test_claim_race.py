"""Two members claiming the same micro-wish at the same moment: exactly one wins (PostgreSQL,
real threads and connections)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from organizations import services as org_services
from projects import services
from projects.exceptions import Conflict
from projects.models import MicroWish
from tests.factories import MemberFactory, make_tree
from tests.projects.conftest import TODAY


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL (SQLite serializes writers)")
    tree = make_tree("并发")
    compound = org_services.compound_save(name="并发小区", community=tree["community_a"], branch=tree["branch_a"])
    members = [
        MemberFactory(branch=tree["branch_a"], name=f"党员{i}", occupation_status="in_service") for i in range(6)
    ]
    wish = services.wish_publish(
        community=tree["community_a"], compound=compound, resident_name="张桂芳", content="修水龙头", published_on=TODAY
    )
    barrier = threading.Barrier(len(members))
    outcomes = []
    lock = threading.Lock()

    def claim(member):
        try:
            barrier.wait()
            services.wish_claim(wish=wish, member=member, now=timezone.now() + datetime.timedelta(seconds=0))
            result = ("won", member.pk)
        except Conflict:
            result = ("lost", member.pk)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=claim, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [pk for outcome, pk in outcomes if outcome == "won"]
    assert len(outcomes) == len(members)
    assert len(winners) == 1
    fresh = MicroWish.objects.get(pk=wish.pk)
    assert fresh.status == "claimed" and fresh.claimed_by_id == winners[0]
