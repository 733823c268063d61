"""党员端 on a phone (390×844): the secretary issues a login, the member activates it, checks in
by QR at a meeting and the secretary confirms; the member claims and fulfils a micro-wish and
the points ledger shows it once; a replayed check-in code is refused. Every new page passes axe."""

import base64
import datetime

import pytest

from members.models import Attendance, PointsEntry
from members.points import award_points
from members.portal import checkin
from organizations import services as org_services
from organizations.models import Role
from projects import services as project_services
from tests.browser.axe import assert_accessible
from tests.factories import MemberFactory, make_ledger_meeting, make_user
from tests.screenshots import SHOTS

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _login_secretary(page, base):
    page.goto(f"{base}/branch/login/")
    page.fill("input[name=username]", "sec_a")
    page.fill("input[name=password]", "Test-password-2026")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_activates_checks_in_and_fulfils_a_wish(live_server, phone, browser, tree):
    branch = tree["branch_a"]
    compound = org_services.compound_save(name="华城国际小区", community=tree["community_a"], branch=branch)
    me = MemberFactory(name="张建国", branch=branch, compound=compound, occupation_status="in_service")
    other = MemberFactory(name="李秀英", branch=branch, compound=compound)
    make_user("sec_a", branch, Role.BRANCH_SECRETARY)
    meeting = make_ledger_meeting(branch, [other], absent=[me], topic="学习党章")
    other_meeting = make_ledger_meeting(branch, [other, me], topic="另一次会议")
    project_services.wish_publish(
        community=tree["community_a"],
        compound=compound,
        resident_name="赵秀英",
        content="希望有人陪同去医院复查",
        published_on=datetime.date(2026, 6, 1),
    )
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    # The secretary opens a login for 张建国 from the members page.
    _login_secretary(phone, base)
    phone.goto(f"{base}/branch/{branch.pk}/members/")
    phone.locator("li.member", has_text="张建国").locator("a.member-login").click()
    phone.click("#issue")
    link = phone.get_attribute("#activation-link", "href")
    assert phone.inner_text("#activation-code")
    assert_accessible(phone)

    # The member, on their own phone, activates the login and lands on their home page.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai")
    mine = context.new_page()
    mine.set_default_timeout(15000)
    mine.goto(link)
    assert_accessible(mine)
    mine.fill("input[name=password1]", "Jianguo-2026-pass")
    mine.fill("input[name=password2]", "Jianguo-2026-pass")
    mine.click("button[type=submit].primary")
    mine.wait_for_url(f"{base}/me/")
    assert "我的志愿岗位" in mine.content()
    assert_accessible(mine)
    mine.screenshot(path=str(SHOTS / "portal-home.png"))

    # QR check-in: the secretary shows the code, the member opens it, the secretary confirms.
    phone.goto(f"{base}/branch/meetings/{meeting.pk}/")
    phone.click("#qr-checkin")
    assert phone.locator("#checkin-qr svg").count() == 1
    assert_accessible(phone)
    url = phone.get_attribute("#checkin-url", "href")
    mine.goto(url)
    assert_accessible(mine)
    mine.click("#checkin")
    assert "待支部书记确认" in mine.inner_text("#checkin-done")
    assert_accessible(mine)
    phone.click("#reload")
    assert "张建国" in phone.inner_text("#pending")
    phone.click("#confirm")
    assert "张建国" in phone.inner_text("#decided")
    assert Attendance.objects.get(meeting=meeting, member=me).status == "present"
    phone.screenshot(path=str(SHOTS / "portal-checkin-secretary.png"))

    # Replayed after expiry, or for another meeting: refused in Chinese.
    stale = checkin.checkin_token(meeting, now=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5))
    mine.goto(f"{base}/me/checkin/{meeting.pk}/?t={stale}")
    assert "已过期" in mine.inner_text("#checkin-refused")
    assert_accessible(mine)
    foreign = checkin.checkin_token(other_meeting)
    mine.goto(f"{base}/me/checkin/{meeting.pk}/?t={foreign}")
    assert "另一场会议" in mine.inner_text("#checkin-refused")

    # The micro-wish: claim, fulfil with a photo, points once.
    mine.goto(f"{base}/me/wishes/")
    assert_accessible(mine)
    mine.locator("#open-wishes li.wish", has_text="陪同去医院").locator("button.claim").click()
    mine.locator("#my-wishes li.wish", has_text="陪同去医院").locator("a.button").click()
    assert_accessible(mine)
    mine.fill("textarea[name=note]", "周六上午陪同赵阿姨到区医院复查")
    mine.set_input_files("input[name=photo]", {"name": "photo.png", "mimeType": "image/png", "buffer": PNG})
    mine.click("#fulfil")
    mine.wait_for_url(f"{base}/me/wishes/")
    award_points()  # the worker's periodic run finds nothing new
    mine.goto(f"{base}/me/points/")
    assert mine.locator("#points-ledger li.entry", has_text="微心愿").count() == 1
    assert PointsEntry.objects.filter(member=me, kind="micro_wish").count() == 1
    assert_accessible(mine)
    mine.screenshot(path=str(SHOTS / "portal-points.png"))

    for path in ("/me/life/", "/me/dues/", "/me/report/", "/me/checkins/", "/me/requests/"):
        mine.goto(f"{base}{path}")
        assert_accessible(mine)
    mine.click("header button")  # log out
    mine.wait_for_url(f"{base}/me/login/")
    assert_accessible(mine)
    context.close()
