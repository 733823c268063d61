"""Admin of residents' requests: triage and dispatch from the change page and as a list action
(through the services), spam hidden from the list, the compound's printable QR code."""

import pytest
from django.core.cache import cache

from projects import services
from projects.models import RequestStatus, ResidentRequest
from tests.factories import make_user
from tests.projects.conftest import TODAY


@pytest.fixture
def clerk(client, tree):
    cache.clear()
    client.force_login(make_user("clerk_a", tree["community_a"], "community_staff", is_staff=True))
    return client


@pytest.fixture
def public(compounds):
    intake = services.intake_for(compounds["a"])
    rows = [
        services.public_request_submit(
            intake=intake, description=f"诉求{i}", building_unit="1栋", phone=f"1390000000{i}", received_on=TODAY
        )[0]
        for i in range(2)
    ]
    return intake, rows


def test_dispatch_from_change_page(clerk, public, members):
    _intake, (obj, _other) = public
    page = clerk.get(f"/admin/projects/residentrequest/{obj.pk}/change/").content.decode()
    assert "分流并派单" in page and "/branch/" in page and "139****0000" in page and "13900000000" not in page
    url = f"/admin/projects/residentrequest/dispatch/?ids={obj.pk}"
    assert clerk.get(url).status_code == 200
    missing = clerk.post(url, {"triage": "minor", "due_on": "2099-06-20"})
    assert missing.status_code == 200 and "党员" in missing.content.decode()
    obj.refresh_from_db()
    assert obj.status == RequestStatus.SUBMITTED  # nothing half-saved
    done = clerk.post(url, {"triage": "minor", "member": members["a"].pk, "due_on": "2099-06-20"})
    assert done.status_code == 302
    obj.refresh_from_db()
    assert obj.status == RequestStatus.DISPATCHED and obj.assigned_member == members["a"]


def test_dispatch_major_matter_as_list_action(clerk, public):
    _intake, rows = public
    response = clerk.post(
        "/admin/projects/residentrequest/",
        {"action": "dispatch_selected", "_selected_action": [r.pk for r in rows]},
    )
    assert response.status_code == 302 and "dispatch/?ids=" in response["Location"]
    done = clerk.post(response["Location"], {"triage": "major", "department": "区城管局", "due_on": "2099-07-01"})
    assert done.status_code == 302
    assert set(ResidentRequest.objects.values_list("status", "department")) == {(RequestStatus.DISPATCHED, "区城管局")}


def test_spam_action_hides_without_deleting(clerk, public):
    _intake, (obj, other) = public
    clerk.post("/admin/projects/residentrequest/", {"action": "mark_spam", "_selected_action": [obj.pk]})
    listing = clerk.get("/admin/projects/residentrequest/").content.decode()
    assert "诉求1" in listing and "诉求0" not in listing
    assert "诉求0" in clerk.get("/admin/projects/residentrequest/?spam=yes").content.decode()
    assert ResidentRequest.objects.filter(pk=obj.pk, spam=True).exists()


def test_qr_page_is_svg_and_scoped(client, clerk, public, tree):
    intake, _rows = public
    page = clerk.get(f"/admin/projects/compoundintake/{intake.pk}/qr/")
    assert page.status_code == 200 and b"<svg" in page.content and intake.token.encode() in page.content
    client.force_login(make_user("clerk_b", tree["community_b"], "community_staff", is_staff=True))
    assert client.get(f"/admin/projects/compoundintake/{intake.pk}/qr/").status_code == 404


def test_admin_index_links_to_phone_pages(clerk):
    assert 'href="/branch/"' in clerk.get("/admin/").content.decode()
