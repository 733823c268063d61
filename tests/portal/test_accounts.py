"""Member logins: one-time activation codes (hashed, short-lived, single-use, sent through the
notification channel), the member login page, and the boundary to the staff tools."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.notify.models import Delivery
from members.models import ActivationCode, MemberAccount
from members.portal import accounts
from organizations.models import Role
from tests.factories import MemberFactory, make_user
from tests.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_issue_stores_only_a_hash_and_sends_the_code(tree, people):
    member = people["other"]
    row, code = accounts.activation_issue(
        member=member, actor=people["secretary"], activate_url="http://x/me/activate/"
    )
    assert code not in row.code_hash and row.code_hash == accounts.code_hash(code)
    account = MemberAccount.objects.get(member=member)
    assert not account.user.is_staff and not account.user.has_usable_password()
    assert account.user.groups.filter(name="党员").exists()
    delivery = Delivery.objects.filter(source="member_activation").latest("id")
    assert delivery.channel == "console" and code in delivery.body


def test_activation_is_single_use_and_short_lived(people):
    member = people["other"]
    now = timezone.now()
    _row, code = accounts.activation_issue(member=member, actor=None, now=now)
    with pytest.raises(ValidationError) as late:
        accounts.account_activate(code=code, password="Another-pass-2026", now=now + datetime.timedelta(hours=49))
    assert "已过期" in str(late.value) or "expired" in str(late.value)
    user = accounts.account_activate(code=code, password="Another-pass-2026", now=now)
    assert user.check_password("Another-pass-2026")
    with pytest.raises(ValidationError):
        accounts.account_activate(code=code, password="Third-pass-2026x", now=now)


def test_a_new_code_voids_the_earlier_one_and_weak_passwords_are_refused(people):
    member = people["other"]
    _row, first = accounts.activation_issue(member=member, actor=None)
    _row, second = accounts.activation_issue(member=member, actor=None)
    with pytest.raises(ValidationError):
        accounts.account_activate(code=first, password="Another-pass-2026")
    with pytest.raises(ValidationError) as weak:
        accounts.account_activate(code=second, password="12345678")
    assert "password1" in weak.value.error_dict
    assert ActivationCode.objects.get(code_hash=accounts.code_hash(second)).used_at is None


def test_activate_page_signs_the_member_in(client, people):
    _row, code = accounts.activation_issue(member=people["other"], actor=None)
    page = client.get(f"/me/activate/?code={code}")
    assert page.status_code == 200 and code in page.content.decode()
    response = client.post(
        "/me/activate/", {"code": code, "password1": "Another-pass-2026", "password2": "Another-pass-2026"}
    )
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert "李四" in client.get("/me/").content.decode()


def test_member_login_page_refuses_staff_with_the_wrong_password_message(client, tree, people):
    make_user("staff_a", tree["community_a"], Role.COMMUNITY_STAFF)
    response = client.post("/me/login/", {"username": "staff_a", "password": "Test-password-2026"})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    wrong = client.post("/me/login/", {"username": people["user"].username, "password": "wrong-password"})
    assert response.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    ok = client.post("/me/login/", {"username": people["user"].username, "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/me/"


def test_member_login_uses_the_lockout(client, people, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(3):
        client.post("/me/login/", {"username": people["user"].username, "password": "wrong-password"})
    locked = client.post("/me/login/", {"username": people["user"].username, "password": PASSWORD})
    assert not locked.wsgi_request.user.is_authenticated


def test_two_factor_still_applies_to_staff_after_member_login_exists(client, tree, people, settings):
    settings.TWO_FACTOR_ENFORCE = True
    settings.TWO_FACTOR_REQUIRED_ROLES = [Role.DISTRICT_ADMIN]
    make_user("district", tree["district"], Role.DISTRICT_ADMIN)
    assert client.login(username="district", password="Test-password-2026")
    assert client.get("/admin/").status_code == 302  # to the second factor
    client.logout()
    assert client.login(username=people["user"].username, password=PASSWORD)
    assert client.get("/me/").status_code == 200  # members are not asked for a second factor


def test_member_never_reaches_staff_tools(member_client, tree):
    branch = tree["branch_a"]
    admin = member_client.get("/admin/")
    assert admin.status_code in (302, 403)
    if admin.status_code == 302:
        assert "/admin/login/" in admin["Location"]
    for url in ("/branch/", f"/branch/{branch.pk}/", f"/branch/{branch.pk}/members/", "/dashboard/"):
        assert member_client.get(url).status_code == 403, url
    assert member_client.get("/api/v1/members/").status_code == 403


def test_staff_without_a_member_record_get_403_on_portal_pages(client, tree):
    make_user("sec_b", tree["branch_b"], Role.BRANCH_SECRETARY)
    client.login(username="sec_b", password="Test-password-2026")
    assert client.get("/me/points/").status_code == 403
    client.logout()
    assert client.get("/me/points/")["Location"].startswith("/me/login/")


def test_secretary_issues_a_login_on_the_phone_page(client, tree, people):
    member = MemberFactory(name="王五", branch=tree["branch_a"])
    client.login(username="sec_a", password="Test-password-2026")
    response = client.post(f"/branch/{tree['branch_a'].pk}/members/{member.pk}/login/")
    assert response.status_code == 200
    code = response.context["issued"]["code"]
    assert ActivationCode.objects.filter(member=member, code_hash=accounts.code_hash(code)).exists()
    outsider = people["outsider"]
    assert client.post(f"/branch/{tree['branch_a'].pk}/members/{outsider.pk}/login/").status_code == 404


def test_staff_issue_a_login_from_the_admin_and_every_write_is_audited(client, tree, people):
    from core.audit.models import AuditEntry

    member = MemberFactory(name="王五", branch=tree["branch_a"])
    make_user("staff_a", tree["community_a"], Role.COMMUNITY_STAFF)
    client.login(username="staff_a", password="Test-password-2026")
    response = client.post(
        "/admin/members/member/",
        {"action": "issue_member_login", "_selected_action": [member.pk]},
        follow=True,
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "王五" in shown and "激活码" in shown
    row = ActivationCode.objects.get(member=member)
    entry = AuditEntry.objects.get(model="members.activationcode", object_id=str(row.pk))
    assert entry.username == "staff_a" and row.code_hash not in str(entry.changes)
    assert AuditEntry.objects.filter(model="members.memberaccount", object_id=str(member.account.pk)).exists()
