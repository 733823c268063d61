import io

import openpyxl
import pytest

from members import crypto
from members.models import Member, SensitiveAccessLog
from tests.factories import RosterMemberFactory
from tests.members.helpers import good_rows, roster_csv

CHANGELIST = "/admin/members/member/"


def test_changelist_masked_and_scoped(tree, staff_a, admin_client_for):
    a = RosterMemberFactory(branch=tree["branch_a"], phone="13800000001")
    b = RosterMemberFactory(branch=tree["branch_b"], name="别人")
    client = admin_client_for(staff_a)
    html = client.get(CHANGELIST).content.decode()
    assert a.name in html and "138****0001" in html and "13800000001" not in html
    assert crypto.decrypt(a.id_number_encrypted) not in html
    assert "别人" not in html
    assert client.get(f"{CHANGELIST}{b.pk}/change/").status_code in (302, 404)
    # Exact-value search is for holders of the unmask permission only (docs/security.md).
    found = client.get(CHANGELIST, {"q": "13800000001"}).context["cl"].result_list
    assert list(found) == []


@pytest.mark.parametrize("rows", [1, 50])
def test_changelist_query_count_constant(tree, district_admin, admin_client_for, rows, django_assert_max_num_queries):
    for _ in range(rows):
        RosterMemberFactory(branch=tree["branch_a"], group=tree["group_a"])
    client = admin_client_for(district_admin)
    client.get(CHANGELIST)
    with django_assert_max_num_queries(14):
        assert client.get(CHANGELIST).status_code == 200


def test_full_view_needs_permission_and_is_logged(tree, staff_a, district_admin, admin_client_for):
    member = RosterMemberFactory(branch=tree["branch_a"], phone="13800000001")
    assert admin_client_for(staff_a).get(f"{CHANGELIST}{member.pk}/change/", {"full": "1"}).status_code == 403
    client = admin_client_for(district_admin)
    html = client.get(f"{CHANGELIST}{member.pk}/change/").content.decode()
    assert "13800000001" not in html
    html = client.get(f"{CHANGELIST}{member.pk}/change/", {"full": "1"}).content.decode()
    assert "13800000001" in html and crypto.decrypt(member.id_number_encrypted) in html
    assert SensitiveAccessLog.objects.filter(user=district_admin, member=member, action="view").count() == 1


def _sheet(content: bytes):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def test_export_filtered_masked_and_full_logged(tree, district_admin, staff_a, admin_client_for):
    RosterMemberFactory(
        branch=tree["branch_a"],
        phone="13800000001",
        party_status="probationary",
        admitted_on=__import__("datetime").date(2026, 1, 1),
    )
    RosterMemberFactory(branch=tree["branch_a"], phone="13800000002")
    client = admin_client_for(district_admin)
    rows = _sheet(client.get(f"{CHANGELIST}export/", {"party_status": "probationary"}).content)
    assert len(rows) == 2 and rows[1][5] == "138****0001"
    assert SensitiveAccessLog.objects.count() == 0
    rows = _sheet(client.get(f"{CHANGELIST}export/", {"full": "1"}).content)
    assert len(rows) == 3 and {r[5] for r in rows[1:]} == {"13800000001", "13800000002"}
    assert SensitiveAccessLog.objects.filter(action="export").count() == 2
    assert admin_client_for(staff_a).get(f"{CHANGELIST}export/", {"full": "1"}).status_code == 403


def test_import_preview_then_confirm(tree, staff_a, admin_client_for):
    client = admin_client_for(staff_a)
    assert client.get(f"{CHANGELIST}import/template/").status_code == 200
    rows = good_rows(tree["branch_a"], 5)
    rows[2][4] = "积极分子"
    bad = io.BytesIO(roster_csv(rows))
    bad.name = "bad.csv"
    response = client.post(f"{CHANGELIST}import/", {"file": bad})
    assert response.status_code == 200 and response.context["report"].errors[0].row == 4
    assert Member.objects.count() == 0
    good = io.BytesIO(roster_csv(good_rows(tree["branch_a"], 5)))
    good.name = "good.csv"
    response = client.post(f"{CHANGELIST}import/", {"file": good})
    assert response.context["report"].created == 5 and Member.objects.count() == 0
    response = client.post(f"{CHANGELIST}import/", {"confirm": "1"})
    assert response.status_code == 302 and Member.objects.count() == 5
    empty = io.BytesIO(b"")
    empty.name = "empty.csv"
    assert client.post(f"{CHANGELIST}import/", {"file": empty}).context["file_error"]


def test_structure_page_and_add_member_form(tree, staff_a, admin_client_for):
    client = admin_client_for(staff_a)
    response = client.get(f"{CHANGELIST}structure/")
    assert response.status_code == 200 and tree["branch_a"].name in response.content.decode()
    assert tree["branch_b"].name not in response.content.decode()
    from tests.members.helpers import valid_id

    response = client.post(
        f"{CHANGELIST}add/",
        {
            "name": "新党员",
            "id_number": valid_id(),
            "phone": "13911112222",
            "ethnicity": "01",
            "party_status": "full",
            "occupation_status": "retired",
            "branch": tree["branch_a"].pk,
            "group": tree["group_a"].pk,
            "floating_status": "",
            "probation_extension_months": 0,
            "positions-TOTAL_FORMS": 0,
            "positions-INITIAL_FORMS": 0,
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Member.objects.get(name="新党员")
    assert member.phone_masked == "139****2222"
    response = client.post(
        f"{CHANGELIST}add/",
        {
            "name": "坏",
            "id_number": "123",
            "ethnicity": "01",
            "party_status": "full",
            "occupation_status": "retired",
            "branch": tree["branch_a"].pk,
            "probation_extension_months": 0,
            "positions-TOTAL_FORMS": 0,
            "positions-INITIAL_FORMS": 0,
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200 and "id_number" in response.context["adminform"].form.errors


def _listed(client, **params):
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return {m.name for m in response.context["cl"].result_list}, response


def test_changelist_filters_are_the_api_filterset(tree, district_admin, staff_a, admin_client_for):
    """Subtree, branch, building group (offered once a branch is chosen), party status,
    occupation, floating, reported: the sidebar applies MemberFilterSet, as the API does."""
    import datetime

    RosterMemberFactory(
        branch=tree["branch_a"],
        name="组员",
        group=tree["group_a"],
        reported_on=datetime.date(2026, 3, 1),
        occupation_status="in_service",
        employer="某单位",
    )
    RosterMemberFactory(
        branch=tree["branch_a"], name="预备", party_status="probationary", admitted_on=datetime.date(2026, 1, 1)
    )
    RosterMemberFactory(branch=tree["branch_a"], name="流出", floating_status="out", floating_to="广东省深圳市")
    RosterMemberFactory(branch=tree["branch_b"], name="B成员")
    client = admin_client_for(district_admin)
    everyone = {"组员", "预备", "流出", "B成员"}
    assert _listed(client)[0] == everyone
    assert _listed(client, org=tree["community_a"].pk)[0] == {"组员", "预备", "流出"}
    assert _listed(client, org=tree["street"].pk)[0] == everyone
    assert _listed(client, branch_id=tree["branch_b"].pk)[0] == {"B成员"}
    assert _listed(client, party_status="probationary")[0] == {"预备"}
    assert _listed(client, occupation_status="in_service")[0] == {"组员"}
    assert _listed(client, floating="true")[0] == {"流出"}
    assert _listed(client, reported="true")[0] == {"组员"}
    assert _listed(client, reported="false", org=tree["community_a"].pk)[0] == {"预备", "流出"}
    # The group filter lists the groups of the chosen branch only.
    names, response = _listed(client, branch_id=tree["branch_a"].pk)
    assert names == {"组员", "预备", "流出"} and tree["group_a"].name in response.content.decode()
    assert tree["group_a"].name not in _listed(client, branch_id=tree["branch_b"].pk)[1].content.decode()
    assert _listed(client, branch_id=tree["branch_a"].pk, group_id=tree["group_a"].pk)[0] == {"组员"}
    # Bad values show nothing (never everything); a subtree outside the scope shows nothing.
    assert _listed(client, party_status="积极分子")[0] == set()
    staff = admin_client_for(staff_a)
    assert _listed(staff)[0] == {"组员", "预备", "流出"}
    assert _listed(staff, org=tree["community_b"].pk)[0] == set()
    assert _listed(staff, branch_id=tree["branch_b"].pk)[0] == set()
    # The export takes the same filters.
    rows = _sheet(client.get(f"{CHANGELIST}export/", {"org": tree["community_a"].pk, "floating": "true"}).content)
    assert [r[0] for r in rows[1:]] == ["流出"]


def test_add_form_does_not_list_every_place(tree, staff_a, admin_client_for):
    """Thousands of branches, groups, compounds and buildings: the member form searches them
    (autocomplete through the scoped admins) instead of rendering an <option> per row."""
    client = admin_client_for(staff_a)
    response = client.get(f"{CHANGELIST}add/")
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["adminform"].form
    for name in ("branch", "group", "home_organization", "compound", "building"):
        assert "admin-autocomplete" in str(form[name]), name
    assert tree["branch_b"].name not in html
    # The autocomplete itself is scoped: another community's branch is not offered.
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "members", "model_name": "member", "field_name": "branch", "term": ""},
    ).json()["results"]
    ids = {int(row["id"]) for row in found}
    assert tree["branch_a"].pk in ids and tree["branch_b"].pk not in ids
