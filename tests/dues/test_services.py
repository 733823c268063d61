import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from members.dues import funds, ledger, standards
from members.models import DuesBracket, DuesPayment, DuesStandard
from tests.factories import make_dues_member

JAN = datetime.date(2026, 1, 1)


def std():
    return DuesStandard.objects.get(code="2008")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "category,base,expected",
    [
        ("in_service", "3000", "15.00"),  # the bound is in the lower bracket: 0.5%
        ("in_service", "3000.01", "30.00"),
        ("in_service", "5000", "50.00"),
        ("in_service", "5000.01", "75.00"),
        ("in_service", "10000", "150.00"),
        ("in_service", "10000.01", "200.00"),
        ("retired", "5000", "25.00"),
        ("retired", "5000.01", "50.00"),
        ("farmer", "0", "0.20"),
        ("student", "0", "0.20"),
        ("hardship", "0", "0.20"),
    ],
)
def test_brackets_include_upper_bound(category, base, expected):
    amount, _bracket = standards.compute_monthly(std(), category, Decimal(base))
    assert amount == Decimal(expected)


@pytest.mark.django_db
def test_standard_cites_the_2008_rules():
    s = std()
    assert "党费收缴、使用和管理的规定" in s.citation
    assert DuesBracket.objects.filter(standard=s).count() == 9


def test_base_refuses_bad_input(tree):
    m = make_dues_member(tree["branch_a"])
    with pytest.raises(ValidationError) as e:
        standards.dues_base_set(member=m, valid_from=datetime.date(2026, 3, 1), category="in_service", income_base="-1")
    assert "income_base" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        standards.dues_base_set(
            member=m, valid_from=datetime.date(2026, 3, 1), category="in_service", income_base="abc"
        )
    assert "income_base" in e.value.message_dict
    with pytest.raises(ValidationError) as e:  # less than the standard
        standards.dues_base_set(
            member=m,
            valid_from=datetime.date(2026, 3, 1),
            category="in_service",
            income_base="4000",
            monthly_amount="1",
        )
    assert "monthly_amount" in e.value.message_dict
    with pytest.raises(ValidationError) as e:  # in service cannot be exempted
        standards.dues_base_set(
            member=m, valid_from=datetime.date(2026, 3, 1), category="in_service", income_base="4000", exempt=True
        )
    assert "exempt" in e.value.message_dict
    more = standards.dues_base_set(
        member=m, valid_from=datetime.date(2026, 3, 1), category="in_service", income_base="4000", monthly_amount="100"
    )
    assert more.monthly_amount == Decimal("100.00") and more.computed_amount == Decimal("40.00")


def test_payment_and_double_payment(tree):
    m = make_dues_member(tree["branch_a"])
    entries = ledger.payment_record(member=m, months=[JAN, datetime.date(2026, 2, 1)], paid_on=JAN, method="cash")
    assert [e.amount for e in entries] == [Decimal("40.00")] * 2
    with pytest.raises(ValidationError) as e:
        ledger.payment_record(
            member=m, months=[datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)], paid_on=JAN, method="cash"
        )
    assert "2026-02" in str(e.value.message_dict["months"])
    assert DuesPayment.objects.filter(member=m).count() == 2  # nothing saved
    with pytest.raises(ValidationError) as e:
        ledger.payment_record(member=m, months=[datetime.date(2026, 4, 1)], paid_on=JAN, method="online")
    assert "reference" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        ledger.payment_record(member=m, months=[datetime.date(2026, 4, 1)], paid_on=JAN, method="cash", amount="-5")
    assert "amount" in e.value.message_dict


def test_correction_is_a_reversing_entry(tree):
    m = make_dues_member(tree["branch_a"])
    (p,) = ledger.payment_record(member=m, months=[JAN], paid_on=JAN, method="cash")
    rev = ledger.payment_reverse(payment=p, reason="录错", on=JAN)
    assert rev.amount == Decimal("-40.00") and rev.reverses == p
    p.refresh_from_db()
    assert p.amount == Decimal("40.00")
    with pytest.raises(ValidationError):
        ledger.payment_reverse(payment=p, reason="again")
    # the month is unpaid again and may be paid anew
    ledger.payment_record(member=m, months=[JAN], paid_on=JAN, method="cash")
    assert ledger.paid_months(m, [JAN]) == {JAN}


def test_probationary_pays_from_admission(tree):
    m = make_dues_member(tree["branch_a"], admitted_on=datetime.date(2026, 3, 15), party_status="probationary")
    with pytest.raises(ValidationError):
        ledger.payment_record(member=m, months=[datetime.date(2026, 2, 1)], paid_on=JAN, method="cash")
    rows = ledger.member_figures([tree["branch_a"].pk], JAN, datetime.date(2026, 12, 1))
    assert rows[0][2] == 10  # March to December


def test_arrears_months(tree):
    m = make_dues_member(tree["branch_a"])
    ledger.payment_record(member=m, months=[JAN, datetime.date(2026, 2, 1)], paid_on=JAN, method="cash")
    today = datetime.date(2026, 6, 20)
    assert ledger.arrears([tree["branch_a"].pk], today=today, months_back=6) == {m.pk: 4}
    unpaid = ledger.unpaid_this_month([tree["branch_a"].pk], datetime.date(2026, 6, 1))
    assert unpaid == [(m.pk, tree["branch_a"].pk, Decimal("40.00"))]


def test_fund_balance_never_negative(tree):
    branch = tree["branch_a"]
    with pytest.raises(ValidationError) as e:
        funds.spending_create(branch=branch, spent_on=JAN, purpose="慰问", amount="1")
    assert "amount" in e.value.message_dict
    funds.allocation_create(
        branch=branch, allocated_by_org=tree["street"], kind="returned_dues", amount="1000", allocated_on=JAN
    )
    funds.spending_create(branch=branch, spent_on=JAN, purpose="慰问", amount="600.50")
    assert funds.fund_balance(branch) == Decimal("399.50")
    with pytest.raises(ValidationError):
        funds.fund_draw(branch=branch, amount="400", spent_on=JAN, purpose="项目", source_label="项目")
    assert funds.fund_balance(branch) == Decimal("399.50")
    with pytest.raises(ValidationError) as e:  # a community does not allocate
        funds.allocation_create(
            branch=branch, allocated_by_org=tree["community_a"], kind="start_up", amount="5", allocated_on=JAN
        )
    assert "allocated_by_org" in e.value.message_dict


def test_receipt_checked_by_bytes(tree):
    branch = tree["branch_a"]
    funds.allocation_create(
        branch=branch, allocated_by_org=tree["district"], kind="start_up", amount="50", allocated_on=JAN
    )
    fake = SimpleUploadedFile("r.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as e:
        funds.spending_create(branch=branch, spent_on=JAN, purpose="x", amount="1", receipt=fake)
    assert "receipt" in e.value.message_dict
    ok = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    s = funds.spending_create(branch=branch, spent_on=JAN, purpose="x", amount="1", receipt=ok)
    assert s.receipt_type == "application/pdf"


def _csv(rows):
    lines = ["姓名,金额,缴纳方式,凭证号"] + [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def test_import_all_or_nothing_with_row_numbers(tree):
    from members.dues.importer import import_month

    a = make_dues_member(tree["branch_a"], name="王一")
    make_dues_member(tree["branch_a"], name="王二")
    bad = _csv(
        [["王一", "", "现金", ""], ["无此人", "", "现金", ""], ["王二", "-3", "现金", ""], ["王一", "", "现金", ""]]
    )
    report = import_month(branch=tree["branch_a"], month=JAN, data=bad, filename="m.csv")
    rows = dict(report.errors)
    assert set(rows) == {3, 4, 5} and "姓名" in rows[3] and "金额" in rows[4] and "所缴月份" in rows[5]
    assert DuesPayment.objects.count() == 0
    good = _csv([["王一", "", "现金", ""], ["王二", "50", "线上缴纳", "WX123"]])
    report = import_month(branch=tree["branch_a"], month=JAN, data=good, filename="m.csv")
    assert report.ok and report.created == 2
    assert ledger.paid_months(a, [JAN]) == {JAN}


def test_statistics_block_for_a_subtree(tree):
    from core.periods import Period
    from members.dues.statistics import dues_part

    a = make_dues_member(tree["branch_a"])
    make_dues_member(tree["branch_b"])
    ledger.payment_record(member=a, months=[JAN], paid_on=JAN, method="cash")
    funds.allocation_create(
        branch=tree["branch_a"], allocated_by_org=tree["street"], kind="start_up", amount="9", allocated_on=JAN
    )
    from organizations.models import Organization

    nodes = [Organization.objects.get(pk=tree[k].pk) for k in ("street", "community_a")]  # fresh tree fields
    out = dues_part(nodes, Period(JAN, datetime.date(2026, 1, 31)))
    assert out[tree["community_a"].pk]["dues.rate"] == 1.0
    assert out[tree["street"].pk]["dues.rate"] == 0.5 and out[tree["street"].pk]["dues.in_arrears"] == 1
    assert out[tree["street"].pk]["dues.paid"] == Decimal("40.00")
    assert out[tree["community_a"].pk]["dues.funds_allocated"] == Decimal("9.00")


def test_embedded_default_figures_equal_the_sql(tree):
    """``make run`` (SQLite) reads the dues figures in Python: they equal the PostgreSQL query's,
    with a reversal, a base change, a late admission and a member without a base."""
    a = make_dues_member(tree["branch_a"])
    (p,) = ledger.payment_record(member=a, months=[JAN], paid_on=JAN, method="cash")
    ledger.payment_reverse(payment=p, reason="录错", on=JAN)
    ledger.payment_record(member=a, months=[datetime.date(2026, 3, 1)], paid_on=JAN, method="cash")
    standards.dues_base_set(member=a, valid_from=datetime.date(2026, 5, 1), category="retired", income_base="6000")
    make_dues_member(tree["branch_a"], admitted_on=datetime.date(2026, 4, 10), party_status="probationary")
    make_dues_member(tree["branch_b"], valid_from=datetime.date(2026, 7, 1))
    branches = [tree["branch_a"].pk, tree["branch_b"].pk]
    end = datetime.date(2026, 9, 1)
    sql = sorted(ledger.member_figures(branches, JAN, end))
    python = sorted(ledger._member_figures_in_python(branches, JAN, end))
    assert len(sql) == 3
    assert [tuple(map(str, r)) for r in python] == [tuple(map(str, r)) for r in sql]
