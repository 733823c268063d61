import datetime
import io

import openpyxl
from django.test import Client

from members.dues import funds, ledger
from members.models import DuesPayment, FundSpending
from organizations.models import Role
from tests.factories import make_dues_member, make_user

JAN = datetime.date(2026, 1, 1)


def test_api_payment_and_scope(tree, staff_a, staff_b, api_client_for):
    m = make_dues_member(tree["branch_a"])
    client = api_client_for(staff_a)
    r = client.post(
        "/api/v1/dues/payments/",
        {"member": m.pk, "months": ["2026-01-01", "2026-02-01"], "paid_on": "2026-02-03", "method": "cash"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert [row["amount"] for row in r.json()] == ["40.00", "40.00"]
    # double payment: 400 naming the field, nothing saved
    r = client.post(
        "/api/v1/dues/payments/",
        {"member": m.pk, "months": ["2026-02-01"], "paid_on": "2026-02-03", "method": "cash"},
        format="json",
    )
    assert r.status_code == 400 and "months" in r.json()["errors"]
    r = client.post(
        "/api/v1/dues/payments/",
        {"member": m.pk, "months": ["2026-03-01"], "paid_on": "2026-02-03", "method": "cash", "amount": "abc"},
        format="json",
    )
    assert r.status_code == 400 and "amount" in r.json()["errors"]
    assert DuesPayment.objects.count() == 2
    # the other community sees nothing and cannot pay for this member
    other = api_client_for(staff_b)
    assert other.get("/api/v1/dues/payments/").json()["count"] == 0
    r = other.post(
        "/api/v1/dues/payments/",
        {"member": m.pk, "months": ["2026-03-01"], "paid_on": "2026-02-03", "method": "cash"},
        format="json",
    )
    assert r.status_code == 400 and "member" in r.json()["errors"]
    # no edits, no deletes
    pid = DuesPayment.objects.first().pk
    assert client.patch(f"/api/v1/dues/payments/{pid}/", {"amount": "1"}, format="json").status_code in (403, 405)
    assert client.delete(f"/api/v1/dues/payments/{pid}/").status_code in (403, 405)
    r = client.post(f"/api/v1/dues/payments/{pid}/reverse/", {"note": "录错"}, format="json")
    assert r.status_code == 201 and r.json()["amount"].startswith("-")


def test_api_funds(tree, district_admin, staff_b, api_client_for):
    client = api_client_for(district_admin)
    r = client.post(
        "/api/v1/funds/allocations/",
        {
            "branch": tree["branch_a"].pk,
            "allocated_by_org": tree["district"].pk,
            "kind": "returned_dues",
            "amount": "500.00",
            "allocated_on": "2026-01-05",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    r = client.post(
        "/api/v1/funds/spendings/",
        {"branch": tree["branch_a"].pk, "spent_on": "2026-01-06", "purpose": "慰问", "amount": "600.00"},
        format="json",
    )
    assert r.status_code == 400 and "amount" in r.json()["errors"]
    assert FundSpending.objects.count() == 0
    balances = client.get("/api/v1/funds/balances/").json()["results"]
    assert [b["balance"] for b in balances] == ["500.00"]
    assert api_client_for(staff_b).get("/api/v1/funds/balances/").json()["count"] == 0


def test_admin_pages_and_export(tree, staff_a, admin_client_for):
    m = make_dues_member(tree["branch_a"], name="张三")
    ledger.payment_record(member=m, months=[JAN], paid_on=JAN, method="cash")
    client = admin_client_for(staff_a)
    for url in (
        "/admin/members/duespayment/",
        "/admin/members/duesbase/",
        "/admin/members/branchfund/",
        "/admin/members/fundallocation/",
        "/admin/members/fundspending/",
        "/admin/members/duespayment/add/",
    ):
        assert client.get(url).status_code == 200, url
    html = client.get("/admin/members/duespayment/").content.decode()
    assert "张三" in html and "党费" in html
    # a double payment is a form error, nothing saved
    r = client.post(
        "/admin/members/duespayment/add/",
        {"member": m.pk, "month": "2026-01-01", "paid_on": "2026-01-10", "method": "cash", "amount": ""},
    )
    assert r.status_code == 200 and "已缴" in r.content.decode()
    r = client.post(
        "/admin/members/duespayment/add/",
        {"member": m.pk, "month": "2026-02-01", "paid_on": "2026-02-10", "method": "cash", "amount": ""},
    )
    assert r.status_code == 302
    assert DuesPayment.objects.filter(member=m).count() == 2
    ids = list(DuesPayment.objects.values_list("pk", flat=True))
    r = client.post("/admin/members/duespayment/", {"action": "export_year", "_selected_action": ids})
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = list(book.active.values)
    assert rows[1][1] == "张三" and rows[1][-1] == 80


def test_no_admin_deletes(tree, admin_client_for):
    admin_user = make_user("sysadmin", tree["district"], Role.DISTRICT_ADMIN, is_superuser=True)
    client = admin_client_for(admin_user)
    from members.models import DuesStandard

    std = DuesStandard.objects.get(code="2008")
    html = client.get(f"/admin/members/duesstandard/{std.pk}/change/").content.decode()
    assert "DELETE" not in html and "-DELETE" not in html
    assert client.get(f"/admin/members/duesstandard/{std.pk}/delete/").status_code in (302, 403)


def test_admin_spending_refused_beyond_balance(tree, district_admin, admin_client_for):
    funds.allocation_create(
        branch=tree["branch_a"], allocated_by_org=tree["street"], kind="start_up", amount="10", allocated_on=JAN
    )
    client = admin_client_for(district_admin)
    r = client.post(
        "/admin/members/fundspending/add/",
        {"branch": tree["branch_a"].pk, "spent_on": "2026-01-02", "purpose": "买茶叶", "amount": "20.00"},
    )
    assert r.status_code == 200 and "10.00" in r.content.decode()
    assert FundSpending.objects.count() == 0


def test_phone_page_shows_who_has_not_paid(tree):
    from django.utils import timezone

    month = timezone.localdate().replace(day=1)
    secretary = make_user("sec_a", tree["branch_a"], Role.BRANCH_SECRETARY)
    payer = make_dues_member(tree["branch_a"], name="已交者", valid_from=month)
    make_dues_member(tree["branch_a"], name="未交者", valid_from=month)
    make_dues_member(tree["branch_b"], name="别支部", valid_from=month)
    ledger.payment_record(member=payer, months=[month], paid_on=month, method="cash")
    client = Client()
    client.force_login(secretary)
    html = client.get(f"/branch/{tree['branch_a'].pk}/dues/").content.decode()
    unpaid_part = html.split("已交者")[0] if html.index("未交者") < html.index("已交者") else ""
    assert "未交者" in unpaid_part and "别支部" not in html
    assert client.get(f"/branch/{tree['branch_b'].pk}/dues/").status_code == 404
