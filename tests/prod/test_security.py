"""Security hardening: lockout on every login path, password length, session timeouts, logout,
password change, CSRF, security headers, production settings."""

import datetime
import re
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core import middleware
from core.auth import lockout
from core.models import LoginThrottle
from organizations.models import Role
from tests.factories import make_user

PASSWORD = "Test-password-2026"


@pytest.fixture
def staff(tree):
    user = make_user("lockme", tree["community_a"], Role.COMMUNITY_STAFF)
    user.is_staff = True
    user.save()
    return user


def _admin_login(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def _token_login(username, password, address="10.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def _branch_login(client, username, password):
    return client.post("/branch/login/", {"username": username, "password": password})


@pytest.fixture(autouse=True)
def fresh_throttles():
    """The token endpoint's throttle counts in the cache (Redis when set): start from zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def branch_login_page(settings):
    """The meetings helper builds /branch/login/ with Django's LoginView; mount the same view here
    (when the real one exists the URL resolves to it and this changes nothing)."""
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "tests.prod.urls"
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.mark.parametrize("path", ["admin", "token", "branch"])
def test_five_failures_lock_the_account_on_every_login_path(staff, path):
    client = Client(REMOTE_ADDR="10.0.0.9")
    attempt = {
        "admin": lambda pw: _admin_login(client, "lockme", pw),
        "token": lambda pw: _token_login("lockme", pw, address="10.0.0.9"),
        "branch": lambda pw: _branch_login(client, "lockme", pw),
    }[path]
    for _ in range(5):
        attempt("wrong-password")
    response = attempt(PASSWORD)  # the right password no longer helps
    if path == "token":
        assert response.status_code == 400
        assert "分钟后再试" in str(response.json())
    else:
        assert response.status_code == 200  # the form again, not a redirect
        assert "分钟后再试" in response.content.decode()
        assert "_auth_user_id" not in client.session
    assert LoginThrottle.objects.get(key="pair:10.0.0.9|lockme").locked_until is not None


def test_typos_of_others_behind_one_address_do_not_lock_a_bystander(staff, tree):
    """An office behind one NAT: other users' failures never lock a correct login."""
    make_user("other", tree["community_a"], Role.COMMUNITY_STAFF)
    for n in range(3):  # 15 failures (the token endpoint's own throttle allows 20 a minute)
        for _ in range(5):
            _token_login(f"colleague{n}", "typo", address="10.9.9.9")
    assert _token_login("colleague0", PASSWORD, address="10.9.9.9").status_code == 400  # that pair is locked
    assert _token_login("other", PASSWORD, address="10.9.9.9").status_code == 200
    assert LoginThrottle.objects.get(key="addr:10.9.9.9").locked_until is None  # 15 < the address limit


def test_address_wide_limit_is_much_higher_and_still_holds(staff, settings):
    settings.LOGIN_ADDRESS_MAX_FAILURES = 12
    for n in range(12):
        _token_login(f"spray{n}", "x", address="10.7.7.7")
    assert _token_login("lockme", PASSWORD, address="10.7.7.7").status_code == 400
    assert _token_login("lockme", PASSWORD, address="10.7.7.8").status_code == 200


def test_account_is_locked_from_every_address_after_its_own_limit(staff):
    for n in range(10):  # two failures each from five addresses: no pair reaches 5
        _token_login("lockme", "bad", address=f"10.5.5.{n // 2}")
    assert _token_login("lockme", PASSWORD, address="10.5.5.99").status_code == 400


def test_success_resets_the_account_address_counter(staff):
    for _ in range(4):
        _token_login("lockme", "bad", address="10.4.4.4")
    assert _token_login("lockme", PASSWORD, address="10.4.4.4").status_code == 200
    assert not LoginThrottle.objects.filter(key="pair:10.4.4.4|lockme").exists()
    for _ in range(4):  # four more do not lock: the counter started again
        _token_login("lockme", "bad", address="10.4.4.4")
    assert _token_login("lockme", PASSWORD, address="10.4.4.4").status_code == 200


def test_delay_grows_and_expires(staff, monkeypatch):
    start = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
    clock = {"now": start}
    monkeypatch.setattr(lockout, "now", lambda: clock["now"])
    for _ in range(5):
        _token_login("lockme", "bad")
    first = LoginThrottle.objects.get(key="pair:10.0.0.1|lockme").locked_until
    assert first == start + datetime.timedelta(minutes=1)
    clock["now"] = first + datetime.timedelta(seconds=1)
    _token_login("lockme", "bad")  # sixth failure: two minutes
    second = LoginThrottle.objects.get(key="pair:10.0.0.1|lockme").locked_until
    assert second - clock["now"] == datetime.timedelta(minutes=2)
    clock["now"] = second + datetime.timedelta(seconds=1)
    assert _token_login("lockme", PASSWORD).status_code == 200
    assert not LoginThrottle.objects.filter(key="pair:10.0.0.1|lockme").exists()  # success clears the pair
    assert not LoginThrottle.objects.filter(key="user:lockme").exists()  # and the account


def test_staff_passwords_need_12_characters(staff):
    with pytest.raises(ValidationError):
        validate_password("Short-pw-1", staff)
    validate_password("A-much-longer-passphrase-2026", staff)


def test_idle_timeout_and_absolute_timeout(staff, monkeypatch):
    clock = {"t": 1_000_000.0}
    monkeypatch.setattr(middleware, "clock", lambda: clock["t"])
    client = Client()
    assert _admin_login(client, "lockme", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
    clock["t"] += 29 * 60  # active within 30 minutes: still logged in
    assert client.get("/admin/").status_code == 200
    clock["t"] += 31 * 60  # idle for 31 minutes: logged out
    assert client.get("/admin/").status_code == 302

    assert _admin_login(client, "lockme", PASSWORD).status_code == 302
    for _ in range(26):  # active every 29 minutes (12.5 hours in all): 12 hours after login it ends
        clock["t"] += 29 * 60
        client.get("/admin/")
    assert client.get("/admin/").status_code == 302


def test_logout_invalidates_the_session(staff):
    client = Client()
    _admin_login(client, "lockme", PASSWORD)
    cookie = client.cookies["sessionid"].value
    client.post("/admin/logout/")
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert replay.get("/admin/").status_code == 302


def test_password_change_ends_other_sessions_and_tokens(staff):
    first, second = Client(), Client()
    _admin_login(first, "lockme", PASSWORD)
    _admin_login(second, "lockme", PASSWORD)
    token = Token.objects.create(user=staff)
    new = "A-new-long-passphrase-2026"
    response = first.post(
        "/admin/password_change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert first.get("/admin/").status_code == 200  # the session that changed it stays
    assert second.get("/admin/").status_code == 302  # every other one ends
    assert not Token.objects.filter(key=token.key).exists()


def test_csrf_enforced_on_admin_and_api_session_auth(tree, district_admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(district_admin)
    response = client.post(
        "/admin/organizations/compound/add/", {"name": "无令牌", "community": tree["community_a"].pk}
    )
    assert response.status_code == 403
    response = client.post(
        "/api/v1/compounds/",
        {"name": "无令牌", "community": tree["community_a"].pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    # with the token from the form it goes through
    page = client.get("/admin/organizations/compound/add/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(
        "/api/v1/compounds/",
        {"name": "有令牌", "community": tree["community_a"].pk},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201


def test_csrf_enforced_on_login_forms():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 403
    assert client.post("/branch/login/", {"username": "x", "password": "y"}).status_code == 403


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)


def test_security_headers_and_no_inline_scripts_on_our_pages(tree, district_admin):
    client = Client()
    client.force_login(district_admin)
    for url in (
        "/admin/",
        "/admin/organizations/organization/",
        "/admin/organizations/compound/add/",
        "/admin/auth/user/",
        "/admin/django_celery_beat/periodictask/",
        "/admin/login/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert not INLINE_SCRIPT.search(response.content.decode()), url
    docs = client.get("/api/v1/docs/")
    assert "'unsafe-inline'" in docs["Content-Security-Policy"]  # Swagger UI's bootstrap script
    assert client.get("/api/v1/organizations/")["X-Request-ID"]


def test_check_deploy_clean_with_production_settings(tmp_path):
    env = {
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-test-secret-key-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "party.example.gov.cn",
        "PII_ENCRYPTION_KEYS": "Zm9yLWRldmVsb3BtZW50LW9ubHktMzJieXRlcy1rZXk=",
        "PII_HASH_KEY": "test-hash-key",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_csrf_enforced_on_every_admin_add_form(tree, district_admin):
    """Generated over every registered admin: a POST without the CSRF token is refused."""
    from django.contrib import admin

    client = Client(enforce_csrf_checks=True)
    client.force_login(district_admin)
    checked = 0
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
        assert client.post(url, {}).status_code == 403, url
        checked += 1
    assert checked >= 5
