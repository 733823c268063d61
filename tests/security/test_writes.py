"""Writes stay inside the scope: every target of a create or update (the object, its new
parent, every FK and M2M id, a missing parent meaning "root") lies in the user's subtree;
shared records change only by a user covering all their links, or on the user's side."""

import datetime

import pytest

from members.models import Member
from organizations.models import Organization
from projects.models import Activity, PartnerUnit, Project
from tests.security.conftest import TODAY


def _errors(response):
    body = response.json()
    return body.get("errors", body)


def test_community_staff_cannot_create_a_tree_root(tree, staff_a, district_admin, api_client_for):
    before = Organization.objects.count()
    for user in (staff_a, district_admin):
        r = api_client_for(user).post(
            "/api/v1/organizations/", {"name": "新区委", "code": "X-3", "kind": "district_committee"}, format="json"
        )
        assert r.status_code == 400, r.content
        assert "顶级组织" in _errors(r)["parent"][0]
    assert Organization.objects.count() == before


def test_superuser_may_create_a_root(db, api_client_for, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="Test-password-2026")
    r = api_client_for(root).post(
        "/api/v1/organizations/", {"name": "新区委", "code": "X-3", "kind": "district_committee"}, format="json"
    )
    assert r.status_code == 201, r.content


def test_create_under_an_outside_parent_is_refused(tree, staff_a, api_client_for):
    before = Organization.objects.count()
    r = api_client_for(staff_a).post(
        "/api/v1/organizations/",
        {"name": "新支部", "code": "X-4", "kind": "compound_branch", "parent": tree["community_b"].pk},
        format="json",
    )
    assert r.status_code == 400 and "parent" in _errors(r)
    assert Organization.objects.count() == before


@pytest.mark.parametrize("position", ["left", "right"])
def test_move_beside_own_top_node_or_to_root_is_refused(tree, staff_a, api_client_for, position):
    client = api_client_for(staff_a)
    url = f"/api/v1/organizations/{tree['branch_a'].pk}/move/"
    r = client.post(url, {"target": tree["community_a"].pk, "position": position}, format="json")
    assert r.status_code == 400 and "target" in _errors(r), r.content
    r = client.post(url, {"target": None}, format="json")
    assert r.status_code == 400 and "target" in _errors(r), r.content
    assert Organization.objects.get(pk=tree["branch_a"].pk).parent_id == tree["community_a"].pk


def test_m2m_ids_outside_the_scope_are_refused(tree, places, shared, staff_a, api_client_for):
    client = api_client_for(staff_a)
    payload = {
        "title": "外援项目",
        "organization": tree["branch_a"].pk,
        "compound": places["a"].pk,
        "category": "facilities",
        "proposed_on": TODAY.isoformat(),
        "partners": [shared["partner_a"].pk, shared["partner_b"].pk],
    }
    r = client.post("/api/v1/projects/", payload, format="json")
    assert r.status_code == 400 and "partners" in _errors(r), r.content
    payload["partners"] = [shared["partner_a"].pk]
    payload["resources"] = [shared["resource_b"].pk]
    r = client.post("/api/v1/projects/", payload, format="json")
    assert r.status_code == 400 and "resources" in _errors(r), r.content
    r = client.post(
        "/api/v1/activities/",
        {
            "title": "义诊",
            "kind": "clinic",
            "held_on": TODAY.isoformat(),
            "organizer": tree["branch_a"].pk,
            "partners": [shared["partner_b"].pk],
        },
        format="json",
    )
    assert r.status_code == 400 and "partners" in _errors(r), r.content
    assert not Project.objects.exists() and not Activity.objects.exists()


def test_browsable_api_form_offers_only_scoped_partners(tree, shared, staff_a, client):
    client.force_login(staff_a)
    page = client.get("/api/v1/activities/?format=api").content.decode()
    assert "A共建单位" in page
    assert "B共建单位" not in page


def test_shared_firm_changes_only_by_a_user_covering_all_links(shared, staff_a, street_staff, api_client_for):
    url = f"/api/v1/property-firms/{shared['shared_firm'].pk}/"
    r = api_client_for(staff_a).patch(url, {"name": "改名"}, format="json")
    assert r.status_code == 403 and "name" in r.json()["detail"], r.content
    assert api_client_for(street_staff).patch(url, {"name": "改名"}, format="json").status_code == 200
    own = f"/api/v1/property-firms/{shared['own_firm'].pk}/"
    assert api_client_for(staff_a).patch(own, {"name": "本社区物业甲"}, format="json").status_code == 200


def test_street_partner_is_the_streets_to_change(shared, staff_a, street_staff, api_client_for):
    url = f"/api/v1/partner-units/{shared['street_partner'].pk}/"
    assert api_client_for(staff_a).get(url).status_code == 200  # visible through the agreement
    assert api_client_for(staff_a).patch(url, {"name": "改名"}, format="json").status_code == 403
    assert PartnerUnit.objects.get(pk=shared["street_partner"].pk).name == "街道共建单位"
    assert api_client_for(street_staff).patch(url, {"name": "改名"}, format="json").status_code == 200


def test_two_sided_member_each_side_changes_its_own_fields(shared, staff_a, staff_b, api_client_for):
    url = f"/api/v1/members/{shared['two_sided'].pk}/"
    branch_side, home_side = api_client_for(staff_a), api_client_for(staff_b)
    assert branch_side.patch(url, {"name": "改名"}, format="json").status_code == 403
    assert home_side.patch(url, {"room": "301"}, format="json").status_code == 403
    assert branch_side.patch(url, {"room": "301"}, format="json").status_code == 200, url
    assert home_side.patch(url, {"name": "改名"}, format="json").status_code == 200
    member = Member.objects.get(pk=shared["two_sided"].pk)
    assert (member.name, member.room) == ("改名", "301")
    # The home side records the death; the branch side may not.
    r = branch_side.post(f"{url}deceased/", {"on": TODAY.isoformat()}, format="json")
    assert r.status_code == 403


def test_member_of_own_branch_unaffected(shared, staff_a, api_client_for):
    url = f"/api/v1/members/{shared['member_a'].pk}/"
    assert api_client_for(staff_a).patch(url, {"name": "新名"}, format="json").status_code == 200


def test_read_only_client_cannot_close_reminders(tree, secretary_a, api_reader, api_client_for):
    from organizations.models import Reminder, ReminderStatus
    from organizations.reminders import run_reminders
    from tests.scoring.conftest import build_world

    build_world(tree=tree)
    run_reminders(today=datetime.date(2026, 9, 24), send=False)
    reminder = Reminder.objects.filter(status=ReminderStatus.OPEN, organization=tree["branch_a"]).first()
    assert reminder is not None
    for action in ("dismiss", "done"):
        r = api_client_for(api_reader).post(f"/api/v1/reminders/{reminder.pk}/{action}/", {"x": 1}, format="json")
        assert r.status_code == 403, r.content  # before validation: the bad payload is not even read
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.OPEN and reminder.closed_by_id is None
    r = api_client_for(secretary_a).post(f"/api/v1/reminders/{reminder.pk}/done/")
    assert r.status_code == 200, r.content
