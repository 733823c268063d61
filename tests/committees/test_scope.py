"""Community A's staff cannot list, open or count community B's bodies, firms or matters."""

import pytest

from committees.models import Committee, Matter, PropertyFirm, Seat
from tests.committees.helpers import TODAY, compound, contract, firm

ENDPOINTS = ("committees", "seats", "property-firms", "service-contracts", "matters")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_shows_only_own_community(two_sides, staff_a, api_client_for, endpoint):
    client = api_client_for(staff_a)
    response = client.get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    assert response.data["count"] == 1


@pytest.mark.parametrize(
    ("endpoint", "key"),
    [("committees", "committee"), ("property-firms", "firm"), ("matters", "matter")],
)
def test_other_community_object_is_404(two_sides, staff_a, api_client_for, endpoint, key):
    client = api_client_for(staff_a)
    other = two_sides["b"][key]
    assert client.get(f"/api/v1/{endpoint}/{other.pk}/").status_code == 404
    assert client.patch(f"/api/v1/{endpoint}/{other.pk}/", {}, format="json").status_code == 404
    assert client.get(f"/api/v1/{endpoint}/{two_sides['a'][key].pk}/").status_code == 200


def test_org_filter_outside_scope_matches_nothing(two_sides, tree, staff_a, api_client_for):
    client = api_client_for(staff_a)
    for endpoint in ENDPOINTS:
        assert client.get(f"/api/v1/{endpoint}/?org={tree['community_b'].pk}").data["count"] == 0
        assert client.get(f"/api/v1/{endpoint}/?org={tree['community_a'].pk}").data["count"] == 1
        assert client.get(f"/api/v1/{endpoint}/?org={tree['branch_a'].pk}").data["count"] == 1


def test_querysets_for_user(two_sides, staff_a, staff_b, district_admin):
    for model in (Committee, Seat, Matter, PropertyFirm):
        assert model.objects.for_user(staff_a).count() == 1
        assert model.objects.for_user(staff_b).count() == 1
        assert model.objects.for_user(district_admin).count() == 2


def test_firm_visible_through_contract_or_creation(tree, staff_a, staff_b):
    place_a = compound(tree["community_a"], name="甲")
    place_b = compound(tree["community_b"], name="乙")
    serving_both = firm(name="两边都服务")
    contract(serving_both, place_a)
    contract(serving_both, place_b)
    entered_by_a = firm(name="A录入", created_in=tree["community_a"])
    assert set(PropertyFirm.objects.for_user(staff_a)) == {serving_both, entered_by_a}
    assert set(PropertyFirm.objects.for_user(staff_b)) == {serving_both}
    # Many contracts, still one row per firm.
    contract(serving_both, compound(tree["community_a"], name="丙"))
    assert PropertyFirm.objects.for_user(staff_a).count() == 2


def test_firm_figures_and_summary_count_only_scope(tree, staff_a, api_client_for):
    place_a = compound(tree["community_a"], name="甲")
    place_b = compound(tree["community_b"], name="乙")
    f = firm(name="两边都服务")
    contract(f, place_a)
    contract(f, place_b)
    client = api_client_for(staff_a)
    row = client.get("/api/v1/property-firms/").data["results"][0]
    assert row["compounds_served"] == 1
    summary = client.get(f"/api/v1/property-firms/{f.pk}/summary/").data
    assert [c["compound"] for c in summary["contracts"]] == [place_a.pk]


def test_firm_created_through_api_stays_visible_to_its_community(tree, staff_a, staff_b, api_client_for):
    from tests.committees.helpers import valid_code

    response = api_client_for(staff_a).post(
        "/api/v1/property-firms/", {"name": "新物业", "credit_code": valid_code("91500108MA7777777")}, format="json"
    )
    assert response.status_code == 201, response.data
    assert api_client_for(staff_a).get(f"/api/v1/property-firms/{response.data['id']}/").status_code == 200
    assert api_client_for(staff_b).get(f"/api/v1/property-firms/{response.data['id']}/").status_code == 404


def test_stats_outside_scope_is_404_and_counts_exclude_other_side(two_sides, tree, staff_a, api_client_for):
    client = api_client_for(staff_a)
    assert client.get(f"/api/v1/stats/governance/?org={tree['community_b'].pk}").status_code == 404
    assert client.get(f"/api/v1/stats/governance/?org={tree['street'].pk}").status_code == 404
    data = client.get(f"/api/v1/stats/governance/?today={TODAY.isoformat()}").data
    assert data["organization"]["id"] == tree["community_a"].pk
    assert data["seats"] == 1 and data["overdue_matters"]["count"] == 1


def test_cannot_create_body_for_other_community_compound(two_sides, staff_a, api_client_for):
    response = api_client_for(staff_a).post(
        "/api/v1/committees/",
        {"compound": two_sides["b"]["compound"].pk, "kind": "supervision_group", "status": "forming"},
        format="json",
    )
    assert response.status_code == 400
    assert "compound" in response.data["errors"]


def test_branch_secretary_sees_the_compounds_it_covers(two_sides, tree, api_client_for):
    from organizations.models import Role
    from tests.factories import make_user

    secretary = make_user("secretary_a", tree["branch_a"], Role.BRANCH_SECRETARY)
    client = api_client_for(secretary)
    for endpoint in ENDPOINTS:
        assert client.get(f"/api/v1/{endpoint}/").data["count"] == 1, endpoint
    assert client.get(f"/api/v1/committees/{two_sides['b']['committee'].pk}/").status_code == 404
    data = client.get(f"/api/v1/stats/governance/?today={TODAY.isoformat()}").data
    assert data["organization"]["id"] == tree["branch_a"].pk
    assert (data["property_managed_compounds"], data["owners_committees_formed"], data["seats"]) == (1, 1, 1)
    assert client.post("/api/v1/matters/", {}, format="json").status_code == 403  # view only
