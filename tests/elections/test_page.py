import pytest
from django.test import Client

from members.models import AppraisalResult, AppraisalSession
from organizations.models import Role
from tests.factories import make_party_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_client(tree):
    client = Client()
    client.force_login(make_user("sec_page", tree["branch_a"], Role.BRANCH_SECRETARY))
    return client


def test_page_renders_and_records(tree, secretary_client):
    branch = tree["branch_a"]
    member = make_party_member(branch)
    url = f"/branch/{branch.pk}/appraisal/"
    response = secretary_client.get(url)
    assert response.status_code == 200
    assert "民主评议" in response.content.decode()
    response = secretary_client.post(url, {"member": member.pk, "grade": "excellent"})
    assert response.status_code == 302
    assert AppraisalResult.objects.get(member=member).grade == "excellent"
    assert member.name in secretary_client.get(url).content.decode()


def test_page_unqualified_without_follow_up_is_form_error(tree, secretary_client):
    branch = tree["branch_a"]
    member = make_party_member(branch)
    response = secretary_client.post(f"/branch/{branch.pk}/appraisal/", {"member": member.pk, "grade": "unqualified"})
    assert response.status_code == 200
    assert response.context["form"].errors["follow_up"]
    assert not AppraisalResult.objects.exists()
    assert not AppraisalSession.objects.exists()


def test_page_other_branch_404(tree, secretary_client):
    assert secretary_client.get(f"/branch/{tree['branch_b'].pk}/appraisal/").status_code == 404
