"""A member cannot be registered with the ID number of an open candidate (申请人 not yet admitted):
through the API (400), the admin form (a form error) and the roster importer (a row error). The
message names the candidate only to a user who can see it, and reads the same otherwise."""

import datetime

import pytest
from django.test import Client

from members import crypto
from members.models import Member
from members.roster import import_members
from organizations.models import Role
from tests.factories import make_candidate, make_user
from tests.members.helpers import roster_csv

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(1996, 4, 9)


@pytest.fixture
def candidate(tree):
    return make_candidate(
        tree["branch_a"], name="秘密申请人", birth_date=BIRTH, id_number=crypto.make_id_number("500113", BIRTH, 77)
    )


def _number(candidate):
    return crypto.decrypt(candidate.id_number_encrypted)


def _body(branch, number):
    return {
        "name": "新党员",
        "id_number": number,
        "branch": branch.pk,
        "party_status": "full",
        "admitted_on": "2020-07-01",
        "full_member_on": "2021-07-01",
    }


def test_api_refuses_a_candidates_id_number_without_revealing_it(tree, candidate, staff_a, staff_b, api_client_for):
    outside = api_client_for(staff_b).post(
        "/api/v1/members/", _body(tree["branch_b"], _number(candidate)), format="json"
    )
    assert outside.status_code == 400
    hidden = str(outside.json()["errors"]["id_number"])
    assert "已登记" in hidden and "秘密" not in hidden and tree["branch_a"].name not in hidden
    inside = api_client_for(staff_a).post(
        "/api/v1/members/", _body(tree["branch_a"], _number(candidate)), format="json"
    )
    assert inside.status_code == 400 and "秘密申请人" in str(inside.json()["errors"]["id_number"])
    # A number unknown to both is accepted: the wording above is the only difference a user sees.
    other = crypto.make_id_number("500113", BIRTH, 78)
    assert (
        api_client_for(staff_b).post("/api/v1/members/", _body(tree["branch_b"], other), format="json").status_code
        == 201
    )
    assert list(Member.objects.values_list("name", flat=True)) == ["新党员"]


def test_admin_form_refuses_a_candidates_id_number(tree, candidate):
    user = make_user("staff_b_admin", tree["community_b"], Role.COMMUNITY_STAFF)
    user.is_staff = True
    user.save()
    client = Client()
    client.force_login(user)
    response = client.post(
        "/admin/members/member/add/",
        {
            "name": "新党员",
            "gender": "female",
            "id_number": _number(candidate),
            "branch": tree["branch_b"].pk,
            "party_status": "full",
            "admitted_on": "2020-07-01",
            "full_member_on": "2021-07-01",
            "occupation_status": "retired",
            "ethnicity": "01",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "id_number" in errors and "秘密" not in str(errors["id_number"])
    assert not Member.objects.exists()


def test_importer_refuses_a_row_with_a_candidates_id_number(tree, candidate, staff_b):
    header = ["姓名", "性别", "身份证号", "党员类别", "入党日期", "转正日期", "职业状况", "所在支部"]
    rows = [
        ["甲", "男", crypto.make_id_number("500108", datetime.date(1960, 1, 2), 11), "正式党员", "1990-07-01"]
        + ["1991-07-01", "离退休", tree["branch_b"].name],
        ["乙", "女", _number(candidate), "正式党员", "1990-07-01", "1991-07-01", "离退休", tree["branch_b"].name],
    ]
    report = import_members(
        data=roster_csv(rows, header=header), filename="roster.csv", user=staff_b, today=datetime.date(2026, 6, 1)
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "身份证号")]
    assert "已登记" in report.errors[0].message and "秘密" not in report.errors[0].message
    assert not Member.objects.exists()  # all or nothing
