"""Recording an appraisal in the admin: the session and its results in one page, through the
appraisal services (a member outside the branch that year, a 不合格 without follow-up, a second
appraisal of the year: form errors, nothing saved); an open appraisal's results changed later."""

import pytest

from members.models import AppraisalResult, AppraisalSession
from organizations.models import Role
from tests.factories import make_party_member, make_user

pytestmark = pytest.mark.django_db
ADD = "/admin/members/appraisalsession/add/"


def _post(branch, rows, year=2026, held_on="2026-01-20"):
    data = {
        "organization": branch.pk,
        "year": year,
        "held_on": held_on,
        "results-TOTAL_FORMS": len(rows),
        "results-INITIAL_FORMS": 0,
        "results-MIN_NUM_FORMS": 0,
        "results-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data.update({f"results-{i}-{k}": v for k, v in row.items()})
    return data


@pytest.fixture
def admin_client(client, tree):
    client.force_login(make_user("root_appraisal", is_superuser=True, is_staff=True))
    return client


def test_add_appraisal_with_results(tree, admin_client):
    branch = tree["branch_a"]
    a, b = make_party_member(branch, name="甲"), make_party_member(branch, name="乙")
    page = admin_client.get(ADD)
    assert page.status_code == 200 and "评议结果" in page.content.decode()
    rows = [
        {"member": a.pk, "grade": "excellent"},
        {"member": b.pk, "grade": "unqualified", "follow_up": "correct", "follow_up_on": "2026-01-25"},
    ]
    response = admin_client.post(ADD, _post(branch, rows))
    assert response.status_code == 302, response.context["formset"].errors
    session = AppraisalSession.objects.get()
    assert dict(session.results.values_list("member__name", "grade")) == {"甲": "excellent", "乙": "unqualified"}
    change = f"/admin/members/appraisalsession/{session.pk}/change/"
    assert "甲" in admin_client.get(change).content.decode()
    again = admin_client.post(ADD, _post(branch, [{"member": a.pk, "grade": "qualified"}]))
    assert again.status_code == 200 and "year" in again.context["form"].errors
    assert AppraisalSession.objects.count() == 1


def test_rules_refuse_and_nothing_is_saved(tree, admin_client):
    branch = tree["branch_a"]
    inside = make_party_member(branch, name="甲")
    outside = make_party_member(tree["branch_b"], name="外支部党员")
    rows = [
        {"member": inside.pk, "grade": "qualified"},
        {"member": outside.pk, "grade": "qualified"},
        {"member": inside.pk, "grade": "unqualified"},
    ]
    response = admin_client.post(ADD, _post(branch, rows))
    assert response.status_code == 200
    errors = response.context["formset"].errors
    assert "member" in errors[1] and "外支部党员" in str(errors[1]["member"])
    assert "follow_up" in errors[2]
    assert not AppraisalSession.objects.exists() and not AppraisalResult.objects.exists()
    wrong_year = admin_client.post(ADD, _post(branch, [], held_on="2025-12-30"))
    assert "held_on" in wrong_year.context["form"].errors
    assert not AppraisalSession.objects.exists()


def test_change_page_records_more_results_and_secretary_scope(tree, admin_client, client):
    branch = tree["branch_a"]
    a, b = make_party_member(branch, name="甲"), make_party_member(branch, name="乙")
    admin_client.post(ADD, _post(branch, [{"member": a.pk, "grade": "qualified"}]))
    session = AppraisalSession.objects.get()
    change = f"/admin/members/appraisalsession/{session.pk}/change/"
    data = _post(branch, [{"member": b.pk, "grade": "basic"}])
    assert admin_client.post(change, data).status_code == 302
    assert session.results.count() == 2
    secretary = make_user("appraisal_sec_b", tree["branch_b"], Role.BRANCH_SECRETARY)
    secretary.is_staff = True
    secretary.save()
    client.force_login(secretary)
    assert client.get(change).status_code in (302, 404)  # another branch's appraisal does not exist
