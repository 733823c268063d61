"""Shared fixtures. Service-dependent tests skip when the service is absent, unless
``REQUIRE_SERVICES=1`` (CI), which turns such a skip into a failure."""

import os

import pytest
from django.test import Client
from rest_framework.test import APIClient

from organizations.models import Role
from tests.factories import make_tree, make_user

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing, or fail it when CI requires services."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture
def tree(db):
    return make_tree()


@pytest.fixture
def district_admin(tree):
    return make_user("district_admin", tree["district"], Role.DISTRICT_ADMIN)


@pytest.fixture
def staff_a(tree):
    """Community staff of community A."""
    return make_user("staff_a", tree["community_a"], Role.COMMUNITY_STAFF)


@pytest.fixture
def staff_b(tree):
    """Community staff of community B."""
    return make_user("staff_b", tree["community_b"], Role.COMMUNITY_STAFF)


@pytest.fixture
def secretary_a(tree):
    """The secretary of branch A (支部书记)."""
    return make_user("sec_a", tree["branch_a"], Role.BRANCH_SECRETARY)


@pytest.fixture
def secretary_b(tree):
    """The secretary of branch B."""
    return make_user("sec_b", tree["branch_b"], Role.BRANCH_SECRETARY)


@pytest.fixture
def admin_client_for():
    """A test client logged in to the admin as ``user`` (made staff; what it sees is its scope's)."""

    def make(user):
        user.is_staff = True
        user.save()
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def _install_migration_defaults() -> None:
    """Re-install the rows data migrations put in (default rubric, points rules, meeting
    requirements): a transactional test's flush removes them, and later tests rely on them as a
    fresh database has them."""
    from importlib import import_module

    from django.apps import apps

    from organizations.models import ScoringRubric

    if not ScoringRubric.objects.exists():
        import_module("organizations.migrations.0003_default_rubric").install(apps, None)
        # The rubric's 民主评议 criterion reads the appraisals since members 0017.
        import_module("members.migrations.0017_elections_appraisal").appraisal_metric(apps, None)
    import_module("organizations.migrations.0008_rules_term_lengths").install(apps, None)
    import_module("members.migrations.0005_default_points_rules").install(apps, None)
    import_module("members.migrations.0006_meetings_requirements").install(apps, None)
    import_module("members.migrations.0016_dues").install(apps, None)


@pytest.fixture(autouse=True)
def _migration_defaults_for_transactional_tests(request):
    """Transactional tests (threads, live server, real worker) start from an emptied database;
    give them the same defaults a migrated database has."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
        _install_migration_defaults()
    yield


# --- Real browser (one Chromium for the whole session, shared by every browser test) --------

import shutil  # noqa: E402

# The Playwright sync API runs an event loop in this thread; Django's async-safety check would
# otherwise refuse the ORM calls of the test itself.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.exists(path) or shutil.which(path)):
        skip_or_fail(f"chromium not found at {path}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("python playwright package missing")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page with a phone-sized viewport (390×844), under the site's real CSP (the accessibility
    check loads axe-core through ``page.evaluate``, which the policy does not cover)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
