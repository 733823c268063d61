"""Which channel reaches whom: routes per organization, inherited down the tree; reminders go
out through them and every message is a delivery record."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from core import crypto
from core.notify.models import Delivery, DeliveryStatus
from organizations.models import NotificationRoute, Role
from organizations.notify_routes import routes_for
from organizations.reminders import run_reminders
from tests.factories import make_route, make_user
from tests.scoring.conftest import build_world

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 9, 20)


def _route(org, channel, target="", role=""):
    return make_route(org, channel, target=target, role=role)


def test_routes_are_inherited_from_the_nearest_ancestor(tree):
    _route(tree["street"], "email")
    _route(tree["community_a"], "wecom", target="robot-a")
    _route(tree["community_a"], "sms", target="13812345678")
    got = routes_for([tree["branch_a"].pk, tree["branch_b"].pk, tree["district"].pk])
    assert sorted(r.channel for r in got[tree["branch_a"].pk]) == ["sms", "wecom"]
    assert [r.channel for r in got[tree["branch_b"].pk]] == ["email"]
    assert [r.channel for r in got[tree["district"].pk]] == ["console"]  # the embedded default


def test_route_validation_names_the_field(tree):
    with pytest.raises(ValidationError) as err:
        _route(tree["branch_a"], "sms", target="12")
    assert "target" in err.value.message_dict
    with pytest.raises(ValidationError):
        _route(tree["branch_a"], "wecom")
    assert not NotificationRoute.objects.exists()


def test_reminders_go_out_through_the_branch_routes(tree, settings, receiver, django_capture_on_commit_callbacks):
    settings.NOTIFY_WECOM_URL = receiver.url + "/send?key="
    world = build_world(tree=tree)
    make_user("secretary_a", world["branch_a"], Role.BRANCH_SECRETARY, email="sec@example.org")
    make_user("staff_a2", tree["community_a"], Role.COMMUNITY_STAFF, email="staff@example.org")
    _route(tree["community_a"], "wecom", target="robot-a")
    _route(tree["community_a"], "email", role=Role.BRANCH_SECRETARY)
    with django_capture_on_commit_callbacks(execute=True):
        sent = run_reminders(today=TODAY).sent
    deliveries = list(Delivery.objects.filter(source="reminders"))
    assert sent == len(deliveries) > 0
    assert all(d.status == DeliveryStatus.SENT for d in deliveries)
    emails = {crypto.decrypt(d.address) for d in deliveries if d.channel == "email"}
    assert emails == {"sec@example.org"}  # the route reaches secretaries only
    robot = [json.loads(r["body"]) for r in receiver.requests if r["path"] == "/send?key=robot-a"]
    assert robot and all(body["msgtype"] == "text" for body in robot)
    assert any(world["branch_a"].name in body["text"]["content"] for body in robot)


def test_route_admin_form_error_and_delivery_admin_read_only(tree, district_admin):
    district_admin.is_staff = True
    district_admin.save()
    client = Client()
    client.force_login(district_admin)
    page = client.post(
        "/admin/organizations/notificationroute/add/",
        {"organization": tree["branch_a"].pk, "channel": "sms", "role": "", "target": "abc", "is_active": "on"},
    )
    assert page.status_code == 200 and "11 位手机号" in page.content.decode()
    assert not NotificationRoute.objects.exists()
    assert client.get("/admin/organizations/notificationroute/").status_code == 200
    assert client.get("/admin/core/delivery/").status_code == 200
    assert client.get("/admin/core/delivery/add/").status_code == 403
