"""我的志愿岗位 on the member's home page: the posts I hold now and my confirmed hours this
year; my service records with their status. Only my own rows."""

import datetime

import pytest
from django.utils import timezone

from members.volunteering import services as vol
from tests.factories import VolunteerPostFactory

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def posts(tree, compound, people):
    branch = tree["branch_a"]
    mine = VolunteerPostFactory(organization=branch, compound=compound, kind="model_post", name="党员示范岗·一号楼")
    theirs = VolunteerPostFactory(organization=branch, kind="patrol", name="治安巡逻岗")
    day = timezone.localdate()
    start = day - datetime.timedelta(days=30)
    me = vol.holder_add(post=mine, member=people["me"], started_on=start)
    other = vol.holder_add(post=theirs, member=people["other"], started_on=start)
    sec = people["secretary"]
    vol.service_record(holder=me, served_on=day, hours="2.5", description="楼道清扫", actor=sec, confirm=True)
    vol.service_record(holder=me, served_on=day, hours="1", description="政策宣讲", actor=sec)
    vol.service_record(holder=other, served_on=day, hours="3", description="夜间巡逻", actor=sec, confirm=True)
    return {"mine": mine, "theirs": theirs}


def test_home_shows_my_posts_and_confirmed_hours(member_client, posts):
    html = member_client.get("/me/").content.decode()
    section = html[html.index('id="volunteer-posts"') :]
    assert "党员示范岗·一号楼" in section
    assert "治安巡逻岗" not in section
    assert 'id="service-hours">2.5<' in section
    assert "将在此显示" not in html and "will be shown here" not in html


def test_home_without_posts(member_client):
    html = member_client.get("/me/").content.decode()
    assert 'id="service-hours">0<' in html


def test_service_records_page_lists_mine_with_status(member_client, posts):
    html = member_client.get("/me/service/").content.decode()
    assert "楼道清扫" in html and "政策宣讲" in html
    assert "夜间巡逻" not in html
    assert "已确认" in html and "待确认" in html


def test_service_records_page_needs_a_member_login(client, posts):
    response = client.get("/me/service/")
    assert response.status_code == 302 and "/me/login/" in response["Location"]
