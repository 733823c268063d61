"""Organization tree counts: a 楼栋党小组 counts its members (Member.group); 支部数 per node."""

import pytest

from organizations.models import Organization
from organizations.selectors import attach_cumulative_counts
from tests.factories import NumberedMemberFactory

pytestmark = pytest.mark.django_db


def test_group_member_count_and_branch_count(api_client_for, district_admin, tree):
    NumberedMemberFactory(branch=tree["branch_a"], group=tree["group_a"])
    NumberedMemberFactory(branch=tree["branch_a"])
    NumberedMemberFactory(branch=tree["branch_b"])
    ids = [tree[k].pk for k in ("district", "street", "branch_a", "group_a")]
    nodes = {o.pk: o for o in attach_cumulative_counts(Organization.objects.filter(pk__in=ids))}
    assert nodes[tree["group_a"].pk].member_count == 1
    assert nodes[tree["branch_a"].pk].member_count == 2  # the group's member is counted once
    assert nodes[tree["district"].pk].member_count == 3
    assert nodes[tree["street"].pk].branch_count == 2
    assert nodes[tree["branch_a"].pk].branch_count == 1
    assert nodes[tree["group_a"].pk].branch_count == 0
    body = api_client_for(district_admin).get(f"/api/v1/organizations/{tree['street'].pk}/").json()
    assert body["counts"]["branch_count"] == 2
    group = api_client_for(district_admin).get(f"/api/v1/organizations/{tree['group_a'].pk}/").json()
    assert group["counts"]["member_count"] == 1


def test_admin_changelist_shows_branch_count(client, district_admin, tree):
    client.force_login(district_admin)
    response = client.get("/admin/organizations/organization/")
    assert response.status_code == 200
    assert "支部数" in response.content.decode()
