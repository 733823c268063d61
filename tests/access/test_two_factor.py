"""Two-factor login: required for district and security administrators and for anyone holding
the unmask permission; configurable for the others; recovery codes work once; issuing an API
token needs the second factor for those roles."""

import re
import types

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp import models as totp_models
from rest_framework.test import APIClient

from core.auth import twofactor
from organizations.models import Role
from tests.factories import make_user

PASSWORD = "Test-password-2026"


@pytest.fixture(autouse=True)
def enforce(settings):
    settings.TWO_FACTOR_ENFORCE = True
    # django-otp's back-off after a wrong code counts in wall-clock seconds; the tests do not
    # wait, so it is off here (it stays on in every other setting).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def clock(monkeypatch):
    """The authenticator's clock, moved by the test (a code is valid once per 30-second step)."""
    now = {"t": 1_800_000_000}
    monkeypatch.setattr(totp_models, "time", types.SimpleNamespace(time=lambda: now["t"]))
    return now


def _code(device, clock) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = clock["t"]
    return f"{totp.token():06d}"


def _login(username):
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302  # the password is right
    return client


def _enrol(client, user, clock) -> list[str]:
    page = client.get("/account/2fa/setup/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode() and "二维码" in page.content.decode()
    device = twofactor.totp_device(user, confirmed=False)
    response = client.post("/account/2fa/setup/", {"code": _code(device, clock), "next": "/admin/"})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z0-9]{10})</code></li>", response.content.decode())


@pytest.fixture
def district_admin(tree):
    return make_user("quadmin", tree["district"], Role.DISTRICT_ADMIN)


def test_password_alone_reaches_only_enrolment_then_the_code_is_asked(district_admin, clock):
    client = _login("quadmin")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/account/2fa/setup/")
    assert client.get("/api/v1/organizations/").status_code == 403  # nor the API with the session
    codes = _enrol(client, district_admin, clock)
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200  # verified by the enrolment code

    second = _login("quadmin")
    response = second.get("/admin/organizations/organization/")
    assert response.status_code == 302 and response["Location"].startswith("/account/2fa/verify/")
    wrong = second.post("/account/2fa/verify/", {"code": "000000"})
    assert wrong.status_code == 200 and "验证码错误" in wrong.content.decode()
    assert second.get("/admin/").status_code == 302
    clock["t"] += 60
    device = twofactor.totp_device(district_admin)
    assert second.post("/account/2fa/verify/", {"code": _code(device, clock), "next": "/admin/"}).status_code == 302
    assert second.get("/admin/").status_code == 200


def test_recovery_codes_work_once(district_admin, clock):
    codes = _enrol(_login("quadmin"), district_admin, clock)
    first = _login("quadmin")
    assert first.post("/account/2fa/verify/", {"code": codes[0]}).status_code == 302
    assert first.get("/admin/").status_code == 200
    again = _login("quadmin")
    response = again.post("/account/2fa/verify/", {"code": codes[0]})
    assert response.status_code == 200 and "已被使用" in response.content.decode()
    assert again.get("/admin/").status_code == 302
    assert again.post("/account/2fa/verify/", {"code": codes[1].upper()}).status_code == 302


def test_token_needs_the_second_factor_for_those_roles(district_admin, clock, tree):
    _enrol(_login("quadmin"), district_admin, clock)
    api = APIClient()
    refused = api.post("/api/v1/auth/token/", {"username": "quadmin", "password": PASSWORD}, format="json")
    assert refused.status_code == 400 and "两步验证" in str(refused.json())
    clock["t"] += 60
    code = _code(twofactor.totp_device(district_admin), clock)
    granted = api.post(
        "/api/v1/auth/token/", {"username": "quadmin", "password": PASSWORD, "otp_token": code}, format="json"
    )
    assert granted.status_code == 200 and granted.json()["token"]
    # A community clerk needs no second factor by default.
    make_user("clerk", tree["community_a"], Role.COMMUNITY_STAFF)
    assert (
        api.post("/api/v1/auth/token/", {"username": "clerk", "password": PASSWORD}, format="json").status_code == 200
    )


def test_who_needs_it(tree, settings):
    security = make_user("sec", tree["district"], Role.SECURITY_ADMIN)
    clerk = make_user("clerk2", tree["community_a"], Role.COMMUNITY_STAFF)
    auditor = make_user("aud", tree["district"], Role.AUDIT_ADMIN)
    assert twofactor.requires_two_factor(security)
    assert not twofactor.requires_two_factor(clerk)
    assert not twofactor.requires_two_factor(auditor)
    clerk.user_permissions.add(Permission.objects.get(codename="view_sensitive_data"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # fresh permission cache
    assert twofactor.requires_two_factor(clerk)  # the unmask permission
    settings.TWO_FACTOR_FOR_ALL_STAFF = True
    assert twofactor.requires_two_factor(auditor)


def test_a_clerk_logs_in_with_the_password_alone_by_default(tree):
    make_user("clerk3", tree["community_a"], Role.COMMUNITY_STAFF)
    assert _login("clerk3").get("/admin/").status_code == 200


def test_the_admin_login_page_takes_the_code_too(district_admin, clock):
    _enrol(_login("quadmin"), district_admin, clock)
    page = Client().get("/admin/login/").content.decode()
    assert 'name="otp_token"' in page and "验证码" in page
    client = Client()
    wrong = client.post(
        "/admin/login/?next=/admin/", {"username": "quadmin", "password": PASSWORD, "otp_token": "000000"}
    )
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    clock["t"] += 60
    code = _code(twofactor.totp_device(district_admin), clock)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "quadmin", "password": PASSWORD, "otp_token": code}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200  # verified in one step
