"""The dues month import and the 党费收缴台账 export through the API: an xlsx upload recorded all
or nothing (row errors → 400 naming the row and the column), scoped to the caller's branches;
the ledger as xlsx per month and per year for ``org``'s subtree (outside the scope 404)."""

import datetime
import io

import openpyxl
import pytest

from members.models import DuesPayment
from organizations.models import Role
from tests.factories import make_dues_member, make_user

pytestmark = pytest.mark.django_db
IMPORT, LEDGER = "/api/v1/dues/imports/", "/api/v1/dues/ledger/"


def _xlsx(rows, header=("姓名", "金额", "缴纳方式", "凭证号")) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "党费2026-01.xlsx"
    return buffer


@pytest.fixture
def secretary(tree):
    return make_user("dues_sec_a", tree["branch_a"], Role.BRANCH_SECRETARY)


def test_import_is_all_or_nothing_with_row_errors(tree, secretary, api_client_for):
    make_dues_member(tree["branch_a"], name="王一")
    make_dues_member(tree["branch_a"], name="王二")
    client = api_client_for(secretary)
    bad = _xlsx([("王一", None, "现金", None), ("无此人", None, "现金", None), ("王二", -3, "现金", None)])
    response = client.post(IMPORT, {"branch": tree["branch_a"].pk, "month": "2026-01", "file": bad}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert [r["row"] for r in body["rows"]] == [3, 4]
    assert "姓名" in body["rows"][0]["message"] and "金额" in body["rows"][1]["message"]
    assert body["errors"]["file"][0].startswith("第 3 行")
    assert DuesPayment.objects.count() == 0
    good = _xlsx([("王一", None, "现金", None), ("王二", 50, "线上缴纳", "WX123")])
    response = client.post(
        IMPORT, {"branch": tree["branch_a"].pk, "month": "2026-01", "file": good}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 2
    assert set(DuesPayment.objects.values_list("month", flat=True)) == {datetime.date(2026, 1, 1)}


def test_import_refuses_another_branch_and_bad_month(tree, secretary, api_client_for):
    make_dues_member(tree["branch_b"], name="李四")
    client = api_client_for(secretary)
    outside = {"branch": tree["branch_b"].pk, "month": "2026-01", "file": _xlsx([("李四", None, "现金", None)])}
    response = client.post(IMPORT, outside, format="multipart")
    assert response.status_code == 400 and "branch" in response.json()["errors"]
    wrong = {"branch": tree["branch_a"].pk, "month": "2026-13", "file": _xlsx([])}
    response = client.post(IMPORT, wrong, format="multipart")
    assert response.status_code == 400 and "month" in response.json()["errors"]
    missing = client.post(IMPORT, {"branch": tree["branch_a"].pk, "month": "2026-01"}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["errors"]
    assert DuesPayment.objects.count() == 0


def _sheet(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def test_ledger_export_per_month_and_year_scoped(tree, staff_a, api_client_for):
    from members.dues import ledger

    mine = make_dues_member(tree["branch_a"], name="王一")
    make_dues_member(tree["branch_b"], name="外区党员")
    ledger.payment_record(
        member=mine, months=[datetime.date(2026, 1, 1)], paid_on=datetime.date(2026, 1, 5), method="cash"
    )
    client = api_client_for(staff_a)
    month = client.get(LEDGER, {"period": "2026-01"})
    assert month.status_code == 200 and month["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(month)
    assert "2026-01" in rows[0] and "2026-02" not in rows[0]
    names = [r[1] for r in rows[1:]]
    assert names == ["王一"]  # the other community's member is not in the caller's scope
    year = _sheet(client.get(LEDGER, {"period": "2026", "org": tree["branch_a"].pk}))
    assert "2026-12" in year[0] and [r[1] for r in year[1:]] == ["王一"]
    assert client.get(LEDGER, {"period": "2026", "org": tree["branch_b"].pk}).status_code == 404
    assert client.get(LEDGER, {"period": "2026-Q1"}).status_code == 400
    assert client.get(LEDGER, {"period": "xx"}).status_code == 400
    assert client.get(LEDGER, {"period": "2026", "org": "abc"}).status_code == 400
    assert client.get(LEDGER, {"period": "2026", "org": "9" * 30}).status_code == 400
    security = make_user("dues_security", tree["district"], Role.SECURITY_ADMIN)
    assert api_client_for(security).get(LEDGER, {"period": "2026"}).status_code == 403
