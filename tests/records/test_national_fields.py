"""The national record fields through the field spec: the round trip (export unmasked →
re-import with update), the importer's row errors, 党员编号 unique where given, 转正情况 derived
from the probation record, 入党介绍人 linked where they are members, the data migration."""

import datetime
import importlib
import io

import openpyxl
import pytest
from django.apps import apps
from django.test import Client

from members import crypto, fields, services
from members.models import ConversionStatus, Member, MemberEvent, MemberEventKind, PartyStatus
from members.roster import import_members
from tests.factories import RosterMemberFactory, make_recorded_member
from tests.members.helpers import roster_csv

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/members/member/"
TODAY = datetime.date(2026, 6, 1)
BASE = ["姓名", "身份证号", "党员类别", "所在支部"]


@pytest.fixture
def admin_login(district_admin):
    district_admin.is_staff = True
    district_admin.save()
    client = Client()
    client.force_login(district_admin)
    return client


def stored(member: Member) -> dict:
    member = Member.objects.get(pk=member.pk)
    values = {f.key: getattr(member, f.key) for f in fields.IMPORT_FIELDS if f.kind not in (fields.PII, fields.NODE)}
    values |= {
        f.key: crypto.decrypt(getattr(member, f"{f.key}_encrypted")) for f in fields.IMPORT_FIELDS if f.sensitive
    }
    values["introducers"] = sorted(member.introducers.values_list("pk", flat=True))
    return values


def test_round_trip_keeps_the_national_fields(tree, admin_login):
    a, b = (
        RosterMemberFactory(branch=tree["branch_a"], name="陈立新"),
        RosterMemberFactory(branch=tree["branch_a"], name="周玉梅"),
    )
    member = make_recorded_member(tree["branch_a"], name="刘德明", introducer_names="陈立新、周玉梅、外区张某")
    other = make_recorded_member(
        tree["branch_a"],
        name="黄秀英",
        ethnicity="05",
        education="postgraduate",
        degree="master",
        party_number="",
        party_status="probationary",
        full_member_on=None,
        admitted_on=datetime.date(2025, 9, 1),
    )
    assert sorted(member.introducers.values_list("pk", flat=True)) == sorted([a.pk, b.pk])
    assert member.conversion_status == ConversionStatus.ON_TIME  # derived from the full-member date
    before = {m.pk: stored(m) for m in (member, other)}
    content = admin_login.get(f"{CHANGELIST}export/", {"full": "1"}).content
    header = next(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    for column in (
        "籍贯",
        "民族",
        "学历",
        "学位",
        "职务",
        "参加工作日期",
        "入党时所在支部",
        "入党介绍人",
        "党员编号",
        "转正情况",
    ):
        assert column in header
    file = io.BytesIO(content)
    file.name = "导出.xlsx"
    preview = admin_login.post(f"{CHANGELIST}import/", {"file": file, "update_existing": "1"})
    assert preview.context["report"].ok, preview.context["report"].errors
    assert admin_login.post(f"{CHANGELIST}import/", {"confirm": "1"}).status_code == 302
    assert {m.pk: stored(m) for m in (member, other)} == before
    assert before[member.pk]["ethnicity"] == "15" and before[other.pk]["degree"] == "master"


@pytest.mark.parametrize(("column", "value"), [("民族", "火星族"), ("学历", "高中/中专")])
def test_a_bad_national_value_is_a_row_error_naming_the_column(tree, district_admin, column, value):
    birth = datetime.date(1960, 5, 17)
    row = ["王建国", crypto.make_id_number("500108", birth, 7), "正式党员", tree["branch_a"].name, value]
    report = import_members(data=roster_csv([row], header=[*BASE, column]), user=district_admin, today=TODAY)
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert value in report.errors[0].message and "无法识别" in report.errors[0].message
    assert not Member.objects.exists()


def test_national_values_are_read_by_their_names(tree, district_admin):
    birth = datetime.date(1960, 5, 17)
    row = [
        "王建国",
        crypto.make_id_number("500108", birth, 8),
        "正式党员",
        tree["branch_a"].name,
        "土家",
        "中专",
        "学士",
    ]
    report = import_members(
        data=roster_csv([row], header=[*BASE, "民族", "学历", "学位"]), user=district_admin, today=TODAY
    )
    assert report.saved, report.errors
    member = Member.objects.get()
    assert (member.ethnicity, member.education, member.degree) == ("15", "vocational", "bachelor")
    assert member.get_ethnicity_display() == "土家族" and member.get_education_display() == "中专"


def test_party_number_is_unique_where_given(tree, district_admin, api_client_for):
    make_recorded_member(tree["branch_a"], party_number="500100000009")
    RosterMemberFactory.create_batch(2, branch=tree["branch_a"])  # two without a number: fine
    with pytest.raises(services.ValidationError) as exc:
        make_recorded_member(tree["branch_a"], party_number="500100000009")
    assert "party_number" in exc.value.message_dict
    response = api_client_for(district_admin).post(
        "/api/v1/members/",
        {
            "name": "赵刚",
            "id_number": crypto.make_id_number("500108", datetime.date(1961, 2, 3), 11),
            "branch": tree["branch_a"].pk,
            "party_number": "500100000009",
        },
        format="json",
    )
    assert response.status_code == 400 and "党员编号" in response.json()["errors"]["party_number"][0]
    birth = datetime.date(1960, 5, 17)
    rows = [
        ["甲", crypto.make_id_number("500108", birth, 21), "正式党员", tree["branch_a"].name, "500100000009"],
        ["乙", crypto.make_id_number("500108", birth, 22), "正式党员", tree["branch_a"].name, "7"],
        ["丙", crypto.make_id_number("500108", birth, 23), "正式党员", tree["branch_a"].name, "7"],
    ]
    report = import_members(data=roster_csv(rows, header=[*BASE, "党员编号"]), user=district_admin, today=TODAY)
    assert [(e.row, e.column) for e in report.errors] == [(2, "党员编号"), (4, "党员编号")]


def test_conversion_status_follows_the_probation_record(tree):
    member = RosterMemberFactory(
        branch=tree["branch_a"], party_status="probationary", admitted_on=datetime.date(2025, 1, 10)
    )
    services.member_extend_probation(member=member, months=6)
    member = services.member_confirm_full(member=member, on=datetime.date(2026, 7, 10))
    assert member.conversion_status == ConversionStatus.EXTENDED
    with pytest.raises(services.ValidationError) as exc:
        RosterMemberFactory(branch=tree["branch_a"], party_status="probationary", conversion_status="on_time")
    assert "conversion_status" in exc.value.message_dict


def test_import_update_extends_and_converts_through_the_probation_rules(tree, district_admin):
    member = RosterMemberFactory(
        branch=tree["branch_a"], party_status="probationary", admitted_on=datetime.date(2025, 9, 1)
    )
    id_number = crypto.decrypt(member.id_number_encrypted)
    header = [*BASE, "延长预备期（月）"]

    def run(status, months, extra_header=(), extra=()):
        row = [member.name, id_number, status, tree["branch_a"].name, months, *extra]
        return import_members(
            data=roster_csv([row], header=[*header, *extra_header]),
            user=district_admin,
            update_existing=True,
            today=TODAY,
        )

    assert run("预备党员", 6).saved
    assert MemberEvent.objects.filter(member=member, kind=MemberEventKind.PROBATION_EXTENDED, note="6").exists()
    second = run("预备党员", 12)
    assert [e.column for e in second.errors] == ["延长预备期（月）"] and not second.saved
    assert Member.objects.get(pk=member.pk).probation_extension_months == 6
    undo = run("预备党员", "")
    assert not undo.saved and Member.objects.get(pk=member.pk).probation_extension_months == 6
    converted = run("正式党员", 6, ["转正日期"], ["2027-03-01"])
    assert converted.saved, converted.errors
    member.refresh_from_db()
    assert (member.party_status, member.conversion_status) == (PartyStatus.FULL, ConversionStatus.EXTENDED)
    event = MemberEvent.objects.get(member=member, kind=MemberEventKind.FULL_MEMBER)
    assert event.occurred_on == datetime.date(2027, 3, 1)
    back = run("预备党员", 6)
    assert "党员类别" in [e.column for e in back.errors] and not back.saved


def test_data_migration_maps_the_old_values(tree):
    migration = importlib.import_module("members.migrations.0013_records_national_fields")
    old = RosterMemberFactory(branch=tree["branch_a"], note="原有备注")
    other = RosterMemberFactory(branch=tree["branch_a"])
    # The values of the old schema, as the migration finds them (nothing else writes them now).
    Member.objects.filter(pk=old.pk).update(ethnicity="回", education="master")
    Member.objects.filter(pk=other.pk).update(ethnicity="xx", education="primary")
    migration.map_national_values(apps, None)
    old.refresh_from_db()
    other.refresh_from_db()
    assert (old.ethnicity, old.education, old.degree) == ("03", "postgraduate", "master")
    assert (other.ethnicity, other.education) == ("", "junior_or_below")
    assert other.note.endswith("民族：xx")
