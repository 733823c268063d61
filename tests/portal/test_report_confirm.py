"""回小区报到 confirmed by the secretary: the member reports on their phone, the secretary sees
the branch's recent reports on /branch/<id>/reports/ and confirms each, once, audited; the
member sees the confirmation. Another branch's reports are neither listed nor confirmable."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from core.audit.models import AuditEntry
from members.models import MemberEvent
from members.services import member_report, report_confirm

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def secretary_client(people):
    c = Client()
    assert c.login(username="sec_a", password="Test-password-2026")
    return c


def _report(member_client):
    response = member_client.post("/me/report/", {"employer": "区税务局", "post": "文明劝导"})
    assert response.status_code == 302
    return MemberEvent.objects.get(kind="reported")


def test_secretary_confirms_a_report_through_the_page(tree, people, member_client, secretary_client):
    event = _report(member_client)
    assert "待确认" in member_client.get("/me/report/").content.decode()
    branch = tree["branch_a"]
    page = secretary_client.get(f"/branch/{branch.pk}/reports/").content.decode()
    pending = page[page.index('id="reports-pending"') : page.index('id="reports-confirmed"')]
    assert "张三" in pending and "区税务局" in pending
    assert f'href="/branch/{branch.pk}/reports/"' in page  # the branch tab
    assert "报到确认" in page

    response = secretary_client.post(f"/branch/{branch.pk}/reports/", {"event": event.pk}, follow=True)
    html = response.content.decode()
    assert "已确认张三的报到" in html
    confirmed = html[html.index('id="reports-confirmed"') :]
    assert "张三" in confirmed
    event.refresh_from_db()
    assert event.confirmed_by == people["secretary"] and event.confirmed_at is not None
    entry = AuditEntry.objects.get(model="members.memberevent", object_id=str(event.pk), action="update")
    assert entry.username == "sec_a" and "confirmed_at" in entry.changes

    first = event.confirmed_at
    secretary_client.post(f"/branch/{branch.pk}/reports/", {"event": event.pk})
    event.refresh_from_db()
    assert event.confirmed_at == first
    assert "已确认" in member_client.get("/me/report/").content.decode()


def test_other_branches_reports_are_out_of_reach(tree, people, secretary_client):
    outsider = member_report(member=people["outsider"], reported_on=timezone.localdate(), employer="某厂")
    event = MemberEvent.objects.get(member=outsider, kind="reported")
    branch = tree["branch_a"]
    assert "赵六" not in secretary_client.get(f"/branch/{branch.pk}/reports/").content.decode()
    assert secretary_client.post(f"/branch/{branch.pk}/reports/", {"event": event.pk}).status_code == 404
    assert secretary_client.get(f"/branch/{tree['branch_b'].pk}/reports/").status_code == 404
    event.refresh_from_db()
    assert event.confirmed_at is None


def test_only_reports_are_confirmed(tree, people, secretary_client):
    other = MemberEvent.objects.filter(member=people["me"]).exclude(kind="reported").first()
    branch = tree["branch_a"]
    assert other is not None  # the member's creation is in their history
    assert secretary_client.post(f"/branch/{branch.pk}/reports/", {"event": other.pk}).status_code == 404
    with pytest.raises(ValidationError):
        report_confirm(event=other, actor=people["secretary"])
    for bad in ("x", "", "1e9"):
        assert secretary_client.post(f"/branch/{branch.pk}/reports/", {"event": bad}).status_code == 404


def test_the_member_login_does_not_reach_the_page(tree, member_client):
    response = member_client.get(f"/branch/{tree['branch_a'].pk}/reports/")
    assert response.status_code in (302, 403, 404)
