"""Admin: Chinese, scoped, the need list next to resources, Excel export with masked names."""

import io

import pytest
from openpyxl import load_workbook

from projects import services
from tests.factories import make_user
from tests.projects.conftest import TODAY


@pytest.fixture
def admin_client_a(client, tree):
    user = make_user("clerk_a", tree["community_a"], "community_staff", is_staff=True)
    client.force_login(user)
    return client


def test_changelists_are_scoped_and_chinese(admin_client_a, compounds, resident_request, partner):
    services.request_submit(
        compound=compounds["b"], category="other", description="B小区诉求", resident_name="赵六", received_on=TODAY
    )
    services.resource_save(partner=partner, category="facilities", description="维修人手")
    services.need_save(compound=compounds["a"], category="facilities", description="步道破损", raised_on=TODAY)
    for url in ("partnerunit", "agreement", "resource", "need", "project", "activity", "microwish", "residentrequest"):
        response = admin_client_a.get(f"/admin/projects/{url}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
    page = admin_client_a.get("/admin/projects/residentrequest/").content.decode()
    assert "吴*" in page and "B小区" not in page and "群众点单" in page
    needs = admin_client_a.get("/admin/projects/need/?matching=unmatched").content.decode()
    assert "步道破损" in needs and "本辖区同类可用资源" in needs


def test_excel_export_masks_names(admin_client_a, resident_request):
    response = admin_client_a.post(
        "/admin/projects/residentrequest/", {"action": "export_xlsx", "_selected_action": [resident_request.pk]}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "居民" and rows[1][4] == "吴*"
    assert "吴敏" not in str(rows)
