"""A branch secretary records a 党员大会 on a phone and sees the quorum and the dashboard."""

import pytest

from organizations.models import Role
from tests.factories import NumberedMemberFactory, VenueFactory, make_tree, make_user
from tests.screenshots import SHOTS


def login(page, base, username):
    page.goto(f"{base}/branch/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test-password-2026")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_secretary_records_party_congress(live_server, phone):
    tree = make_tree()
    branch = tree["branch_a"]
    VenueFactory(branch=branch, name="华城国际党群服务驿站", address="金鹤路12号")
    names = ["张建国", "李秀英", "王志强", "刘淑珍", "陈德明", "杨晓红"]
    members = [NumberedMemberFactory(branch=branch, name=n) for n in names]
    NumberedMemberFactory(branch=branch, name="赵小伟", probationary=True)
    make_user("sec_a", branch, Role.BRANCH_SECRETARY)
    make_user("sec_b", tree["branch_b"], Role.BRANCH_SECRETARY)
    base = live_server.url

    login(phone, base, "sec_a")
    assert f"/branch/{branch.pk}/" in phone.url
    phone.goto(f"{base}/branch/{branch.pk}/?period=quarter")
    before = phone.locator(".kind", has_text="支部党员大会").inner_text()
    assert "0/1" in before

    phone.goto(f"{base}/branch/{branch.pk}/meetings/new/?kind=party_congress")
    assert phone.input_value("input[name=place]").startswith("华城国际党群服务驿站")
    phone.fill("input[name=topic]", "讨论接收预备党员")
    phone.fill("textarea[name=agenda]", "一、学习\n二、表决")
    # Nobody is marked in advance; "全部出席" marks everyone, then the secretary changes two.
    assert phone.locator("ul.attendance input[type=radio]:checked").count() == 0
    phone.click("#all-present")
    phone.locator(f"li[data-member='{members[4].pk}'] input[value=excused] + span").click()
    phone.fill(f"li[data-member='{members[4].pk}'] input.reason", "外出务工")
    phone.locator(f"li[data-member='{members[5].pk}'] input[value=absent] + span").click()
    phone.fill("input[name=res-0-text]", "同意接收赵小伟为预备党员")
    phone.fill("input[name=res-0-votes_for]", "4")
    phone.fill("input[name=guest-0-name]", "王建华")
    phone.fill("input[name=guest-0-affiliation]", "业委会")
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=str(SHOTS / "branch-meeting-form.png"), full_page=False)
    phone.click("#save")
    phone.wait_for_selector("#quorum")
    quorum = phone.inner_text("#quorum")
    assert "达到法定人数" in quorum and "实到 4 人" in quorum and "应到 6 人" in quorum
    assert "通过" in phone.content()
    meeting_url = phone.url

    phone.goto(f"{base}/branch/{branch.pk}/?period=quarter")
    assert "1/1" in phone.locator(".kind", has_text="支部党员大会").inner_text()
    phone.screenshot(path=str(SHOTS / "branch-dashboard.png"), full_page=False)

    phone.click("button.link")  # log out
    login(phone, base, "sec_b")
    response = phone.goto(meeting_url)
    assert response.status == 404
