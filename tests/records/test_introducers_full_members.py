"""入党介绍人 who are members here must be full members: refused with a Chinese message naming the
field through the API (400), the admin form and the importer (a row error); nothing saved."""

import datetime

import pytest
from django.test import Client

from members import crypto
from members.models import Member
from members.roster import import_members
from tests.factories import RosterMemberFactory
from tests.members.helpers import roster_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def introducers(tree):
    full = RosterMemberFactory(branch=tree["branch_a"], name="陈立新")
    probationary = RosterMemberFactory(
        branch=tree["branch_a"], name="周玉梅", party_status="probationary", admitted_on=datetime.date(2026, 3, 1)
    )
    return full, probationary


def _body(tree, names, seq):
    return {
        "name": "刘德明",
        "id_number": crypto.make_id_number("500108", datetime.date(1970, 1, 1), seq),
        "branch": tree["branch_a"].pk,
        "party_status": "full",
        "admitted_on": "1995-07-01",
        "full_member_on": "1996-07-01",
        "introducer_names": names,
    }


def test_api_refuses_a_probationary_introducer(tree, introducers, staff_a, api_client_for):
    full, _probationary = introducers
    client = api_client_for(staff_a)
    refused = client.post("/api/v1/members/", _body(tree, "陈立新、周玉梅", 901), format="json")
    assert refused.status_code == 400
    message = str(refused.json()["errors"]["introducer_names"])
    assert "正式党员" in message and "周玉梅" in message
    assert not Member.objects.filter(name="刘德明").exists()
    created = client.post("/api/v1/members/", _body(tree, "陈立新、外区张某", 902), format="json")
    assert created.status_code == 201, created.json()
    assert list(Member.objects.get(name="刘德明").introducers.all()) == [full]
    patched = client.patch(f"/api/v1/members/{created.json()['id']}/", {"introducer_names": "周玉梅"}, format="json")
    assert patched.status_code == 400 and "introducer_names" in patched.json()["errors"]
    assert Member.objects.get(name="刘德明").introducer_names == "陈立新、外区张某"


def test_admin_form_refuses_a_probationary_introducer(tree, introducers, district_admin):
    district_admin.is_staff = True
    district_admin.save()
    client = Client()
    client.force_login(district_admin)
    response = client.post(
        "/admin/members/member/add/",
        {
            "name": "刘德明",
            "gender": "male",
            "id_number": crypto.make_id_number("500108", datetime.date(1970, 1, 1), 903),
            "branch": tree["branch_a"].pk,
            "party_status": "full",
            "admitted_on": "1995-07-01",
            "full_member_on": "1996-07-01",
            "occupation_status": "retired",
            "ethnicity": "01",
            "introducer_names": "周玉梅",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "introducer_names" in errors and "正式党员" in str(errors["introducer_names"])
    assert not Member.objects.filter(name="刘德明").exists()


def test_importer_row_error_for_a_probationary_introducer(tree, introducers):
    header = ["姓名", "身份证号", "党员类别", "入党日期", "转正日期", "职业状况", "所在支部", "入党介绍人"]
    branch = tree["branch_a"].name
    rows = [
        ["甲", crypto.make_id_number("500108", datetime.date(1960, 1, 2), 904), "正式党员", "1990-07-01"]
        + ["1991-07-01", "离退休", branch, "陈立新"],
        ["乙", crypto.make_id_number("500108", datetime.date(1960, 1, 3), 905), "正式党员", "1990-07-01"]
        + ["1991-07-01", "离退休", branch, "周玉梅"],
    ]
    report = import_members(
        data=roster_csv(rows, header=header), filename="roster.csv", today=datetime.date(2026, 6, 1)
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "入党介绍人")]
    assert "周玉梅" in report.errors[0].message and "正式党员" in report.errors[0].message
    assert Member.objects.count() == 2  # the two introducers only: all or nothing
