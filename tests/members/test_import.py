import datetime
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from members import crypto
from members.models import Member, MemberEvent
from members.roster import ImportFileError, import_members, template_rows
from tests.factories import RosterMemberFactory
from tests.members.helpers import HEADER, good_rows, roster_csv

TODAY = datetime.date(2026, 6, 1)


def run(data, **kw):
    kw.setdefault("today", TODAY)
    return import_members(data=data, filename=kw.pop("filename", "roster.csv"), **kw)


def test_good_csv_saves_everything_encrypted(tree):
    report = run(roster_csv(good_rows(tree["branch_a"], 20, tree["group_a"].name)))
    assert report.ok and report.saved and report.created == 20
    member = Member.objects.get(name="成员3")
    assert member.group == tree["group_a"] and member.home_organization == tree["branch_a"]
    assert crypto.decrypt(member.phone_encrypted) == "13900000003"
    assert member.id_number_masked.count("*") == 11
    assert MemberEvent.objects.filter(kind="imported").count() == 20


def test_each_member_gets_its_own_encrypted_id_across_copy_chunks(tree, monkeypatch):
    """The rows are encrypted chunk by chunk while they stream to the database: every member
    must still carry its own ID number and phone, in the first, middle and last chunk."""
    monkeypatch.setattr("members.roster.save.COPY_CHUNK", 3)
    rows = good_rows(tree["branch_a"], 8)
    report = run(roster_csv(rows))
    assert report.saved and report.created == 8
    saved = {m.name: m for m in Member.objects.all()}
    for name, _gender, id_number, phone, *_rest in rows:
        member = saved[name]
        assert crypto.decrypt(member.id_number_encrypted) == id_number
        assert crypto.decrypt(member.phone_encrypted) == phone
        assert member.id_number_hash == crypto.keyed_hash(id_number)
    assert MemberEvent.objects.filter(kind="imported", member__in=saved.values()).count() == 8


def test_dry_run_counts_and_saves_nothing(tree):
    report = run(roster_csv(good_rows(tree["branch_a"], 5)), dry_run=True)
    assert report.ok and report.created == 5 and not report.saved
    assert Member.objects.count() == 0


def test_one_bad_row_in_1000_saves_nothing(tree):
    rows = good_rows(tree["branch_a"], 1000)
    rows[537][2] = "110105194912310021"  # wrong check digit
    report = run(roster_csv(rows))
    assert not report.saved and Member.objects.count() == 0
    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.row, error.column) == (539, "身份证号")  # header is row 1


@pytest.mark.parametrize(
    ("column", "value", "expected_column"),
    [
        (4, "积极分子", "党员类别"),  # unknown Chinese enum value
        (7, "打工", "职业状况"),
        (6, "1980-01-01", "转正日期"),  # 转正 before admission
        (5, "2020年13月1日", "入党日期"),
        (3, "12345", "手机号"),
        (0, "", "姓名"),
    ],
)
def test_each_bad_value_is_reported(tree, column, value, expected_column):
    rows = good_rows(tree["branch_a"], 3)
    rows[1][column] = value
    report = run(roster_csv(rows))
    assert not report.ok and Member.objects.count() == 0
    assert [(e.row, e.column) for e in report.errors] == [(3, expected_column)]


def test_duplicate_in_file_and_in_database(tree):
    rows = good_rows(tree["branch_a"], 3)
    rows[2][2] = rows[0][2]
    report = run(roster_csv(rows))
    assert [(e.row, e.column) for e in report.errors] == [(4, "身份证号")]
    assert "2" in report.errors[0].message
    existing = RosterMemberFactory(branch=tree["branch_b"], name="老党员")
    rows = good_rows(tree["branch_a"], 2)
    rows[1][2] = crypto.decrypt(existing.id_number_encrypted)
    rows[1][0] = "老党员"
    report = run(roster_csv(rows))
    assert len(report.errors) == 1 and "老党员" in report.errors[0].message
    assert Member.objects.count() == 1


def test_update_existing_members(tree, staff_a):
    run(roster_csv(good_rows(tree["branch_a"], 3)))
    rows = good_rows(tree["branch_a"], 4)
    rows[0][7] = "在职"
    report = run(roster_csv(rows), update_existing=True, user=staff_a)
    assert report.ok and (report.created, report.updated) == (1, 3)
    assert Member.objects.get(name="成员0").occupation_status == "in_service"


def test_branch_outside_scope_and_group_not_under_branch(tree, staff_a):
    rows = good_rows(tree["branch_a"], 2)
    rows[0][8] = tree["branch_b"].name
    rows[1][9] = "不存在的党小组"
    report = run(roster_csv(rows), user=staff_a)
    assert [(e.row, e.column) for e in report.errors] == [(2, "所在支部"), (3, "党小组")]
    rows = good_rows(tree["branch_b"], 1, tree["group_a"].name)
    report = run(roster_csv(rows))
    assert (
        report.errors[0].column == "党小组"
        and "不在" in report.errors[0].message
        or "not under" in report.errors[0].message
    )
    assert Member.objects.count() == 0


def test_org_option_limits_scope(tree):
    rows = good_rows(tree["branch_b"], 1)
    report = run(roster_csv(rows), org=tree["community_a"])
    assert report.errors[0].column == "所在支部"


def test_gbk_csv(tree):
    report = run(roster_csv(good_rows(tree["branch_a"], 3), encoding="gbk"))
    assert report.ok and Member.objects.filter(name="成员1").exists()


def test_xlsx_with_template_headers(tree):
    headers, _example = template_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    row = {h.rstrip("*"): "" for h in headers}
    row.update(
        {
            "姓名": "王芳",
            "身份证号": crypto.make_id_number("500108", datetime.date(1970, 1, 2), 7),
            "党员类别": "预备党员",
            "入党日期": datetime.datetime(2025, 7, 1),
            "所在支部": tree["branch_a"].code,
            "职业状况": "在职",
            "报到日期": "2025/8/1",
        }
    )
    sheet.append([row[h.rstrip("*")] for h in headers])
    buf = io.BytesIO()
    book.save(buf)
    report = run(buf.getvalue(), filename="roster.xlsx")
    assert report.ok, report.errors
    member = Member.objects.get(name="王芳")
    assert member.probation_due_on == datetime.date(2026, 7, 1) and member.reported_on == datetime.date(2025, 8, 1)


@pytest.mark.parametrize(
    ("data", "filename", "fragment"),
    [
        (b"", "a.csv", "empty"),
        (b"\x00\x01\x02binary\x00", "a.csv", "spreadsheet"),
        (b"PK\x03\x04broken", "a.xlsx", "xlsx"),
        (b"not a zip", "a.xlsx", "xlsx"),
        ("姓名,性别\n张三,男\n".encode(), "a.csv", "身份证号"),
        (",".join(HEADER).encode(), "a.csv", "no members"),
    ],
)
def test_unusable_files(db, data, filename, fragment):
    with pytest.raises(ImportFileError) as exc:
        import_members(data=data, filename=filename)
    message = str(exc.value)
    assert fragment in message or len(message) > 4  # translated messages are Chinese
    assert Member.objects.count() == 0


def test_missing_columns_names_them(db):
    with pytest.raises(ImportFileError) as exc:
        import_members(data="姓名,性别\n张三,男\n".encode(), filename="a.csv")
    assert "身份证号" in str(exc.value) and "所在支部" in str(exc.value)


def test_command_exit_codes(tree, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(roster_csv(good_rows(tree["branch_a"], 3)))
    call_command("import_members", str(good), "--dry-run")
    assert Member.objects.count() == 0
    call_command("import_members", str(good))
    assert Member.objects.count() == 3
    rows = good_rows(tree["branch_a"], 2)
    rows[1][4] = "积极分子"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(roster_csv(rows))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_members", str(bad), stderr=err)
    assert "第 3 行" in err.getvalue() or "Row 3" in err.getvalue()


@pytest.mark.django_db
def test_copy_insert_writes_constant_columns_once_per_line_and_keeps_nulls(tree):
    from members.models import MemberEvent, MemberEventKind
    from members.roster import copy_insert, fast_instance

    member = RosterMemberFactory(branch=tree["branch_a"])
    on = datetime.date(2026, 1, 2)

    def event(**values):
        return fast_instance(
            MemberEvent, {"member_id": member.pk, "kind": MemberEventKind.UPDATED, "occurred_on": on, **values}
        )

    many = [event(note=""), event(note="甲,乙\n丙"), event(note="", from_branch_id=tree["branch_a"].pk)]
    alone = [event(kind=MemberEventKind.IMPORTED)]  # one row: every column but the id is constant
    copy_insert(MemberEvent, many)
    copy_insert(MemberEvent, alone)
    stored = MemberEvent.objects.filter(pk__in=[e.pk for e in many + alone]).order_by("pk")
    assert [(e.kind, e.occurred_on, e.note, e.from_branch_id, e.confirmed_at) for e in stored] == [
        (MemberEventKind.UPDATED, on, "", None, None),
        (MemberEventKind.UPDATED, on, "甲,乙\n丙", None, None),
        (MemberEventKind.UPDATED, on, "", tree["branch_a"].pk, None),
        (MemberEventKind.IMPORTED, on, "", None, None),
    ]
