import pytest

from members.models import Election, PositionKind
from tests.factories import make_party_member, make_user

pytestmark = pytest.mark.django_db
URL = "/admin/members/election/add/"


def _post(branch, members, votes=15):
    posts = [PositionKind.SECRETARY, PositionKind.ORGANIZATION, PositionKind.PUBLICITY, ""]
    data = {
        "organization": branch.pk,
        "term_number": 1,
        "held_on": "2024-03-01",
        "method": "competitive",
        "seats": 3,
        "voters_entitled": 22,
        "voters_present": 20,
        "candidates-TOTAL_FORMS": 4,
        "candidates-INITIAL_FORMS": 0,
        "candidates-MIN_NUM_FORMS": 1,
        "candidates-MAX_NUM_FORMS": 1000,
    }
    for i, m in enumerate(members):
        data.update(
            {
                f"candidates-{i}-member": m.pk,
                f"candidates-{i}-votes": votes if i < 3 else 3,
                f"candidates-{i}-post": posts[i],
            }
        )
    return data


@pytest.fixture
def admin_client(client, tree):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    return client


def test_admin_add_records_through_service(admin_client, tree):
    branch = tree["branch_a"]
    members = [make_party_member(branch) for _ in range(4)]
    assert admin_client.get(URL).status_code == 200
    response = admin_client.post(URL, _post(branch, members))
    assert response.status_code == 302, response.content.decode()[:2000]
    election = Election.objects.get()
    assert election.candidates.filter(elected=True).count() == 3


def test_admin_add_rule_is_form_error(admin_client, tree):
    branch = tree["branch_a"]
    members = [make_party_member(branch) for _ in range(4)]
    response = admin_client.post(URL, _post(branch, members, votes=10))
    assert response.status_code == 200
    assert "votes" in response.context["form"].errors or response.context["form"].non_field_errors()
    assert not Election.objects.exists()
