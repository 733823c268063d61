"""Webhooks: registering through the API (scoped), events emitted by the services reach only the
subscribers whose scope covers the object, payloads masked unless the client may unmask, signed
deliveries to a local receiver, retries recorded."""

import datetime
import hashlib
import hmac
import json

import pytest
from django.test import Client
from django.utils import timezone

from members import services as member_services
from members.meetings import meeting_record
from members.models import MeetingKind
from organizations.models import Role, Webhook, WebhookDelivery, WebhookDeliveryStatus
from organizations.scoring import score_branches
from organizations.tasks import deliver_webhook_task
from organizations.webhooks import webhook_create
from projects import services as project_services
from tests.factories import MemberFactory, make_user, make_webhook

pytestmark = pytest.mark.django_db
SECRET = "a-very-long-shared-secret"
PHONE = "13812345678"


@pytest.fixture
def client_a(tree):
    return make_user("platform_a", tree["community_a"], Role.API_CLIENT)


@pytest.fixture
def hooks(tree, client_a, receiver):
    """A webhook of community A's client and one of community B's client, both for everything."""
    client_b = make_user("platform_b", tree["community_b"], Role.API_CLIENT)
    types = ["member.created", "member.updated", "meeting.recorded", "request.status_changed", "score.computed"]
    a = make_webhook(client_a, receiver.url + "/a", types, secret=SECRET, name="A")
    b = make_webhook(client_b, receiver.url + "/b", types, secret=SECRET, name="B")
    return {"a": a, "b": b}


def test_api_registers_a_webhook_in_the_clients_scope(api_client_for, client_a, tree, staff_b):
    api = api_client_for(client_a)
    data = {"name": "市平台", "url": "https://city.example/hook", "secret": SECRET, "event_types": ["member.created"]}
    created = api.post("/api/v1/webhooks/", data, format="json")
    assert created.status_code == 201, created.content
    assert "secret" not in created.json() and created.json()["organization"] == tree["community_a"].pk
    hook = Webhook.objects.get()
    assert hook.user == client_a and hook.secret == SECRET
    bad = api.post("/api/v1/webhooks/", {**data, "event_types": ["member.deleted"]}, format="json")
    assert bad.status_code == 400 and "事件类型" in bad.content.decode()
    short = api.post("/api/v1/webhooks/", {**data, "secret": "short"}, format="json")
    assert short.status_code == 400 and "secret" in short.json()["errors"]
    outside = api.post("/api/v1/webhooks/", {**data, "organization": tree["community_b"].pk}, format="json")
    assert outside.status_code == 400
    assert Webhook.objects.count() == 1
    changed = api.patch(f"/api/v1/webhooks/{hook.pk}/", {"is_active": False}, format="json")
    assert changed.status_code == 200 and changed.json()["is_active"] is False
    # Another community's staff do not see it at all.
    assert api_client_for(staff_b).get(f"/api/v1/webhooks/{hook.pk}/").status_code == 404


def test_member_created_reaches_only_the_covering_scope_masked(hooks, tree, receiver):
    member = MemberFactory(branch=tree["branch_a"], name="王小明", phone=PHONE)
    deliveries = list(WebhookDelivery.objects.all())
    assert [d.webhook for d in deliveries] == [hooks["a"]]
    payload = deliveries[0].payload
    assert payload["type"] == "member.created" and payload["object_id"] == member.pk
    assert payload["data"]["phone"] == "138****5678" and PHONE not in json.dumps(payload)

    deliver_webhook_task.apply(args=[deliveries[0].pk])
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/a"
    signed = headers["X-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Signature"], expected)
    assert headers["X-Event-Id"] == payload["id"] and headers["X-Event-Type"] == "member.created"
    assert json.loads(body) == payload
    deliveries[0].refresh_from_db()
    assert deliveries[0].status == WebhookDeliveryStatus.SENT and deliveries[0].response_status == 200


def test_client_with_unmask_permission_gets_full_data(tree, receiver):
    admin = make_user("platform_district", tree["district"], Role.DISTRICT_ADMIN)
    assert admin.has_perm("members.view_sensitive_data")
    webhook_create(user=admin, name="区平台", url=receiver.url, secret=SECRET, event_types=["member.created"])
    MemberFactory(branch=tree["branch_b"], name="王小明", phone=PHONE)
    assert WebhookDelivery.objects.get().payload["data"]["phone"] == PHONE


def test_other_events_from_the_services(hooks, tree):
    member = MemberFactory(branch=tree["branch_a"], name="王小明", phone=PHONE)
    member_services.member_update(member=member, employer="区医院")
    meeting_record(
        organization=tree["branch_a"],
        kind=MeetingKind.THEME_DAY,
        held_at=timezone.now(),
        topic="主题党日",
        attendance=[{"member": member.pk, "status": "present"}],
    )
    from organizations import services as org_services

    compound = org_services.compound_save(name="A小区", community=tree["community_a"], branch=tree["branch_a"])
    request = project_services.request_submit(
        compound=compound,
        category="facilities",
        description="门禁",
        resident_name="吴敏",
        received_on=datetime.date(2026, 6, 1),
    )
    project_services.request_triage(request=request, triage="private")
    score_branches(period="2026-Q2")
    got = list(WebhookDelivery.objects.filter(webhook=hooks["a"]).values_list("event_type", flat=True))
    for event in ("member.created", "member.updated", "meeting.recorded", "request.status_changed", "score.computed"):
        assert event in got, event
    req = WebhookDelivery.objects.get(event_type="request.status_changed")
    assert req.payload["data"]["resident_name"] == "吴*" and req.payload["data"]["status"] == "triaged"
    updated = WebhookDelivery.objects.get(event_type="member.updated")
    assert updated.payload["data"]["changed_fields"] == ["employer"]
    # Community B's subscriber heard nothing about community A (score of branch_b only).
    assert set(WebhookDelivery.objects.filter(webhook=hooks["b"]).values_list("event_type", flat=True)) <= {
        "score.computed"
    }
    for d in WebhookDelivery.objects.filter(webhook=hooks["b"]):
        assert d.payload["organization_ids"] == [tree["branch_b"].pk]


def test_moved_client_stops_receiving(hooks, tree, client_a):
    from organizations import services as org_services

    org_services.access_scope_set(user=client_a, organization=tree["community_b"], role=Role.API_CLIENT)
    MemberFactory(branch=tree["branch_a"], name="王小明", phone=PHONE)
    assert not WebhookDelivery.objects.exists()


def test_failing_receiver_retried_and_recorded(hooks, tree, receiver, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    receiver.statuses = [500, 500, 500]
    MemberFactory(branch=tree["branch_a"], name="王小明", phone=PHONE)
    delivery = WebhookDelivery.objects.get()
    deliver_webhook_task.apply(args=[delivery.pk])
    delivery.refresh_from_db()
    assert len(receiver.requests) == 3
    assert delivery.status == WebhookDeliveryStatus.FAILED and delivery.attempts == 3
    assert delivery.response_status == 500 and delivery.last_error == "HTTP 500"
    # Each attempt carried the same event id (receivers deduplicate on it).
    assert len({r["headers"]["X-Event-Id"] for r in receiver.requests}) == 1


def test_admin_pages_chinese_and_deliveries_read_only(hooks, tree, district_admin):
    MemberFactory(branch=tree["branch_a"], name="王小明", phone=PHONE)
    district_admin.is_staff = True
    district_admin.save()
    client = Client()
    client.force_login(district_admin)
    page = client.get("/admin/organizations/webhook/")
    assert page.status_code == 200 and "事件推送" in page.content.decode()
    assert client.get(f"/admin/organizations/webhook/{hooks['a'].pk}/change/").status_code == 200
    deliveries = client.get("/admin/organizations/webhookdelivery/")
    assert deliveries.status_code == 200 and "member.created" in deliveries.content.decode()
    assert client.get("/admin/organizations/webhookdelivery/add/").status_code == 403
    bad = client.post(
        "/admin/organizations/webhook/add/",
        {
            "name": "x",
            "url": "https://x.example/",
            "secret": "short",
            "event_types": ["member.created"],
            "organization": tree["branch_a"].pk,
            "is_active": "on",
        },
    )
    assert bad.status_code == 200 and "16" in bad.content.decode()
    assert Webhook.objects.count() == 2
