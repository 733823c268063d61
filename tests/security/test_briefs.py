"""What an API row shows of objects outside the user's subtree (docs/security.md): a member's
other organization by name only, the user's own ancestors by name only, everything else gone."""

from projects import services as project_services
from tests.security.conftest import TODAY


def test_member_shows_outside_home_organization_by_name_only(shared, tree, staff_a, api_client_for):
    row = api_client_for(staff_a).get(f"/api/v1/members/{shared['two_sided'].pk}/").json()
    assert row["home_organization"] is None
    assert row["home_organization_brief"] == {"id": None, "name": tree["branch_b"].name, "kind": "compound_branch"}
    assert row["branch_brief"]["id"] == tree["branch_a"].pk


def test_partner_registered_by_a_sibling_names_nothing_of_it(tree, shared, staff_a, api_client_for):
    partner = project_services.partner_save(name="B登记单位", kind="institution", registered_by=tree["community_b"])
    project_services.agreement_save(
        partner=partner, organization=tree["community_a"], title="协议", signed_on=TODAY, expires_on=TODAY
    )
    row = api_client_for(staff_a).get(f"/api/v1/partner-units/{partner.pk}/").json()
    assert row["registered_by"] is None and row["registered_by_brief"] is None
    assert tree["community_b"].name not in str(row)
    # The street above the user is an ancestor: its name may show, its id does not.
    street = api_client_for(staff_a).get(f"/api/v1/partner-units/{shared['street_partner'].pk}/").json()
    assert street["registered_by"] is None and street["registered_by_brief"]["name"] == tree["street"].name


def test_outside_partner_ids_leave_lists(tree, places, shared, street_staff, staff_a, api_client_for):
    project = project_services.project_create(
        title="共建项目",
        organization=tree["branch_a"],
        compound=places["a"],
        category="facilities",
        proposed_on=TODAY,
        partners=[shared["partner_a"], shared["partner_b"]],
    )
    rows = api_client_for(staff_a).get("/api/v1/projects/").json()["results"]
    assert [r["partners"] for r in rows if r["id"] == project.pk] == [[shared["partner_a"].pk]]
    full = api_client_for(street_staff).get(f"/api/v1/projects/{project.pk}/").json()
    assert sorted(full["partners"]) == sorted([shared["partner_a"].pk, shared["partner_b"].pk])


def test_own_top_node_shows_its_parent_by_name_only(tree, staff_a, api_client_for):
    row = api_client_for(staff_a).get(f"/api/v1/organizations/{tree['community_a'].pk}/").json()
    assert row["parent"] is None and row["parent_brief"] == {
        "id": None,
        "name": tree["street"].name,
        "kind": "street_committee",
    }
    response = api_client_for(staff_a).post(
        "/api/v1/organizations/",
        {"name": "新支部", "code": "NEW-1", "kind": "compound_branch", "parent": tree["community_a"].pk},
        format="json",
    )
    assert response.status_code == 201 and response.json()["parent"] == tree["community_a"].pk
