"""Two transfers of one member at once (two threads, real transactions on PostgreSQL): exactly one
letter is opened; two accepts of one letter: the member moves once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from members.models import MemberEventKind, Transfer
from members.transfers import services
from tests.factories import RosterMemberFactory, make_transfer, make_tree

pytestmark = pytest.mark.django_db(transaction=True)


def _race(funcs):
    barrier = threading.Barrier(len(funcs))
    results = []

    def run(func):
        try:
            barrier.wait()
            results.append(("ok", func()))
        except ValidationError as exc:
            results.append(("refused", exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in funcs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(kind for kind, _ in results)


def test_two_transfers_of_one_member_at_once():
    tree = make_tree("并")
    member = RosterMemberFactory(branch=tree["branch_a"])
    outcome = _race(
        [
            lambda: services.transfer_create(member=member, to_organization=tree["branch_b"]),
            lambda: services.transfer_create(member=member, kind="out", to_name="外省某党委"),
        ]
    )
    assert outcome == ["ok", "refused"]
    assert Transfer.objects.filter(member=member).count() == 1


def test_two_accepts_of_one_letter_move_the_member_once():
    tree = make_tree("并")
    member = RosterMemberFactory(branch=tree["branch_a"])
    transfer = make_transfer(member, tree["branch_b"], issue=True)
    outcome = _race([lambda: services.transfer_accept(transfer=transfer) for _ in range(2)])
    assert outcome == ["ok", "refused"]
    member.refresh_from_db()
    assert member.branch_id == tree["branch_b"].pk
    assert member.events.filter(kind=MemberEventKind.TRANSFERRED).count() == 1
