"""A branch with members and a recorded meeting, and the same in the sibling branch (which
must never show in branch A's ledger)."""

import pytest
from django.utils import timezone

from members.ledgers import pdf
from members.models import MeetingKind
from organizations.models import Role
from tests.conftest import skip_or_fail
from tests.factories import RosterMemberFactory, make_ledger_meeting, make_user

YEAR = timezone.localdate().year


@pytest.fixture
def ledger_data(tree):
    a = tree["branch_a"]
    b = tree["branch_b"]
    zhang = RosterMemberFactory(branch=a, name="张建国", phone="13812345678")
    li = RosterMemberFactory(branch=a, name="李秀英")
    wang = RosterMemberFactory(branch=a, name="王志强")
    other = RosterMemberFactory(branch=b, name="赵外支")
    meeting = make_ledger_meeting(
        a,
        [zhang, li],
        excused=[(wang, "外出探亲")],
        topic="学习贯彻全会精神",
        place="党群服务站",
        host=zhang,
        recorder=li,
        minutes="会议传达了全会精神。",
        resolutions=[{"text": "同意增补委员", "votes_for": 2, "votes_against": 0, "votes_abstain": 0}],
        kind=MeetingKind.PARTY_CONGRESS,
    )
    make_ledger_meeting(b, [other], topic="乙支部专题会", kind=MeetingKind.PARTY_CONGRESS)
    return {"a": a, "b": b, "zhang": zhang, "li": li, "wang": wang, "other": other, "meeting": meeting}


@pytest.fixture
def staff_a_nounmask(tree):
    return make_user("ledger_staff_a", tree["community_a"], Role.COMMUNITY_STAFF)


@pytest.fixture
def need_pdf():
    reason = pdf.unavailable_reason()
    if reason:
        skip_or_fail(reason)
