"""Staff accounts in the admin: a district admin (and a street admin within the street) creates
an account with a role and a scope inside their subtree, never a role above their own; resets a
password (changed at the next login); deactivates. Every change audited."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.models import AccountState, AuditEntry
from organizations.models import AccessScope, OrganizationKind, Role
from tests.factories import make_org, make_user

User = get_user_model()
PASSWORD = "Test-password-2026"
NEW_PASSWORD = "A-first-password-for-the-clerk-2026"


@pytest.fixture
def district_admin(tree):
    return make_user("district_boss", tree["district"], Role.DISTRICT_ADMIN)


@pytest.fixture
def street_admin(tree):
    return make_user("street_boss", tree["street"], Role.STREET_STAFF)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _add(client, username, role, organization):
    return client.post(
        "/admin/auth/user/add/",
        {
            "username": username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "role": role,
            "organization": organization.pk if organization else "",
        },
    )


def test_district_admin_reaches_accounts_and_schedules(district_admin):
    client = _client(district_admin)
    for url in ("/admin/auth/user/", "/admin/auth/user/add/", "/admin/django_celery_beat/periodictask/"):
        assert client.get(url).status_code == 200, url


def test_district_admin_onboards_a_community_clerk(district_admin, tree):
    client = _client(district_admin)
    response = _add(client, "new_clerk", Role.COMMUNITY_STAFF, tree["community_a"])
    assert response.status_code == 302, response.content.decode()[:2000]
    clerk = User.objects.get(username="new_clerk")
    scope = AccessScope.objects.get(user=clerk)
    assert (scope.role, scope.organization_id, clerk.is_staff) == (Role.COMMUNITY_STAFF, tree["community_a"].pk, True)
    assert AccountState.objects.get(user=clerk).must_change_password
    assert AuditEntry.objects.filter(model="auth.user", object_id=str(clerk.pk), action="create").exists()
    assert AuditEntry.objects.filter(model="organizations.accessscope", object_id=str(scope.pk)).exists()
    entry = AuditEntry.objects.get(model="auth.user", object_id=str(clerk.pk), action="create")
    assert entry.username == "district_boss" and entry.changes["password"][1] == "<changed>"

    # The clerk must change the first password before anything else.
    own = Client()
    assert (
        own.post("/admin/login/?next=/admin/", {"username": "new_clerk", "password": NEW_PASSWORD}).status_code == 302
    )
    assert own.get("/admin/")["Location"] == "/account/password/"
    assert own.get("/account/password/").status_code == 200
    changed = own.post(
        "/account/password/",
        {
            "old_password": NEW_PASSWORD,
            "new_password1": "Clerk-own-passphrase-2026",
            "new_password2": "Clerk-own-passphrase-2026",
        },
    )
    assert changed.status_code == 302
    assert not AccountState.objects.get(user=clerk).must_change_password
    assert own.get("/admin/").status_code == 200


def test_no_role_above_ones_own_and_no_scope_outside(street_admin, tree):
    other_street = make_org(OrganizationKind.STREET, tree["district"], name="外街道")
    client = _client(street_admin)
    for role, node in (
        (Role.DISTRICT_ADMIN, tree["street"]),
        (Role.SECURITY_ADMIN, tree["street"]),
        (Role.COMMUNITY_STAFF, other_street),
        (Role.COMMUNITY_STAFF, tree["district"]),
    ):
        response = _add(client, f"x_{role}_{node.pk}", role, node)
        assert response.status_code == 200, (role, node)  # the form again, with the error
        assert not User.objects.filter(username=f"x_{role}_{node.pk}").exists()
    assert _add(client, "street_clerk", Role.BRANCH_SECRETARY, tree["branch_a"]).status_code == 302


def test_street_admin_sees_only_accounts_of_the_street(street_admin, tree):
    outside = make_org(OrganizationKind.STREET, tree["district"], name="另一街道")
    inside_user = make_user("in_street", tree["community_b"], Role.COMMUNITY_STAFF)
    outside_user = make_user("out_street", outside, Role.STREET_STAFF)
    client = _client(street_admin)
    listed = {u.username for u in client.get("/admin/auth/user/").context["cl"].result_list}
    assert "in_street" in listed and "out_street" not in listed and "district_admin" not in listed
    assert client.get(f"/admin/auth/user/{outside_user.pk}/change/").status_code == 302  # "does not exist"
    assert client.get(f"/admin/auth/user/{inside_user.pk}/change/").status_code == 200


def test_reset_password_and_deactivate_are_audited(district_admin, tree):
    clerk = make_user("clerk_r", tree["community_a"], Role.COMMUNITY_STAFF)
    client = _client(district_admin)
    response = client.post(
        "/admin/auth/user/", {"action": "reset_password", "_selected_action": [clerk.pk]}, follow=True
    )
    assert "仅显示这一次" in response.content.decode()
    clerk.refresh_from_db()
    assert not clerk.check_password(PASSWORD)
    assert AccountState.objects.get(user=clerk).must_change_password
    client.post("/admin/auth/user/", {"action": "deactivate", "_selected_action": [clerk.pk]})
    clerk.refresh_from_db()
    assert not clerk.is_active
    changes = [
        e.changes for e in AuditEntry.objects.filter(model="auth.user", object_id=str(clerk.pk), action="update")
    ]
    assert any("password" in c for c in changes) and any(c.get("is_active") == [True, False] for c in changes)
    assert Client().post("/admin/login/", {"username": "clerk_r", "password": PASSWORD}).status_code == 200


def test_only_the_security_admin_grants_unmask(district_admin, tree):
    security = make_user("sec_admin", tree["district"], Role.SECURITY_ADMIN)
    clerk = make_user("clerk_u", tree["community_a"], Role.COMMUNITY_STAFF)
    page = _client(district_admin).get(f"/admin/auth/user/{clerk.pk}/change/").content.decode()
    assert "may_unmask" not in page
    client = _client(security)
    assert "may_unmask" in client.get(f"/admin/auth/user/{clerk.pk}/change/").content.decode()
    response = client.post(
        f"/admin/auth/user/{clerk.pk}/change/",
        {
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "role": Role.COMMUNITY_STAFF,
            "organization": tree["community_a"].pk,
            "may_unmask": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assert User.objects.get(pk=clerk.pk).has_perm("members.view_sensitive_data")
    assert AuditEntry.objects.filter(
        model="auth.user", object_id=str(clerk.pk), changes__unmask_permission=[False, True]
    ).exists()


def test_a_secretary_changes_the_first_password_outside_the_admin(district_admin, tree):
    client = _client(district_admin)
    assert _add(client, "new_secretary", Role.BRANCH_SECRETARY, tree["branch_a"]).status_code == 302
    own = Client()
    assert own.login(username="new_secretary", password=NEW_PASSWORD)
    assert own.get("/branch/")["Location"] == "/account/password/"
    assert own.get("/api/v1/organizations/").status_code == 403
    new = "Secretary-own-passphrase-2026"
    response = own.post(
        "/account/password/", {"old_password": NEW_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert own.get("/branch/", follow=True).redirect_chain[-1][0] != "/account/password/"
    assert own.get("/api/v1/organizations/").status_code != 403


def test_the_three_administrators_are_appointed_by_the_superuser_only(district_admin, tree):
    security = make_user("sec_x", tree["district"], Role.SECURITY_ADMIN)
    client = _client(district_admin)
    page = client.get(f"/admin/auth/user/{security.pk}/change/")
    assert page.status_code == 403 or 'name="_save"' not in page.content.decode()
    client.post("/admin/auth/user/", {"action": "deactivate", "_selected_action": [security.pk]})
    assert User.objects.get(pk=security.pk).is_active
