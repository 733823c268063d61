"""Shared fixtures. Service-dependent tests skip when the service is absent, unless
``REQUIRE_SERVICES=1`` (CI), which turns such a skip into a failure."""

import os

import pytest
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
def api_client_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
