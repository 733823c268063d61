"""The 数据质量 page and the 大屏 in a real browser: accessible (axe), and looked at as screenshots."""

import pytest

from organizations.models import Role
from tests.browser.axe import assert_accessible
from tests.factories import MemberFactory, make_tree, make_user
from tests.screenshots import SHOTS

pytestmark = pytest.mark.browser


def test_data_quality_and_big_screen(transactional_db, live_server, browser):
    tree = make_tree()
    MemberFactory(branch=tree["branch_a"], name="缺项甲")
    make_user("dq_street", tree["street"], Role.STREET_STAFF)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/organizations/organization/data-quality/")
    page.fill("#id_username", "dq_street")
    page.fill("#id_password", "Test-password-2026")
    page.click("input[type=submit]")
    page.wait_for_selector("#dq-checks")
    assert "缺手机号的党员" in page.content()
    # The admin's own breadcrumbs (every admin page) are the accessible-admin work's, not this page's.
    assert_accessible(page, exclude=[".breadcrumbs"])
    page.screenshot(path=str(SHOTS / "data-quality.png"), full_page=True)
    page.goto(f"{live_server.url}/dashboard/screen/")
    page.wait_for_selector("#screen-cards")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "big-screen.png"))
    context.close()
