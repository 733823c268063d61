"""Fixtures of the member portal: a branch with members, one of them with a login, a meeting."""

import pytest

from organizations import services as org_services
from organizations.models import Role
from tests.factories import MemberFactory, make_ledger_meeting, make_member_login, make_user

PASSWORD = "Member-password-2026"


def png_bytes() -> bytes:
    """A tiny real PNG (1×1), as a phone camera upload would be judged by its bytes."""
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )


def photo(name="photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture
def compound(tree):
    return org_services.compound_save(name="A小区", community=tree["community_a"], branch=tree["branch_a"])


@pytest.fixture
def people(tree, compound):
    branch = tree["branch_a"]
    me = MemberFactory(name="张三", branch=branch, compound=compound, occupation_status="in_service")
    other = MemberFactory(name="李四", branch=branch, compound=compound, occupation_status="in_service")
    outsider = MemberFactory(name="赵六", branch=tree["branch_b"], occupation_status="in_service")
    user = make_member_login(me, PASSWORD)
    secretary = make_user("sec_a", branch, Role.BRANCH_SECRETARY)
    return {"me": me, "other": other, "outsider": outsider, "user": user, "secretary": secretary}


@pytest.fixture
def meeting(tree, people):
    return make_ledger_meeting(tree["branch_a"], [people["other"]], absent=[people["me"]], topic="学习党章")


@pytest.fixture
def member_client(client, people):
    assert client.login(username=people["user"].username, password=PASSWORD)
    return client
