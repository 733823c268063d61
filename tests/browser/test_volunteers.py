"""A branch secretary records a day's service on the phone, sees the Chinese error for too many
hours, then confirms the pending record; the page passes the accessibility check."""

import datetime

import pytest

from members.models import PointsEntry
from members.volunteering import services
from organizations.models import Role
from tests.browser.axe import assert_accessible
from tests.browser.test_secretary_flow import login
from tests.factories import MemberFactory, ResidentVolunteerFactory, VolunteerPostFactory, make_tree, make_user
from tests.screenshots import SHOTS

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_secretary_records_and_confirms_service_hours(live_server, phone):
    tree = make_tree()
    branch = tree["branch_a"]
    member = MemberFactory(branch=branch, name="张建国")
    post = VolunteerPostFactory(organization=branch, name="党员示范岗")
    holder = services.holder_add(post=post, member=member, started_on=datetime.date(2025, 1, 1))
    resident = ResidentVolunteerFactory(branch=branch, name="周阿姨")
    services.holder_add(
        post=VolunteerPostFactory(organization=branch, kind="patrol", name="治安巡逻岗"), volunteer=resident
    )
    make_user("vol_sec", branch, Role.BRANCH_SECRETARY)
    base = live_server.url

    login(phone, base, "vol_sec")
    phone.goto(f"{base}/branch/{branch.pk}/")
    phone.click("text=设岗定责与时间银行")
    assert phone.url.endswith(f"/branch/{branch.pk}/volunteers/")
    assert_accessible(phone)

    phone.select_option("select[name=holder]", str(holder.pk))
    phone.fill("input[name=hours]", "30")
    phone.fill("input[name=description]", "巡查消防通道")
    phone.uncheck("input[name=confirm]")
    phone.click("button[type=submit].primary")
    errors = phone.locator(".errorlist").all_inner_texts()
    assert any("不能超过 24 小时" in e for e in errors), errors
    assert_accessible(phone)

    phone.fill("input[name=hours]", "2.5")
    phone.click("button[type=submit].primary")
    phone.wait_for_selector("text=服务记录已登记")
    assert "待确认" in phone.content() and "张建国" in phone.inner_text("ul.list >> nth=0")
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "branch-volunteers.png"), full_page=True)
    assert_accessible(phone)

    phone.click("ul.list >> nth=0 >> button:has-text('确认')")
    phone.wait_for_selector("text=服务记录已确认")
    assert "2.5 小时" in phone.content()
    assert PointsEntry.objects.filter(member=member, kind="service_hours").count() == 1
