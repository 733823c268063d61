"""The development pipeline through the API (scope, stage filter, steps, 400s) and the admin
(pipeline list, candidate page, recording a step; refusals as form errors)."""

import datetime

import pytest

from members import crypto
from members.development.models import Candidate, CandidateStep, Stage
from organizations.models import Role
from tests.factories import make_candidate, make_full_member, make_user

URL = "/api/v1/candidates/"


def test_api_scope_and_stage_filter(tree, staff_a, staff_b, api_client_for):
    mine = make_candidate(tree["branch_a"], applied_on=datetime.date(2026, 11, 1))
    other = make_candidate(tree["branch_b"])
    client = api_client_for(staff_a)
    rows = client.get(URL).json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["stage_display"] == "入党申请人" and rows[0]["next_step"] == "talk"
    assert rows[0]["id_number"] == mine.id_number_masked and rows[0]["birth_date"] is None
    assert client.get(URL, {"stage": "activist"}).json()["results"] == []
    assert len(client.get(URL, {"stage": "applicant"}).json()["results"]) == 1
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.get(f"{URL}{other.pk}/steps/").status_code == 404
    steps = client.get(f"{URL}{mine.pk}/steps/").json()
    assert [s["code"] for s in steps] == ["application"]


def test_api_create_and_record_steps(tree, staff_a, api_client_for):
    client = api_client_for(staff_a)
    birth = datetime.date(1999, 3, 4)
    payload = {
        "name": "林小雨",
        "id_number": crypto.make_id_number("500108", birth, 321),
        "phone": "13700001111",
        "branch": tree["branch_a"].pk,
        "applied_on": "2026-10-20",
        "employer": "某公司",
    }
    response = client.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["gender"] == "male" and response.json()["phone"].startswith("137")
    assert "13700001111" not in response.content.decode()
    out_of_order = client.post(f"{URL}{pk}/steps/", {"code": "activist", "on": "2026-10-25"}, format="json")
    assert out_of_order.status_code == 400 and "code" in out_of_order.json()["errors"]
    assert CandidateStep.objects.filter(candidate_id=pk).count() == 1
    ok = client.post(f"{URL}{pk}/steps/", {"code": "talk", "on": "2026-10-25", "notes": "谈话"}, format="json")
    assert ok.status_code == 201, ok.json()
    assert Candidate.objects.get(pk=pk).next_step == "activist"
    outside = make_full_member(tree["branch_b"])
    client.post(f"{URL}{pk}/steps/", {"code": "activist", "on": "2026-10-26"}, format="json")
    client.post(f"{URL}{pk}/steps/", {"code": "activist_filed", "on": "2026-10-26"}, format="json")
    refused = client.post(
        f"{URL}{pk}/steps/", {"code": "contacts", "on": "2026-10-27", "people": [outside.pk]}, format="json"
    )
    assert refused.status_code == 400 and "people" in refused.json()["errors"]


def _errors(response):
    body = response.json()
    return body.get("errors", body)


def test_api_bad_input_in_chinese(tree, staff_a, api_client_for):
    client = api_client_for(staff_a)
    young = datetime.date(2010, 1, 1)
    payload = {
        "name": "未成年",
        "id_number": crypto.make_id_number("500108", young, 1),
        "branch": tree["branch_a"].pk,
        "applied_on": "2026-10-20",
    }
    response = client.post(URL, payload, format="json")
    assert response.status_code == 400 and "birth_date" in _errors(response)
    assert "18" in str(_errors(response)["birth_date"])
    payload.update(id_number="123", name="错号")
    assert "id_number" in _errors(client.post(URL, payload, format="json"))
    outside = {**payload, "id_number": crypto.make_id_number("500108", datetime.date(1990, 1, 1), 5)}
    outside["branch"] = tree["branch_b"].pk
    assert client.post(URL, outside, format="json").status_code == 400
    assert Candidate.objects.count() == 0


def test_duplicate_id_does_not_reveal_outside_records(tree, staff_a, staff_b, api_client_for):
    elder = make_full_member(tree["branch_a"], name="秘密党员")
    candidate = make_candidate(tree["branch_a"], name="秘密申请人")
    for number, _birth in (
        (crypto.decrypt(elder.id_number_encrypted), elder.birth_date),
        (crypto.decrypt(candidate.id_number_encrypted), candidate.birth_date),
    ):
        payload = {"name": "重复", "id_number": number, "branch": tree["branch_b"].pk, "applied_on": "2026-10-20"}
        response = api_client_for(staff_b).post(URL, payload, format="json")
        assert response.status_code == 400
        text = str(_errors(response)["id_number"])
        assert "已" in text and "秘密" not in text and str(tree["branch_a"].name) not in text
        payload["branch"] = tree["branch_a"].pk
        mine = api_client_for(staff_a).post(URL, payload, format="json")
        assert mine.status_code == 400 and "秘密" in str(_errors(mine)["id_number"])
    assert Candidate.objects.count() == 1


def test_secretary_records_steps_of_own_branch(tree, api_client_for):
    secretary = make_user("dev_sec", tree["branch_a"], Role.BRANCH_SECRETARY)
    c = make_candidate(tree["branch_a"], applied_on=datetime.date(2026, 11, 1))
    response = api_client_for(secretary).post(f"{URL}{c.pk}/steps/", {"code": "talk", "on": "2026-11-10"})
    assert response.status_code == 201, response.content


def test_admin_pipeline_and_record_step(tree, staff_a, admin_client_for):
    c = make_candidate(tree["branch_a"], applied_on=datetime.date(2026, 11, 1), name="王小明")
    make_candidate(tree["branch_b"], name="外区申请人")
    client = admin_client_for(staff_a)
    html = client.get("/admin/members/candidate/").content.decode()
    assert "王小明" in html and "外区申请人" not in html and "入党申请人" in html and "谈话" in html
    assert client.get("/admin/members/candidate/", {"stage": Stage.ACTIVIST}).context["cl"].result_list.count() == 0
    assert client.get("/admin/members/candidate/", {"due": "overdue"}).status_code == 200
    page = client.get(f"/admin/members/candidate/{c.pk}/change/")
    assert page.status_code == 200 and "递交入党申请书" in page.content.decode()
    step_url = f"/admin/members/candidate/{c.pk}/step/"
    assert client.get(step_url).status_code == 200
    bad = client.post(step_url, {"code": "talk", "on": "2026-10-01"})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert CandidateStep.objects.filter(candidate=c).count() == 1
    good = client.post(step_url, {"code": "talk", "on": "2026-11-10"})
    assert good.status_code == 302
    assert CandidateStep.objects.filter(candidate=c, code="talk").exists()
    other = Candidate.objects.get(name="外区申请人")
    assert client.get(f"/admin/members/candidate/{other.pk}/step/").status_code == 404


def test_admin_add_form_errors(tree, staff_a, admin_client_for):
    client = admin_client_for(staff_a)
    assert client.get("/admin/members/candidate/add/").status_code == 200
    data = {
        "name": "新申请人",
        "gender": "male",
        "birth_date": "2010-01-01",
        "id_number": crypto.make_id_number("500108", datetime.date(2010, 1, 1), 9),
        "branch": tree["branch_a"].pk,
        "applied_on": "2026-10-01",
    }
    response = client.post("/admin/members/candidate/add/", data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    birth = datetime.date(1998, 1, 1)
    data.update(birth_date="1998-01-01", id_number=crypto.make_id_number("500108", birth, 9))
    assert client.post("/admin/members/candidate/add/", data).status_code == 302
    assert CandidateStep.objects.get(candidate__name="新申请人").code == "application"


@pytest.mark.parametrize("count", [1, 6])
def test_list_queries_constant(tree, staff_a, api_client_for, count, django_assert_max_num_queries):
    for _ in range(count):
        make_candidate(tree["branch_a"])
    client = api_client_for(staff_a)
    with django_assert_max_num_queries(12):
        assert len(client.get(URL).json()["results"]) == count
