"""API tokens expire and rotate; the token endpoint's throttle keys by the address our own proxy
saw, not by a spoofed leftmost X-Forwarded-For."""

import datetime

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from core.models import AuditEntry
from organizations.models import Role
from tests.factories import make_user

PASSWORD = "Test-password-2026"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def client_user(tree):
    return make_user("city_client", tree["district"], Role.API_CLIENT)


def _token(username="city_client", **extra):
    response = APIClient(**extra).post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    return response


def test_expired_token_is_refused_in_chinese_and_replaced_on_login(client_user, settings):
    key = _token().json()["token"]
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/organizations/").status_code == 200
    Token.objects.filter(key=key).update(created=Token.objects.get(key=key).created - datetime.timedelta(days=91))
    refused = api.get("/api/v1/organizations/")
    assert refused.status_code == 401 and "已过期" in str(refused.json())
    fresh = _token().json()
    assert fresh["token"] != key and fresh["expires_at"]
    assert APIClient(HTTP_AUTHORIZATION=f"Token {fresh['token']}").get("/api/v1/organizations/").status_code == 200


def test_rotation_gives_a_new_key_and_ends_the_old(client_user):
    key = _token().json()["token"]
    old = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    rotated = old.post("/api/v1/auth/token/rotate/")
    assert rotated.status_code == 200
    new_key = rotated.json()["token"]
    assert new_key != key
    assert old.get("/api/v1/organizations/").status_code == 401
    assert APIClient(HTTP_AUTHORIZATION=f"Token {new_key}").get("/api/v1/organizations/").status_code == 200
    entries = AuditEntry.objects.filter(model="auth.user", object_id=str(client_user.pk))
    assert [e.changes["api_token"][1] for e in entries.order_by("id") if "api_token" in e.changes] == [
        "issued",
        "rotated",
    ]
    assert not any(key in str(e.changes) or new_key in str(e.changes) for e in entries)  # keys never logged


def test_num_proxies_follows_the_proxy_count_setting(settings):
    assert api_settings.NUM_PROXIES == settings.TRUSTED_PROXY_COUNT


def test_spoofed_forwarded_for_does_not_escape_the_token_throttle(client_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}  # behind one nginx
    statuses = [
        _token("nobody", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7").status_code
        for n in range(21)
    ]
    assert statuses[:20] == [400] * 20 and statuses[20] == 429
    # Another real client (another address appended by the proxy) is not throttled.
    other = _token(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.8")
    assert other.status_code == 200
