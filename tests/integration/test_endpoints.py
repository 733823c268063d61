"""The generic endpoint checks (``tests/api_mixins.py``) applied to every app's main endpoints:
list/detail, ``org`` filter, scope (404 and counts), constant queries, ETag, xlsx export with
masked personal data, update round trip, and a create round trip from each model's factory."""

import datetime
import itertools

from committees import services as committee_services
from committees.models import Committee, Matter
from members.meetings import meeting_record
from members.models import Meeting, Member, Position
from members.services import member_create
from organizations.models import Compound
from projects import services as project_services
from projects.models import Activity, Agreement, MicroWish, ResidentRequest
from tests.api_mixins import APIEndpointChecks
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    CommitteeFactory,
    MatterFactory,
    MeetingFactory,
    MemberFactory,
    MicroWishFactory,
    PartnerUnitFactory,
    PositionFactory,
    ResidentRequestFactory,
)
from tests.stats.conftest import make_compound

DAY = datetime.date(2026, 3, 2)
_ids = itertools.count(1)


def _community(tree, inside):
    return tree["community_a" if inside else "community_b"]


def _branch(tree, inside):
    return tree["branch_a" if inside else "branch_b"]


def _compound(tree, inside):
    community = _community(tree, inside)
    return Compound.objects.filter(community=community).first() or make_compound(community)


class TestMembers(APIEndpointChecks):
    url = "/api/v1/members/"
    model = Member
    masked_columns = {"手机号": r"^\d{3}\*{4}\d{4}$"}
    factory = MemberFactory

    def factory_fields(self, tree, inside):
        return {"branch": _branch(tree, inside)}

    def make(self, tree, inside, n):
        k = next(_ids)
        return member_create(
            name=f"党员{k}",
            gender="male",
            branch=_branch(tree, inside),
            phone=f"139{k:08d}",
        )


class TestPositions(APIEndpointChecks):
    url = "/api/v1/positions/"
    model = Position

    factory = PositionFactory

    def factory_fields(self, tree, inside):
        branch = _branch(tree, inside)
        return {"member": MemberFactory(branch=branch), "organization": branch, "kind": "unit_head", "started_on": DAY}

    def make(self, tree, inside, n):
        member = MemberFactory(name=f"委员{next(_ids)}", gender="female", branch=_branch(tree, inside))
        return PositionFactory(member=member, organization=_branch(tree, inside), kind="unit_head", started_on=DAY)


class TestMeetings(APIEndpointChecks):
    url = "/api/v1/meetings/"
    model = Meeting

    factory = MeetingFactory

    def factory_fields(self, tree, inside):
        # As the API writes it back: local time of the site (Asia/Shanghai).
        return {"organization": _branch(tree, inside), "held_at": "2026-03-02T19:00:00+08:00"}

    def make(self, tree, inside, n):
        held = datetime.datetime(2026, 3, 2, 19, 0, tzinfo=datetime.UTC) + datetime.timedelta(hours=n)
        return meeting_record(
            organization=_branch(tree, inside), kind="theme_day", held_at=held, topic=f"主题党日{n}", attendance=[]
        )


class TestCommittees(APIEndpointChecks):
    url = "/api/v1/committees/"
    model = Committee

    factory = CommitteeFactory

    def factory_fields(self, tree, inside):
        return {"compound": _compound(tree, inside), "term_number": 1}

    def make(self, tree, inside, n):
        return committee_services.committee_save(
            compound=_compound(tree, inside), kind="supervision_group", term_number=n + 1
        )


class TestMatters(APIEndpointChecks):
    url = "/api/v1/matters/"
    model = Matter

    factory = MatterFactory
    not_in_payload = ("today",)

    def factory_fields(self, tree, inside):
        return {"compound": _compound(tree, inside), "title": "楼道杂物清理"}

    def make(self, tree, inside, n):
        return committee_services.matter_save(
            compound=_compound(tree, inside), title=f"议题{n}", raised_by="居民", raised_on=DAY, handler="community"
        )


class TestAgreements(APIEndpointChecks):
    url = "/api/v1/agreements/"
    model = Agreement

    factory = AgreementFactory

    def factory_fields(self, tree, inside):
        community = _community(tree, inside)
        return {"partner": PartnerUnitFactory(registered_by=community), "organization": community, "title": "共建协议"}

    def make(self, tree, inside, n):
        community = _community(tree, inside)
        partner = project_services.partner_save(
            name=f"共建单位{next(_ids)}", kind="state_enterprise", registered_by=community
        )
        return project_services.agreement_save(
            partner=partner,
            organization=community,
            title=f"协议{n}",
            signed_on=DAY,
            expires_on=DAY + datetime.timedelta(days=365),
        )


class TestActivities(APIEndpointChecks):
    url = "/api/v1/activities/"
    model = Activity

    factory = ActivityFactory

    def factory_fields(self, tree, inside):
        return {"organizer": _branch(tree, inside), "title": "义诊活动"}

    def make(self, tree, inside, n):
        return project_services.activity_save(
            title=f"活动{n}", kind="training", held_on=DAY, organizer=_branch(tree, inside)
        )


class TestMicroWishes(APIEndpointChecks):
    url = "/api/v1/micro-wishes/"
    model = MicroWish

    factory = MicroWishFactory
    masked_on_read = ("resident_name",)

    def factory_fields(self, tree, inside):
        return {"compound": _compound(tree, inside), "community": _community(tree, inside), "content": "想要一个书包"}

    def make(self, tree, inside, n):
        return project_services.wish_publish(
            community=_community(tree, inside),
            compound=_compound(tree, inside),
            resident_name="王小明",
            content=f"心愿{n}",
            published_on=DAY,
        )


class TestRequests(APIEndpointChecks):
    url = "/api/v1/requests/"
    model = ResidentRequest

    factory = ResidentRequestFactory
    masked_on_read = ("resident_name",)

    def factory_fields(self, tree, inside):
        return {"compound": _compound(tree, inside), "description": "楼道灯坏了"}

    def make(self, tree, inside, n):
        return project_services.request_submit(
            compound=_compound(tree, inside),
            category="environment",
            description=f"诉求{n}",
            resident_name="李大姐",
            received_on=DAY,
        )
