"""Admin of 设岗定责 / 时间银行: Chinese lists with filters, the record form refuses bad hours through the
service, confirming is a list action, every list exports to Excel."""

import pytest
from django.test import Client

from members.models import PointsEntry
from members.volunteering.models import ServiceRecord, ServiceStatus
from tests.volunteering.conftest import DAY, record

pytestmark = pytest.mark.django_db

LISTS = ("volunteerpost", "volunteer", "servicerecord", "pairedhousehold", "buildinghead")


@pytest.fixture
def admin_client(world):
    client = Client()
    client.force_login(world["staff"])
    return client


def test_lists_load_and_export(admin_client, world):
    record(world["holder"])
    for name in LISTS:
        url = f"/admin/members/{name}/"
        assert admin_client.get(url).status_code == 200, name
    response = admin_client.post(
        "/admin/members/servicerecord/",
        {"action": "export_xlsx", "_selected_action": [r.pk for r in ServiceRecord.objects.all()]},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_record_form_refuses_bad_hours_and_confirm_action_awards_once(admin_client, world):
    data = {"holder": world["holder"].pk, "served_on": str(DAY), "hours": "25", "description": "巡逻"}
    page = admin_client.post("/admin/members/servicerecord/add/", data)
    assert page.status_code == 200 and "24" in page.content.decode() and ServiceRecord.objects.count() == 0
    data["hours"] = "2"
    assert admin_client.post("/admin/members/servicerecord/add/", data).status_code == 302
    entry = ServiceRecord.objects.get()
    for _ in range(2):
        admin_client.post("/admin/members/servicerecord/", {"action": "confirm", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.status == ServiceStatus.CONFIRMED
    assert PointsEntry.objects.filter(member=world["member"]).count() == 1


def test_outside_scope_is_404(world):
    client = Client()
    client.force_login(world["secretary_b"])
    entry = record(world["holder"])
    assert client.get(f"/admin/members/servicerecord/{entry.pk}/change/").status_code in (302, 404)


def test_resident_volunteer_form_checks_the_phone_and_lists_it_masked(admin_client, world):
    url = "/admin/members/volunteer/add/"
    bad = admin_client.post(url, {"branch": world["branch_a"].pk, "name": "王大爷", "phone": "12345"})
    assert bad.status_code == 200 and "手机" in bad.content.decode()
    ok = admin_client.post(url, {"branch": world["branch_a"].pk, "name": "王大爷", "phone": "13983001234"})
    assert ok.status_code == 302
    listing = admin_client.get("/admin/members/volunteer/").content.decode()
    assert "王大爷" in listing and "13983001234" not in listing
