"""The dues summaries (members.dues.rollup) never disagree with the raw ledger: after every write
path they equal a full recomputation, and the statistics read from them equal the figures
``ledger.member_figures`` computes over the raw rows, for a month, a quarter, a year, a free
range and a period reaching past every month anyone has written."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from core.periods import Period
from members import services as member_services
from members.dues import ledger, rollup, standards
from members.dues.statistics import KEYS, _add, _branches, dues_part
from members.models import DuesArrearsSpan, DuesPayment, DuesRollup
from organizations.models import Organization
from tests.factories import make_dues_member

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
PERIODS = (
    Period.year(2026),
    Period.year(2027),  # no payments yet: every month due and unpaid
    Period.month(2026, 3),
    Period.quarter(2026, 2),
    Period(datetime.date(2025, 11, 15), datetime.date(2026, 4, 10)),  # from before any base
    Period(datetime.date(2026, 5, 20), datetime.date(2030, 2, 1)),
)
DUES_KEYS = [k for k in KEYS if not k.startswith("dues.funds")]


def raw_part(nodes, period):
    out = {n.pk: {k: (Decimal("0.00") if k in ("dues.due", "dues.paid") else 0) for k in DUES_KEYS} for n in nodes}
    branches = _branches(nodes)
    for _m, branch_id, due_m, due_amt, paid_m, paid_amt in ledger.member_figures(branches, period.start, period.end):
        values = {
            "dues.due": due_amt,
            "dues.paid": paid_amt,
            "dues.due_months": due_m,
            "dues.paid_months": paid_m,
            "dues.in_arrears": int(paid_m < due_m),
        }
        _add(out, nodes, branches[branch_id], values)
    return out


def assert_in_step(tree):
    assert rollup.differences() == []
    nodes = [Organization.objects.get(pk=node.pk) for node in tree.values()]  # fresh nested-set bounds
    for period in PERIODS:
        expected = raw_part(nodes, period)
        got = dues_part(nodes, period)
        assert {pk: {k: v[k] for k in DUES_KEYS} for pk, v in got.items()} == expected, period
        for node in nodes[:3]:  # each node alone (the single-node path)
            alone = dues_part([node], period)[node.pk]
            assert {k: alone[k] for k in DUES_KEYS} == expected[node.pk], (period, node)


@pytest.fixture
def dues(tree):
    a, b = tree["branch_a"], tree["branch_b"]
    people = {
        "a1": make_dues_member(a),
        "a2": make_dues_member(a, admitted_on=datetime.date(2026, 4, 10), party_status="probationary"),
        "a3": make_dues_member(a, category="hardship", income="0"),
        "b1": make_dues_member(b, valid_from=datetime.date(2026, 3, 1)),
        "b2": make_dues_member(b, admitted_on=None),
    }
    ledger.payment_record(member=people["a1"], months=[JAN, datetime.date(2026, 2, 1)], paid_on=JAN, method="cash")
    ledger.payment_record(member=people["b1"], months=[datetime.date(2026, 3, 1)], paid_on=JAN, method="cash")
    ledger.payment_record(member=people["a3"], months=[JAN], paid_on=JAN, method="cash")
    return people


def test_payment_keeps_the_summary_in_step(tree, dues):
    assert_in_step(tree)
    ledger.payment_record(
        member=dues["a2"], months=[datetime.date(2026, 4, 1), datetime.date(2026, 6, 1)], paid_on=JAN, method="cash"
    )
    assert_in_step(tree)
    # paying the gap joins the runs of unpaid months
    ledger.payment_record(member=dues["a1"], months=[datetime.date(2026, 3, 1)], paid_on=JAN, method="cash")
    assert_in_step(tree)


def test_reversal(tree, dues):
    payment = DuesPayment.objects.filter(member=dues["a1"], month=JAN).get()
    ledger.payment_reverse(payment=payment, reason="录错", on=JAN)
    assert_in_step(tree)
    ledger.payment_record(member=dues["a1"], months=[JAN], paid_on=JAN, method="cash", amount="99")
    assert_in_step(tree)


def test_base_change_and_exemption(tree, dues):
    standards.dues_base_set(
        member=dues["a1"], valid_from=datetime.date(2026, 5, 1), category="retired", income_base="6000"
    )
    assert_in_step(tree)
    standards.dues_base_set(
        member=dues["a3"], valid_from=datetime.date(2026, 6, 1), category="hardship", income_base="0", exempt=True
    )
    assert_in_step(tree)
    # a base before the first one, and one before admission
    standards.dues_base_set(member=dues["b1"], valid_from=datetime.date(2025, 12, 1), category="student")
    standards.dues_base_set(member=dues["a2"], valid_from=datetime.date(2026, 2, 1), category="student")
    assert_in_step(tree)


def test_month_import(tree, dues):
    from members.dues.importer import import_month

    names = [dues[k].name for k in ("a1", "a2", "a3")]
    data = ("姓名,金额,缴纳方式,凭证号\n" + "".join(f"{n},,现金,\n" for n in names)).encode()
    report = import_month(branch=tree["branch_a"], month=datetime.date(2026, 5, 1), data=data, filename="m.csv")
    assert report.ok and report.created == 3, report.errors
    assert DuesRollup.objects.get(branch=tree["branch_a"], month=datetime.date(2026, 5, 1)).paid_months == 3
    assert_in_step(tree)
    # an import that fails leaves the summary as it was
    bad = ("姓名,金额,缴纳方式,凭证号\n" + f"{names[0]},,现金,\n无此人,,现金,\n").encode()
    assert not import_month(branch=tree["branch_a"], month=datetime.date(2026, 7, 1), data=bad, filename="m.csv").ok
    assert_in_step(tree)


def test_member_leaving_transfer_and_admission_edit(tree, dues):
    member_services.member_transfer(member=dues["a1"], branch=tree["branch_b"])
    assert_in_step(tree)
    member_services.member_update(member=dues["b1"], admitted_on=datetime.date(2026, 6, 3))
    assert_in_step(tree)
    member_services.member_update(member=dues["a2"], admitted_on=datetime.date(2026, 1, 3))
    assert_in_step(tree)
    member_services.member_transfer_out(member=dues["b2"], on=datetime.date(2026, 7, 1))
    assert not DuesArrearsSpan.objects.filter(member=dues["b2"]).exists()
    assert_in_step(tree)
    member_services.member_mark_deceased(member=dues["a3"], on=datetime.date(2026, 7, 1))
    assert_in_step(tree)


def test_roster_import_moving_a_member(tree):
    from members import crypto
    from members.roster import import_members
    from organizations.models import Role
    from tests.factories import make_user
    from tests.members.helpers import roster_csv

    birth = datetime.date(1960, 5, 17)
    id_number = crypto.make_id_number("500108", birth, 78)
    member = make_dues_member(tree["branch_a"], id_number=id_number, birth_date=birth, name="导入党员")
    ledger.payment_record(member=member, months=[JAN], paid_on=JAN, method="cash")
    row = ["导入党员", "男", id_number, "13900000078", "正式党员", "2026-03-01", "2027-03-01", "离退休"]
    report = import_members(
        data=roster_csv([[*row, tree["branch_b"].name, ""]]),
        filename="roster.csv",
        update_existing=True,
        user=make_user("dues_rollup_admin", tree["district"], Role.DISTRICT_ADMIN),
        today=datetime.date(2026, 6, 1),
    )
    assert report.saved and report.updated == 1, report.errors
    assert_in_step(tree)


def test_rebuild_is_idempotent_and_the_check_reports_differences(tree, dues):
    def snapshot():
        return (
            sorted(r for r in DuesRollup.objects.values_list("branch_id", "month", *rollup.FIGURES) if any(r[2:])),
            sorted(DuesArrearsSpan.objects.values_list("member_id", "first_month", "last_month")),
        )

    before = snapshot()
    call_command("rebuild_rollups")
    assert snapshot() == before  # what the writes kept is what a rebuild computes
    rows = DuesRollup.objects.count()
    call_command("rebuild_rollups")
    assert snapshot() == before and DuesRollup.objects.count() == rows
    call_command("check_rollups")
    DuesRollup.objects.filter(branch=tree["branch_a"]).delete()  # e.g. rows loaded around the services
    DuesArrearsSpan.objects.filter(member=dues["b1"]).delete()
    with pytest.raises(CommandError, match="党费汇总有"):
        call_command("check_rollups")
    call_command("rebuild_rollups")
    assert_in_step(tree)
