"""The secretary's phone pages: the branch's candidates, and recording a talk / assessment."""

import datetime

from django.test import Client

from members.development.models import CandidateStep
from organizations.models import Role
from tests.factories import make_candidate, make_user


def test_secretary_lists_and_records_talk(tree):
    secretary = make_user("dev_page_sec", tree["branch_a"], Role.BRANCH_SECRETARY)
    c = make_candidate(tree["branch_a"], applied_on=datetime.date(2026, 10, 1), name="李小花")
    other = make_candidate(tree["branch_b"], name="外支部")
    client = Client()
    client.force_login(secretary)
    html = client.get(f"/branch/{tree['branch_a'].pk}/candidates/").content.decode()
    assert "李小花" in html and "党组织派人谈话" in html and "2026-11-01" in html
    assert client.get(f"/branch/{tree['branch_b'].pk}/candidates/").status_code == 404
    assert client.get(f"/branch/candidates/{other.pk}/record/").status_code == 404
    url = f"/branch/candidates/{c.pk}/record/"
    assert client.get(url).status_code == 200
    late = client.post(url, {"code": "talk", "on": "2026-11-05"})
    assert late.status_code == 200 and "一个月内" in late.content.decode()
    assert client.post(url, {"code": "activist", "on": "2026-10-05"}).status_code == 200  # not a phone step
    assert CandidateStep.objects.filter(candidate=c).count() == 1
    assert client.post(url, {"code": "talk", "on": "2026-10-20", "notes": "谈话顺利"}).status_code == 302
    assert CandidateStep.objects.get(candidate=c, code="talk").notes == "谈话顺利"
