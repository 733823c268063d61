"""The statistics block per subtree and period, and the secretary's phone page."""

import datetime

import pytest
from django.test import Client

from core.periods import Period
from members.volunteering import statistics
from members.volunteering.models import ServiceRecord, ServiceStatus
from organizations.models import Organization
from tests.volunteering.conftest import DAY, record

pytestmark = pytest.mark.django_db


def _figures(nodes, period):
    out = {n.pk: {} for n in nodes}
    for part in (statistics.posts_part, statistics.hours_part):
        for pk, values in part(nodes, period).items():
            out[pk].update(values)
    return out


def test_block_counts_posts_people_and_confirmed_hours_per_subtree(world):
    record(world["holder"], confirm=True, hours="2.5", actor=world["secretary"])
    record(world["resident_holder"], confirm=True, hours="1", actor=world["secretary"])
    record(world["holder"], hours="3", day=DAY - datetime.timedelta(days=1))  # pending: not counted
    record(world["holder_b"], confirm=True, hours="4", actor=world["secretary_b"])
    period = Period.quarter(2026, 1)
    # Fresh rows: the fixture's nodes were loaded before their siblings moved the nested-set bounds.
    nodes = [Organization.objects.get(pk=world[k].pk) for k in ("district", "community_a", "branch_b")]
    figures = _figures(nodes, period)
    district, community, branch_b = (figures[n.pk] for n in nodes)
    assert district["volunteering.posts"] == 2 and district["volunteering.posts_staffed"] == 2
    assert district["volunteering.member_volunteers"] == 2 and district["volunteering.resident_volunteers"] == 1
    assert district["volunteering.service_hours"] == 7.5 and district["volunteering.service_records"] == 3
    assert community["volunteering.service_hours"] == 3.5
    assert branch_b["volunteering.service_hours"] == 4


def test_phone_page_records_confirms_and_refuses_bad_hours(world):
    client = Client()
    client.force_login(world["secretary"])
    url = f"/branch/{world['branch_a'].pk}/volunteers/"
    page = client.get(url)
    assert (
        page.status_code == 200 and "党员示范岗" in page.content.decode() or world["post"].name in page.content.decode()
    )
    bad = client.post(url, {"holder": world["holder"].pk, "served_on": str(DAY), "hours": "30", "description": "巡逻"})
    assert bad.status_code == 200 and ServiceRecord.objects.count() == 0
    assert "24" in bad.content.decode()
    ok = client.post(url, {"holder": world["holder"].pk, "served_on": str(DAY), "hours": "2", "description": "巡逻"})
    assert ok.status_code == 302
    entry = ServiceRecord.objects.get()
    assert entry.status == ServiceStatus.PENDING
    assert client.post(f"/branch/service-records/{entry.pk}/confirm/").status_code == 302
    entry.refresh_from_db()
    assert entry.status == ServiceStatus.CONFIRMED
    assert client.get(f"/branch/service-records/{entry.pk}/confirm/").status_code == 405
    dashboard = client.get(f"/branch/{world['branch_a'].pk}/").content.decode()
    assert url in dashboard


def test_phone_page_is_scoped(world):
    client = Client()
    client.force_login(world["secretary_b"])
    assert client.get(f"/branch/{world['branch_a'].pk}/volunteers/").status_code == 404
    entry = record(world["holder"])
    assert client.post(f"/branch/service-records/{entry.pk}/confirm/").status_code == 404
