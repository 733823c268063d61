"""The roster round trip and the file traps, through the admin pages a clerk uses (export,
upload → preview → confirm), the import command and the API."""

import datetime
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from members import crypto, fields, services
from members.models import Member
from members.roster import import_members, template_rows
from members.roster.columns import EXAMPLE_NAME
from organizations import services as org_services
from tests.conftest import skip_or_fail
from tests.factories import RosterMemberFactory
from tests.members.helpers import good_rows, roster_csv

CHANGELIST = "/admin/members/member/"
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def place(tree):
    compound = org_services.compound_save(name="华城国际小区", community=tree["community_a"], branch=tree["branch_a"])
    building = org_services.building_save(compound=compound, name="3栋", group=tree["group_a"])
    return compound, building


@pytest.fixture
def residents(tree, place):
    """Members with every roster field filled, a different value in each where a field allows it."""
    compound, building = place
    full = RosterMemberFactory(
        branch=tree["branch_a"],
        name="王秀兰",
        phone="13800000001",
        ethnicity="03",
        education="college",
        admitted_on=datetime.date(1990, 7, 1),
        full_member_on=datetime.date(1991, 7, 1),
        occupation_status="in_service",
        employer="重庆市南岸区第一中学",
        group=tree["group_a"],
        home_organization_name="市第一中学党委",
        compound=compound,
        building=building,
        unit="2",
        room="1502",
        reported_on=datetime.date(2025, 3, 1),
        note="腿脚不便，组织生活需上门",
    )
    probationary = RosterMemberFactory(
        branch=tree["branch_a"],
        name="李建华",
        phone="13900000002",
        party_status="probationary",
        admitted_on=datetime.date(2025, 9, 1),
        probation_extension_months=6,
        occupation_status="retired",
        compound=compound,
        unit="1",
        room="301",
    )
    floating = services.member_mark_floating(
        member=RosterMemberFactory(branch=tree["branch_a"], name="赵刚", note="在深圳务工"),
        direction="out",
        place="广东省深圳市",
        since=datetime.date(2025, 1, 15),
    )
    return [full, probationary, floating]


def importable(member: Member) -> dict:
    """Every field the roster carries, as stored (personal data decrypted)."""
    values = {f.key: getattr(member, f.key) for f in fields.IMPORT_FIELDS if f.kind not in (fields.PII, fields.NODE)}
    values |= {f"{f.key}_id": getattr(member, f"{f.key}_id") for f in fields.IMPORT_FIELDS if f.kind == fields.NODE}
    values |= {
        f.key: crypto.decrypt(getattr(member, f"{f.key}_encrypted")) for f in fields.IMPORT_FIELDS if f.sensitive
    }
    values |= {
        "home_organization_name": member.home_organization_name,
        "floating_since": member.floating_since,
        "probation_due_on": member.probation_due_on,
        "management_mode": member.management_mode,
    }
    return values


def upload(client, content: bytes, name: str, *, update: bool):
    file = io.BytesIO(content)
    file.name = name
    data = {"file": file} | ({"update_existing": "1"} if update else {})
    return client.post(f"{CHANGELIST}import/", data)


def sheet_rows(content: bytes, index: int = 0) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [list(r) for r in book.worksheets[index].iter_rows(values_only=True)]


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_export_carries_every_column_the_importer_reads(tree, residents, district_admin, admin_client_for):
    content = admin_client_for(district_admin).get(f"{CHANGELIST}export/", {"full": "1"}).content
    header = sheet_rows(content)[0]
    assert [f.header for f in fields.IMPORT_FIELDS] == header[: len(fields.IMPORT_FIELDS)]
    for column in ("居住小区", "楼栋", "单元", "房号", "备注"):
        assert column in header


def test_round_trip_export_unmasked_then_reimport_keeps_every_field(tree, residents, district_admin, admin_client_for):
    client = admin_client_for(district_admin)
    before = {m.pk: importable(Member.objects.get(pk=m.pk)) for m in residents}
    content = client.get(f"{CHANGELIST}export/", {"full": "1"}).content
    preview = upload(client, content, "导出.xlsx", update=True)
    report = preview.context["report"]
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 3)
    assert client.post(f"{CHANGELIST}import/", {"confirm": "1"}).status_code == 302
    after = {m.pk: importable(Member.objects.get(pk=m.pk)) for m in residents}
    assert after == before
    assert before[residents[0].pk]["room"] == "1502" and before[residents[0].pk]["compound"] is not None


def test_edited_export_changes_only_what_was_edited(tree, residents, district_admin, admin_client_for):
    client = admin_client_for(district_admin)
    content = client.get(f"{CHANGELIST}export/", {"full": "1"}).content
    rows = sheet_rows(content)
    header = rows[0]
    target = next(r for r in rows[1:] if r[0] == "王秀兰")
    target[header.index("房号")] = "1503"
    assert upload(client, xlsx(rows), "改.xlsx", update=True).context["report"].ok
    client.post(f"{CHANGELIST}import/", {"confirm": "1"})
    member = Member.objects.get(name="王秀兰")
    assert member.room == "1503" and member.unit == "2" and member.note == "腿脚不便，组织生活需上门"
    assert member.compound.name == "华城国际小区" and member.building.name == "3栋"


def test_update_changes_only_the_columns_in_the_file(tree, residents, staff_a, admin_client_for):
    """A file with only the required columns and 学历 leaves 居住小区/楼栋/单元/房号/备注,
    the phone and the rest as they are."""
    member = residents[0]
    before = importable(Member.objects.get(pk=member.pk))
    header = ["姓名", "身份证号", "党员类别", "所在支部", "学历"]
    row = [member.name, crypto.decrypt(member.id_number_encrypted), "正式党员", tree["branch_a"].name, "本科"]
    client = admin_client_for(staff_a)
    assert upload(client, roster_csv([row], header=header), "少数列.csv", update=True).context["report"].ok
    client.post(f"{CHANGELIST}import/", {"confirm": "1"})
    after = importable(Member.objects.get(pk=member.pk))
    assert after.pop("education") == "bachelor" and before.pop("education") == "college"
    assert after == before


def test_partial_update_still_checks_the_rules_against_the_stored_member(tree, residents, staff_a):
    """转正日期 left out of the file: the stored admission date is what the new date is checked against."""
    member = residents[0]
    header = ["姓名", "身份证号", "党员类别", "所在支部", "入党日期"]
    row = [member.name, crypto.decrypt(member.id_number_encrypted), "正式党员", tree["branch_a"].name, "1995-01-01"]
    report = import_members(data=roster_csv([row], header=header), update_existing=True, user=staff_a, today=TODAY)
    assert [(e.row, e.column) for e in report.errors] == [(2, "转正日期")]
    assert Member.objects.get(pk=member.pk).admitted_on == datetime.date(1990, 7, 1)


def test_masked_export_is_refused_for_reimport(tree, residents, district_admin, admin_client_for):
    client = admin_client_for(district_admin)
    content = client.get(f"{CHANGELIST}export/").content
    assert "脱敏" in sheet_rows(content, 1)[1][0]
    before = {m.pk: importable(Member.objects.get(pk=m.pk)) for m in residents}
    response = upload(client, content, "脱敏.xlsx", update=True)
    message = response.context["file_error"]
    assert "身份证号" in message and "脱敏" in message and "第 2 行" in message
    assert "member_import" not in client.session
    assert {m.pk: importable(Member.objects.get(pk=m.pk)) for m in residents} == before


def test_masked_phone_column_refused_but_dropping_it_keeps_the_phones(
    tree, residents, district_admin, admin_client_for
):
    client = admin_client_for(district_admin)
    rows = sheet_rows(client.get(f"{CHANGELIST}export/", {"full": "1"}).content)
    phone = rows[0].index("手机号")
    rows[1][phone] = crypto.mask_phone(rows[1][phone])
    assert "手机号" in upload(client, xlsx(rows), "a.xlsx", update=True).context["file_error"]
    without_phone = [r[:phone] + r[phone + 1 :] for r in rows]
    assert upload(client, xlsx(without_phone), "b.xlsx", update=True).context["report"].ok
    client.post(f"{CHANGELIST}import/", {"confirm": "1"})
    assert crypto.decrypt(Member.objects.get(name="王秀兰").phone_encrypted) == "13800000001"


def test_template_example_row_is_skipped_with_a_notice(tree, staff_a, admin_client_for):
    client = admin_client_for(staff_a)
    content = client.get(f"{CHANGELIST}import/template/").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["党员名册", "填写说明"]
    notes = sheet_rows(content, 1)
    assert "示例" in notes[1][0] and "跳过" in notes[1][1]
    rows = sheet_rows(content)
    assert rows[1][0] == EXAMPLE_NAME
    header = [h.rstrip("*") for h in rows[0]]
    real = dict.fromkeys(header, "")
    real.update(
        {
            "姓名": "周敏",
            "身份证号": crypto.make_id_number("500108", datetime.date(1972, 4, 5), 31),
            "党员类别": "正式党员",
            "所在支部": tree["branch_a"].name,
        }
    )
    rows.append([real[h] for h in header])
    response = upload(client, xlsx(rows), "模板.xlsx", update=False)
    report = response.context["report"]
    assert report.ok and report.created == 1 and report.total == 1
    assert "示例" in report.notices[0] and "第 2 行" in report.notices[0]
    assert "示例行" in response.content.decode()
    client.post(f"{CHANGELIST}import/", {"confirm": "1"})
    assert list(Member.objects.values_list("name", flat=True)) == ["周敏"]


def test_example_row_of_an_older_template_is_skipped_too(tree, tmp_path):
    """Templates downloaded before the row was marked wrote 张三 with the example ID number."""
    header, (example,) = template_rows()
    example[0] = "张三"
    real = ["周敏", crypto.make_id_number("500108", datetime.date(1972, 4, 5), 31), "正式党员", tree["branch_a"].name]
    index = [h.rstrip("*") for h in header]
    row = dict.fromkeys(index, "") | dict(zip(["姓名", "身份证号", "党员类别", "所在支部"], real, strict=True))
    path = tmp_path / "old.xlsx"
    path.write_bytes(xlsx([header, example, [row[h] for h in index]]))
    out = io.StringIO()
    call_command("import_members", str(path), stdout=out)
    assert "第 2 行是模板中的示例行（张三），已跳过" in out.getvalue()
    assert list(Member.objects.values_list("name", flat=True)) == ["周敏"]


def test_template_with_only_the_example_row_has_no_members(tree, staff_a, admin_client_for):
    client = admin_client_for(staff_a)
    content = client.get(f"{CHANGELIST}import/template/").content
    message = upload(client, content, "模板.xlsx", update=False).context["file_error"]
    assert message and Member.objects.count() == 0


def digit_ids(count: int) -> list[str]:
    """Valid ID numbers without a final X (those a spreadsheet can turn into numbers)."""
    ids = (crypto.make_id_number("500108", datetime.date(1960 + n, 5, 17), n) for n in range(40))
    return [i for i in ids if i.isdigit()][:count]


def numeric_id_roster(tree) -> bytes:
    """What LibreOffice/WPS make of a CSV roster: the ID numbers become number cells (as floats:
    15 significant digits), the phones exact integers."""
    rows = [["姓名", "身份证号", "党员类别", "所在支部", "手机号"]]
    for i, id_number in enumerate(digit_ids(3)):
        rows.append([f"成员{i}", float(id_number), "正式党员", tree["branch_a"].name, int(f"1390000000{i}")])
    return xlsx(rows)


def test_numeric_id_cells_are_named_as_number_format(tree, staff_a, admin_client_for):
    response = upload(admin_client_for(staff_a), numeric_id_roster(tree), "名册.xlsx", update=False)
    errors = response.context["report"].errors
    assert errors and all(e.column == "身份证号" for e in errors)
    assert str(errors[0]) == "第 2 行，“身份证号”列：单元格是数字格式，请把该列设为文本后重新导入"
    assert Member.objects.count() == 0


def test_numeric_cells_through_the_command(tree, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(numeric_id_roster(tree))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_members", str(path), stderr=err)
    assert "第 3 行，“身份证号”列：单元格是数字格式" in err.getvalue()


def test_number_cells_that_lost_nothing_import(tree):
    """A mobile number (11 digits) survives a number cell; only the ID numbers are refused."""
    ids = digit_ids(2)
    header = ["姓名", "身份证号", "党员类别", "所在支部", "手机号"]
    rows = [
        [f"钱{i}", id_number, "正式党员", tree["branch_a"].name, 13900000010 + i] for i, id_number in enumerate(ids)
    ]
    report = import_members(data=xlsx([header, *rows]), filename="a.xlsx", today=TODAY)
    assert report.ok and report.saved
    assert crypto.decrypt(Member.objects.get(name="钱1").phone_encrypted) == "13900000011"


def test_scientific_text_from_a_csv_is_named_too(tree):
    rows = good_rows(tree["branch_a"], 2)
    rows[1][2] = "5.00108196001016E+17"
    report = import_members(data=roster_csv(rows), filename="a.csv", today=TODAY)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "身份证号", "单元格是数字格式，请把该列设为文本后重新导入")
    ]


def test_api_shows_every_spec_field(tree, residents, district_admin, api_client_for):
    client = api_client_for(district_admin)
    data = client.get(f"/api/v1/members/{residents[0].pk}/").json()
    assert set(fields.api_fields()) <= set(data)
    assert data["room"] == "1502" and data["phone"] == "138****0001"
    content = client.get("/api/v1/members/", {"format": "xlsx"}).content
    header = sheet_rows(content)[0]
    assert len(header) >= len(fields.api_fields())
    cells = str(sheet_rows(content))
    assert "1502" in cells and "腿脚不便" in cells
    assert "13800000001" not in cells and "138****0001" in cells


def test_spec_and_services_agree_on_the_settable_fields():
    assert set(fields.service_fields()) == set(services.MEMBER_FIELDS)


def test_a_roster_saved_by_libreoffice_from_csv(tree, tmp_path):
    """The clerk opens the CSV in LibreOffice Calc and saves it as .xlsx: the ID numbers become
    numbers (5.00108196001016e+17); the import says so instead of "check digit wrong"."""
    soffice = shutil.which("soffice")
    if soffice is None:
        skip_or_fail("LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui")
    lines = ["姓名,身份证号,党员类别,所在支部"]
    lines += [f"成员{i},{id_number},正式党员,{tree['branch_a'].name}" for i, id_number in enumerate(digit_ids(2))]
    source = tmp_path / "名册.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    report = import_members(data=(tmp_path / "名册.xlsx").read_bytes(), filename="名册.xlsx", today=TODAY)
    assert [str(e) for e in report.errors] == [
        f"第 {row} 行，“身份证号”列：单元格是数字格式，请把该列设为文本后重新导入" for row in (2, 3)
    ]
    assert Member.objects.count() == 0


def test_every_member_field_is_in_the_spec():
    """A field added to the model without a line in the spec would miss the roster, the API and the admin."""
    stored = {f.name for f in Member._meta.concrete_fields}
    internal = {"id", "created_at", "updated_at", "home_organization_name"}
    internal |= {f"{key}_{part}" for key in fields.SENSITIVE_KEYS for part in ("encrypted", "hash", "masked")}
    assert stored - internal == {f.key for f in fields.FIELDS if f.kind != fields.PII}


def test_import_page_says_what_an_update_changes(tree, staff_a, admin_client_for):
    html = admin_client_for(staff_a).get(f"{CHANGELIST}import/").content.decode()
    assert "只改动文件中有的列" in html and "脱敏导出的名册不能再导入" in html
