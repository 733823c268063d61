import datetime

import pytest

from members.appraisal.services import appraisal_result_set, appraisal_session_create
from members.models import AppraisalGrade
from tests.factories import make_party_member

pytestmark = pytest.mark.django_db


def test_admin_pages_render(client, district_admin, tree):
    branch = tree["branch_a"]
    session = appraisal_session_create(organization=branch, year=2026, held_on=datetime.date(2026, 1, 20))
    appraisal_result_set(session=session, member=make_party_member(branch), grade=AppraisalGrade.QUALIFIED)
    client.force_login(district_admin)
    for url in (
        "/admin/members/election/",
        "/admin/members/election/?overdue=yes",
        "/admin/members/appraisalsession/",
        f"/admin/members/appraisalsession/{session.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.post(
        "/admin/members/appraisalsession/", {"action": "export_xlsx", "_selected_action": [session.pk]}
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
