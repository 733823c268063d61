"""Admin of transfers and floating records (scoped lists, add through the service, actions) and
the statistics block."""

import datetime

import pytest
from django.utils import timezone

from core.periods import Period
from members.models import Transfer, TransferState
from members.transfers import floating, services
from members.transfers.statistics import floating_part, in_part, out_part
from organizations.models import Organization
from tests.factories import RosterMemberFactory, make_floating, make_transfer

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/members/transfer/"


def today():
    # Read at each use: a suite that runs past midnight (local time) must not compare with the
    # day it was collected on.
    return timezone.localdate()


def test_changelist_scoped_with_filters(tree, staff_a, staff_b, admin_client_for):
    mine = make_transfer(RosterMemberFactory(branch=tree["branch_a"], name="甲党员"), kind="out", to_name="外省某党委")
    make_transfer(RosterMemberFactory(branch=tree["branch_b"], name="乙党员"), kind="out", to_name="外省某党委")
    page = admin_client_for(staff_a).get(CHANGELIST, {"open": "1"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "甲党员" in body and "乙党员" not in body
    assert admin_client_for(staff_b).get(f"{CHANGELIST}{mine.pk}/change/").status_code in (302, 404)


def test_add_form_errors_in_chinese_nothing_saved(tree, district_admin, admin_client_for):
    member = RosterMemberFactory(branch=tree["branch_a"])
    client = admin_client_for(district_admin)
    response = client.post(
        f"{CHANGELIST}add/", {"kind": "within", "member": member.pk, "to_organization": tree["branch_a"].pk}
    )
    assert response.status_code == 200
    assert "已在该支部" in response.content.decode()
    assert not Transfer.objects.exists()
    done = client.post(
        f"{CHANGELIST}add/", {"kind": "within", "member": member.pk, "to_organization": tree["branch_b"].pk}
    )
    assert done.status_code == 302
    assert Transfer.objects.get().state == TransferState.DRAFT


def test_issue_and_return_actions(tree, staff_a, admin_client_for):
    transfer = make_transfer(RosterMemberFactory(branch=tree["branch_a"]), tree["branch_b"])
    client = admin_client_for(staff_a)
    client.post(CHANGELIST, {"action": "issue", "_selected_action": [transfer.pk]})
    transfer.refresh_from_db()
    assert transfer.state == TransferState.DRAFT  # no letter number: refused with a message
    services.transfer_issue(transfer=transfer, letter_number="X9")
    response = client.post(CHANGELIST, {"action": "return_letter", "_selected_action": [transfer.pk]}, follow=True)
    transfer.refresh_from_db()
    assert transfer.state == TransferState.RETURNED and "已退回 1 份介绍信" in response.content.decode()


def test_floating_admin_lists_and_closes(tree, staff_a, admin_client_for):
    record = make_floating(RosterMemberFactory(branch=tree["branch_a"], name="流动党员甲"))
    client = admin_client_for(staff_a)
    assert "流动党员甲" in client.get("/admin/members/floatingrecord/").content.decode()
    client.post("/admin/members/floatingrecord/", {"action": "returned_today", "_selected_action": [record.pk]})
    record.refresh_from_db()
    assert record.returned_on == today()


def test_statistics_per_subtree_and_period(tree):
    moved = make_transfer(RosterMemberFactory(branch=tree["branch_a"]), tree["branch_b"], issue=True)
    services.transfer_accept(transfer=moved)
    make_transfer(RosterMemberFactory(branch=tree["branch_a"]), kind="out", to_name="外省某党委", issue=True)
    record = make_floating(RosterMemberFactory(branch=tree["branch_a"]))
    make_floating(RosterMemberFactory(branch=tree["branch_b"]), "in")
    period = Period.containing(today(), "month")
    nodes = list(Organization.objects.filter(pk__in=[tree[k].pk for k in ("community_a", "community_b", "street")]))
    nodes.sort(key=lambda n: [tree["community_a"].pk, tree["community_b"].pk, tree["street"].pk].index(n.pk))
    values = {}
    for part in (out_part, in_part, floating_part):
        for pk, row in part(nodes, period).items():
            values.setdefault(pk, {}).update(row)
    a, b, street = (values[n.pk] for n in nodes)
    assert (a["transfers.out_within"], a["transfers.in_flight"], a["transfers.floating_out"]) == (1, 1, 1)
    assert (b["transfers.received"], b["transfers.floating_in"], b.get("transfers.out_within", 0)) == (1, 1, 0)
    assert (street["transfers.out_within"], street["transfers.received"]) == (1, 1)
    last_year = Period.containing(today() - datetime.timedelta(days=400), "month")
    old = out_part([nodes[0]], last_year)[nodes[0].pk]
    assert old["transfers.out_within"] == 0
    floating.floating_return(record=record)
    assert floating_part([nodes[0]], period)[nodes[0].pk]["transfers.floating_out"] == 0
