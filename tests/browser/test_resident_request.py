"""群众点单 → 支部派单 → 党员接单 → 评价 on phones: a resident places a request from the compound's
public page, the secretary triages and dispatches it on the phone, the member signs in on their
own phone, accepts and resolves it, the resident rates it from the tracking link. Every page
passes axe (0 critical, 0 serious)."""

import pytest
from django.core.cache import cache

from organizations import services as org_services
from organizations.models import Role
from projects import services
from projects.models import ResidentRequest
from tests.browser.axe import assert_accessible
from tests.factories import NumberedMemberFactory, make_member_login, make_tree, make_user
from tests.screenshots import SHOTS


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_request_chain(live_server, browser):
    cache.clear()
    # Phone-sized contexts; CSP bypassed only so that the vendored axe script can be injected.
    size = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN"}
    resident_context = browser.new_context(**size)
    phone = resident_context.new_page()
    tree = make_tree()
    branch = tree["branch_a"]
    compound = org_services.compound_save(name="华城国际", community=tree["community_a"], branch=branch)
    intake = services.intake_for(compound)
    member = NumberedMemberFactory(branch=branch, name="张建国", compound=compound)
    login = make_member_login(member, "Jianguo-2026-pass")
    make_user("sec_a", branch, Role.BRANCH_SECRETARY)
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    # The resident, without an account, from the printed QR code.
    phone.goto(f"{base}/r/c/{intake.token}/")
    assert_accessible(phone)
    phone.fill("textarea[name=description]", "3栋楼道灯坏了，晚上看不见")
    phone.fill("input[name=building_unit]", "3栋2单元")
    phone.fill("input[name=phone]", "12345")
    phone.click("button[type=submit]")
    assert "联系电话" in phone.inner_text(".error")
    assert_accessible(phone)
    phone.fill("input[name=phone]", "138 1234 5678")
    phone.screenshot(path=str(SHOTS / "resident-request-form.png"), full_page=True)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/r/t/**")
    tracking_url = phone.url
    assert "诉求已提交" in phone.content() and "138****5678" in phone.content()
    assert_accessible(phone)

    # The secretary, on their own phone.
    context = browser.new_context(**size)
    sec = context.new_page()
    sec.goto(f"{base}/branch/login/")
    sec.fill("input[name=username]", "sec_a")
    sec.fill("input[name=password]", "Test-password-2026")
    sec.click("button[type=submit].primary")
    sec.goto(f"{base}/branch/{branch.pk}/requests/")
    assert_accessible(sec)
    sec.click("text=3栋楼道灯坏了")
    assert_accessible(sec)
    sec.locator("input[name=t-triage][value=minor] + span").click()
    sec.click("text=保存分流")
    sec.wait_for_selector("text=已分流")
    sec.select_option("select[name=d-member]", str(member.pk))
    sec.fill("input[name=d-due_on]", "2099-12-31")
    sec.screenshot(path=str(SHOTS / "branch-request-dispatch.png"), full_page=True)
    sec.click("button:has-text('派单')")
    sec.wait_for_selector("text=已派单")
    assert "张建国" in sec.content()
    assert_accessible(sec)
    sec.goto(f"{base}/branch/{branch.pk}/wishes/")
    assert_accessible(sec)
    sec.goto(f"{base}/branch/{branch.pk}/reports/")
    assert_accessible(sec)
    context.close()

    # The member, on their own phone: signs in, accepts, records progress and resolves it.
    member_context = browser.new_context(**size)
    mine = member_context.new_page()
    mine.goto(f"{base}/me/login/")
    assert_accessible(mine)
    mine.fill("input[name=username]", login.username)
    mine.fill("input[name=password]", "Jianguo-2026-pass")
    mine.click("button[type=submit].primary")
    mine.wait_for_url(f"{base}/me/")
    mine.goto(f"{base}/me/requests/")
    assert_accessible(mine)
    mine.click("text=3栋楼道灯坏了")
    assert_accessible(mine)
    mine.click("#accept")
    mine.wait_for_selector("#progress")
    assert "已派单" in mine.inner_text("#request-status")
    mine.fill("textarea[name=note]", "已联系物业，明天上午更换")
    mine.click("#progress")
    mine.wait_for_selector("text=已联系物业，明天上午更换")
    assert_accessible(mine)
    mine.fill("textarea[name=resolution]", "已更换灯泡")
    mine.screenshot(path=str(SHOTS / "portal-request-resolve.png"), full_page=True)
    mine.click("#resolve")
    mine.wait_for_selector("#request-status:not(:has-text('已派单'))")
    assert mine.locator("#resolve").count() == 0
    assert_accessible(mine)
    for path in ("/me/", "/me/service/"):
        mine.goto(f"{base}{path}")
        assert_accessible(mine)
    member_context.close()
    obj = ResidentRequest.objects.get()
    assert obj.status == "resolved" and obj.resolution == "已更换灯泡"

    # The resident rates it from the tracking link, once.
    phone.goto(tracking_url)
    assert "已更换灯泡" in phone.content()
    assert_accessible(phone)
    phone.locator("input[name=score][value='5'] + span").click()
    phone.fill("textarea[name=comment]", "很及时，谢谢")
    phone.click("button[type=submit]")
    phone.wait_for_selector("text=感谢您的评价")
    assert phone.locator("input[name=score]").count() == 0
    assert_accessible(phone)
    phone.screenshot(path=str(SHOTS / "resident-request-rated.png"), full_page=True)
    resident_context.close()
    obj.refresh_from_db()
    assert obj.status == "rated" and obj.score == 5
