"""A community clerk imports a compound's roster in the admin, in a real browser: the preview names
the bad row, nothing is saved; the fixed file is confirmed; the members are found through the
sidebar filters (branch, then its building group) with their ID numbers masked."""

import datetime

import pytest

from members import crypto
from members.models import Member
from organizations.models import Role
from tests.factories import make_tree, make_user
from tests.screenshots import SHOTS

HEADER = ["姓名", "性别", "身份证号", "手机号", "党员类别", "入党日期", "转正日期", "职业状况", "所在支部", "党小组"]
NAMES = ["张建国", "李秀英", "王志强", "刘淑珍", "陈德明"]


def roster(branch, group, *, bad_row: int | None = None) -> bytes:
    """A GBK CSV as Excel on Windows saves it; ``bad_row`` (spreadsheet row) gets 转正 before 入党."""
    lines = [",".join(HEADER)]
    for i, name in enumerate(NAMES):
        birth = datetime.date(1958 + i, 3 + i, 9 + i)
        full_on = "1985-06-30" if i + 2 == bad_row else "1991-07-01"
        lines.append(
            ",".join(
                [
                    name,
                    "女" if i % 2 else "男",
                    crypto.make_id_number("500108", birth, 101 + i),
                    f"1380023{i:04d}",
                    "正式党员",
                    "1990-07-01",
                    full_on,
                    "离退休",
                    branch.name,
                    group.name if i < 3 else "",
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def upload(page, data: bytes, name: str) -> None:
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    page.click("input[type=submit]:not(.default)")
    page.wait_for_load_state()


def admin_login(page, url: str) -> None:
    page.goto(url)
    page.fill("input[name=username]", "clerk_a")
    page.fill("input[name=password]", "Test-password-2026")
    page.click("input[type=submit]")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_clerk_imports_a_roster_and_finds_the_members(live_server, browser):
    tree = make_tree()
    branch, group = tree["branch_a"], tree["group_a"]
    clerk = make_user("clerk_a", tree["community_a"], Role.COMMUNITY_STAFF, is_staff=True)
    assert clerk.is_staff
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url
    try:
        admin_login(page, f"{base}/admin/login/?next=/admin/members/member/")
        page.click("text=从 Excel 导入")

        # One bad row: the preview names it, with the column and the reason; nothing is saved.
        upload(page, roster(branch, group, bad_row=4), "华城国际党员名册.csv")
        assert "共 1 处错误" in page.content()
        cells = page.locator("p.errornote + table tbody tr").first.locator("td").all_inner_texts()
        assert cells[:2] == ["4", "转正日期"] and "早于" in cells[2]
        assert page.locator("input[value=确认导入]").count() == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "admin-member-import-preview.png"), full_page=True)
        assert Member.objects.count() == 0

        # The fixed file: a clean preview, then confirm.
        upload(page, roster(branch, group), "华城国际党员名册.csv")
        assert "共 5 行：将新增 5 名，更新 0 名。" in page.content()
        assert Member.objects.count() == 0
        page.click("input[value=确认导入]")
        page.wait_for_load_state()
        assert page.url.endswith("/admin/members/member/")
        assert Member.objects.filter(branch=branch).count() == 5

        # Find them through the sidebar: the branch, then (offered only now) its building group.
        filters = page.locator("#changelist-filter")
        assert filters.locator(f"a:text-is('{group.name}')").count() == 0
        filters.locator(f"a:text-is('{branch.name}')").click()
        page.wait_for_load_state()
        assert page.locator("#result_list tbody tr").count() == 5
        page.locator("#changelist-filter").locator(f"a:text-is('{group.name}')").click()
        page.wait_for_load_state()
        rows = page.locator("#result_list tbody tr")
        assert rows.count() == 3
        assert set(rows.locator("th, td.field-name").all_inner_texts()) >= set(NAMES[:3])
        html = page.content()
        first_id = crypto.make_id_number("500108", datetime.date(1958, 3, 9), 101)
        assert crypto.mask_id_number(first_id) in html and first_id not in html
        assert "138****0000" in html and "13800230000" not in html
        page.screenshot(path=str(SHOTS / "admin-member-list-filtered.png"), full_page=False)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_big_roster_goes_to_the_worker_with_a_progress_page(live_server, browser, settings):
    """Above IMPORT_WORKER_ROWS the check and the save run as worker jobs (eager here): the job
    page shows the rows read and validated, the confirm button, then the saved result."""
    from tests.browser.axe import assert_accessible

    settings.IMPORT_WORKER_ROWS = 2
    tree = make_tree()
    branch, group = tree["branch_a"], tree["group_a"]
    make_user("clerk_a", tree["community_a"], Role.COMMUNITY_STAFF, is_staff=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        admin_login(page, f"{live_server.url}/admin/login/?next=/admin/members/member/import/")
        upload(page, roster(branch, group), "华城国际党员名册.csv")
        assert "/admin/members/member/jobs/" in page.url
        text = page.locator("#job-progress").inner_text()
        assert "已读取行数：5" in text and "已校验行数：5" in text and "共 5 行" in text
        assert_accessible(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "admin-member-import-job.png"), full_page=True)
        assert Member.objects.count() == 0
        page.click("input[value=确认导入]")
        page.wait_for_load_state()
        assert "已保存行数：5" in page.locator("#job-progress").inner_text()
        assert Member.objects.filter(branch=branch).count() == 5
    finally:
        context.close()
