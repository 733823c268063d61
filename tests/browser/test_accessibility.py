"""The pages clerks and secretaries use pass axe-core with no critical or serious violation, and
the phone page's small controls (header link, log out, calendar link, file input) are at least
44×44 px. One browser, one logged-in context per area, seeded through the factories."""

import datetime

import pytest

from organizations.models import Role
from tests.browser.axe import assert_accessible
from tests.browser.test_member_import import roster, upload
from tests.factories import (
    PositionFactory,
    VenueFactory,
    make_candidate,
    make_congress,
    make_dues_member,
    make_ledger_meeting,
    make_recorded_member,
    make_tree,
    make_user,
)

PASSWORD = "Test-password-2026"
MIN_TAP = 44
TAP = ("target-size",)  # axe leaves it off by default; the phone pages must pass it


def _context(browser, *, phone=False):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _visit(page, url, *, enable=()):
    response = page.goto(url)
    page.wait_for_load_state()
    assert response.status == 200, f"{url}: {response.status}"
    assert_accessible(page, enable=enable)


def _seed(tree):
    branch = tree["branch_a"]
    VenueFactory(branch=branch, name="华城国际党群服务驿站", address="金鹤路12号")
    names = ("张建国", "李秀英", "王志强")
    members = [make_recorded_member(branch, name=n, party_number=f"50010000000{i}") for i, n in enumerate(names)]
    make_dues_member(branch, name="刘淑珍")
    candidate = make_candidate(branch, name="陈小梅")
    PositionFactory(member=members[0])
    make_ledger_meeting(branch, members[:2], absent=members[2:], topic="学习党章")
    meeting, _resolution = make_congress(branch, datetime.date.today() - datetime.timedelta(days=2), voters=members)
    return branch, members, meeting, candidate


def _admin_login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_pages_are_accessible(live_server, browser):
    tree = make_tree()
    branch, members, meeting, _candidate = _seed(tree)
    group = tree["group_a"]
    make_user("clerk_a", tree["community_a"], Role.COMMUNITY_STAFF, is_staff=True)
    make_user("district_a", tree["district"], Role.DISTRICT_ADMIN, is_staff=True)
    base = live_server.url
    context, page = _context(browser)
    try:
        page.goto(f"{base}/admin/login/")
        assert_accessible(page)
        _admin_login(page, base, "clerk_a")
        for path in (
            "/admin/",
            "/admin/members/member/",
            "/admin/members/member/add/",
            f"/admin/members/member/{members[0].pk}/change/",
        ):
            _visit(page, base + path)
        # A new inline row (added by the admin's script) is labelled as the rows already there.
        page.locator("#positions-group .add-row a").click()
        assert_accessible(page)

        # The import page, empty and with a preview naming a bad row.
        _visit(page, f"{base}/admin/members/member/import/")
        upload(page, roster(branch, group, bad_row=4), "名册.csv")
        assert "共 1 处错误" in page.content()
        assert_accessible(page)
        upload(page, roster(branch, group), "名册.csv")
        assert page.locator("input[value=确认导入]").count() == 1
        assert_accessible(page)

        for path in (
            "/admin/members/meeting/",
            f"/admin/members/meeting/{meeting.pk}/change/",
            "/admin/members/meeting/behind/?all=1",
            "/dashboard/",
        ):
            _visit(page, base + path)
    finally:
        context.close()

    # District staff see the whole district: more rows, more filters, the street level.
    context, page = _context(browser)
    try:
        _admin_login(page, base, "district_a")
        for path in ("/admin/", "/admin/members/member/", "/admin/members/meeting/behind/?all=1", "/dashboard/"):
            _visit(page, base + path)
    finally:
        context.close()


def _tap_size(page, selector):
    box = page.locator(selector).first.bounding_box()
    assert box, f"{selector} not visible"
    assert box["width"] >= MIN_TAP and box["height"] >= MIN_TAP, f"{selector}: {box['width']}×{box['height']}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_pages_are_accessible(live_server, browser):
    tree = make_tree()
    branch, _members, meeting, candidate = _seed(tree)
    make_user("sec_a", branch, Role.BRANCH_SECRETARY)
    base = live_server.url
    context, page = _context(browser, phone=True)
    year = datetime.date.today().year
    try:
        page.goto(f"{base}/branch/login/")
        assert_accessible(page)
        page.fill("input[name=username]", "sec_a")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_load_state()
        _visit(page, f"{base}/branch/{branch.pk}/", enable=TAP)
        _tap_size(page, "header.top .brand")
        _tap_size(page, "header.top .logout button")
        _tap_size(page, f"main a[href$='/branch/{branch.pk}/calendar/']")
        _visit(page, f"{base}/branch/{branch.pk}/calendar/", enable=TAP)
        _visit(page, f"{base}/branch/{branch.pk}/meetings/new/", enable=TAP)
        _tap_size(page, "input[type=file]")
        for path in ("candidates/", f"appraisal/?year={year}", "dues/", "meetings/", "members/", "ledger/"):
            _visit(page, f"{base}/branch/{branch.pk}/{path}", enable=TAP)
        _visit(page, f"{base}/branch/meetings/{meeting.pk}/", enable=TAP)
        _visit(page, f"{base}/branch/candidates/{candidate.pk}/record/", enable=TAP)
    finally:
        context.close()
