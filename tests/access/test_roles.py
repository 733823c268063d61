"""三员分立 (GB/T 22239-2019 三级): system, security and audit administrators as built-in roles;
no non-superuser role holds all three duties."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from core.auth.roles import DUTIES, ROLE_GROUP_NAMES, Role, holds_all_duties
from tests.factories import make_user


def _perms(role) -> set[str]:
    group = Group.objects.get(name=ROLE_GROUP_NAMES[role])
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.parametrize("role", list(Role))
def test_no_role_holds_all_three_duties(db, role):
    assert not holds_all_duties(_perms(role)), role


def test_the_three_administrators(db):
    system, security, audit = _perms(Role.SYSTEM_ADMIN), _perms(Role.SECURITY_ADMIN), _perms(Role.AUDIT_ADMIN)
    assert audit == {"core.view_auditentry"}  # reads the audit log, nothing else
    assert {"auth.add_user", "auth.change_user", "django_celery_beat.change_periodictask"} <= system
    assert not system & (DUTIES["audit"] | DUTIES["security"])
    assert "members.view_sensitive_data" not in system | security | audit  # no one of them unmasks
    assert not any(p.startswith("core.delete_audit") for p in system | security | audit)
    assert {"organizations.change_accessscope", "core.view_loginthrottle"} <= security
    assert not security & (DUTIES["audit"] | DUTIES["system"])
    assert holds_all_duties(system | security | audit)  # the check itself can fail


def test_each_administrator_sees_only_their_pages(tree):
    pages = {
        Role.SYSTEM_ADMIN: "/admin/django_celery_beat/periodictask/",
        Role.SECURITY_ADMIN: "/admin/core/loginthrottle/",
        Role.AUDIT_ADMIN: "/admin/core/auditentry/",
    }
    for role in pages:
        client = Client()
        client.force_login(make_user(f"admin_{role}", tree["district"], role))
        for other_role, page in pages.items():
            expected = 200 if other_role == role else 403
            assert client.get(page).status_code == expected, (role, page)
        assert client.get("/admin/members/member/").status_code == 403  # no domain data


def test_the_system_administrator_edits_configuration_not_records(tree):
    client = Client()
    client.force_login(make_user("sys_cfg", tree["district"], Role.SYSTEM_ADMIN))
    assert client.get("/admin/members/meetingrequirement/").status_code == 200
    assert client.get("/admin/organizations/scoringrubric/").status_code == 200
    assert client.get("/admin/members/member/").status_code == 403
    assert client.get("/admin/organizations/accessscope/").status_code == 403
