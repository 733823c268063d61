"""Factories of the members app: members and their records, transfers, development, volunteering,
points and the member portal (meetings, dues and elections are in ``members_life``)."""

from __future__ import annotations

import datetime as _dt

import factory
from factory import Faker

from members import crypto
from members import positions as _positions
from members import services as _member_services
from members.models import Member, PartyStatus, Position
from organizations import services as org_services
from organizations.models import OrganizationKind
from tests.factories.base import (
    FAKER_LOCALE,
    TODAY,
    ModelFactory,
    ServiceFactory,
    make_org,
    new_branch,
    new_user,
    service_call,
)
from tests.factories.organizations import BuildingFactory

TRANSFERRED_OUT_ON = _dt.date(2026, 1, 2)


def _transfer_out(member, create, extracted, **kwargs):
    if create:
        _member_services.member_transfer_out(member=member, on=TRANSFERRED_OUT_ON)


def _sequenced_birth(o, n):
    return _dt.date(1950 + n % 40, 1 + n % 12, 1 + n % 28)


class MemberFactory(ServiceFactory):
    """A member through ``members.services.member_create`` (the rules of member_rules.py apply).

    ``branch`` defaults to a new one; ``home_organization`` defaults to it. ``today`` is the joining date.
    Traits: ``probationary`` (预备党员); ``transferred_out`` (then 转出 on 2026-01-02 through
    ``member_transfer_out``, so the record stays and its positions end); ``with_id`` (a valid ID
    number, unique per member, and the birth date it encodes — unless ``birth_date`` is given)."""

    class Meta:
        model = Member

    class Params:
        probationary = factory.Trait(party_status=PartyStatus.PROBATIONARY)
        transferred_out = factory.Trait(transfer_out=factory.PostGeneration(_transfer_out))
        with_id = factory.Trait(
            birth_date=factory.LazyAttributeSequence(_sequenced_birth),
            id_number=factory.LazyAttributeSequence(lambda o, n: crypto.make_id_number("500108", o.birth_date, n)),
        )

    name = Faker("name", locale=FAKER_LOCALE)
    gender = "male"
    branch = factory.LazyFunction(new_branch)
    home_organization = factory.LazyAttribute(lambda o: o.branch)
    today = TODAY

    @classmethod
    def service(cls, **fields):
        return _member_services.member_create(**fields)


class NumberedMemberFactory(MemberFactory):
    """A member named 党员<n>: no two members of a test share a name (Faker's may)."""

    name = factory.Sequence(lambda n: f"党员{n}")


class RosterMemberFactory(NumberedMemberFactory):
    """A member as the roster tests keep one: a valid ID number and its birth date, admitted on
    1990-07-01, no home organization of record."""

    with_id = True
    admitted_on = _dt.date(1990, 7, 1)
    home_organization = None


class PositionFactory(ServiceFactory):
    """A committee position through ``members.positions.position_create`` (one current secretary, …)."""

    class Meta:
        model = Position

    member = factory.SubFactory(MemberFactory)
    organization = factory.LazyAttribute(lambda o: o.member.branch)
    kind = "secretary"
    started_on = _dt.date(2024, 1, 1)
    ended_on = None

    @classmethod
    def service(cls, **fields):
        return _positions.position_create(**fields)


class MemberEventFactory(ServiceFactory):
    """A member's 报到 (reported to the compound), recorded by ``member_report``."""

    class Meta:
        model = "members.MemberEvent"

    member = factory.SubFactory(MemberFactory, occupation_status="in_service")
    reported_on = _dt.date(2026, 2, 1)
    employer = "南岸区教育委员会"

    @classmethod
    def service(cls, *, member, **fields):
        from members.models import MemberEvent

        _member_services.member_report(member=member, **fields)
        return MemberEvent.objects.filter(member=member, kind="reported").latest("pk")


class SensitiveAccessLogFactory(ServiceFactory):
    """A staff user's view of a member's personal data, logged by ``log_sensitive_access``."""

    class Meta:
        model = "members.SensitiveAccessLog"

    user = factory.LazyFunction(new_user)
    member = factory.SubFactory(MemberFactory)

    @classmethod
    def service(cls, *, user, member):
        from members.models import SensitiveAccessLog

        _member_services.log_sensitive_access(user=user, member_ids=[member.pk])
        return SensitiveAccessLog.objects.filter(user=user, member=member).latest("pk")


class PointsRuleFactory(ModelFactory):
    """The points of one kind of event (one rule per kind: an existing rule is changed, validated)."""

    class Meta:
        model = "members.PointsRule"

    kind = "manual"
    points = 5

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from members.models import PointsRule

        rule = PointsRule.objects.filter(kind=kwargs["kind"]).first() or PointsRule(kind=kwargs["kind"])
        for name, value in kwargs.items():
            setattr(rule, name, value)
        rule.full_clean()
        rule.save()
        return rule


class PointsEntryFactory(ServiceFactory):
    """A manual points adjustment through ``members.points.points_adjust``."""

    class Meta:
        model = "members.PointsEntry"

    member = factory.SubFactory(MemberFactory)
    points = 5
    reason = "抗疫志愿服务"
    user = factory.LazyFunction(new_user)
    occurred_on = _dt.date(2026, 2, 1)

    service = service_call("members.points.points_adjust")


def _other_branch(o):
    return make_org(OrganizationKind.BRANCH, o.member.branch.parent)


class TransferFactory(ServiceFactory):
    """A drafted transfer letter to another branch of the same community, through ``transfer_create``."""

    class Meta:
        model = "members.Transfer"

    member = factory.SubFactory(MemberFactory)
    to_organization = factory.LazyAttribute(_other_branch)

    service = service_call("members.transfers.services.transfer_create")


class FloatingRecordFactory(ServiceFactory):
    """An open 流动党员 record through ``floating_start``."""

    class Meta:
        model = "members.FloatingRecord"

    member = factory.SubFactory(MemberFactory)
    direction = "out"
    place = "广东省深圳市"

    service = service_call("members.transfers.floating.floating_start")


class MemberStatusChangeFactory(ServiceFactory):
    """A member's death, recorded by ``member_record_death`` (the status change row it writes)."""

    class Meta:
        model = "members.MemberStatusChange"

    member = factory.SubFactory(MemberFactory)
    on = _dt.date(2026, 2, 1)
    reason = "病故"

    @classmethod
    def service(cls, *, member, **fields):
        from members.models import MemberStatusChange
        from members.transfers.status import member_record_death

        member_record_death(member=member, **fields)
        return MemberStatusChange.objects.filter(member=member).latest("pk")


class CandidateFactory(ServiceFactory):
    """An applicant (step 1 recorded) through ``members.development.services.candidate_create``."""

    class Meta:
        model = "members.Candidate"

    branch = factory.LazyFunction(new_branch)
    name = Faker("name", locale=FAKER_LOCALE)
    gender = "female"
    birth_date = _dt.date(1998, 3, 8)
    id_number = factory.Sequence(lambda n: crypto.make_id_number("500113", _dt.date(1998, 3, 8), 700 + n % 299))
    applied_on = _dt.date(2024, 1, 8)

    service = service_call("members.development.services.candidate_create")


class CandidateStepFactory(ServiceFactory):
    """The first step of a candidate (入党申请), which ``candidate_create`` records."""

    class Meta:
        model = "members.CandidateStep"

    candidate = factory.SubFactory(CandidateFactory)

    @classmethod
    def service(cls, *, candidate):
        return candidate.steps.order_by("pk").first()


class VolunteerPostFactory(ServiceFactory):
    """A volunteer post (设岗定责) through ``members.volunteering.services.post_save``."""

    class Meta:
        model = "members.VolunteerPost"

    organization = factory.LazyFunction(new_branch)
    kind = "model_post"
    name = factory.Sequence(lambda n: f"党员示范岗{n}")

    service = service_call("members.volunteering.services.post_save")


class ResidentVolunteerFactory(ServiceFactory):
    """A resident volunteer (a name and a phone, no login) through ``volunteer_save``."""

    class Meta:
        model = "members.Volunteer"

    branch = factory.LazyFunction(new_branch)
    name = Faker("name", locale=FAKER_LOCALE)
    phone = factory.Sequence(lambda n: f"1398300{n:04d}")

    service = service_call("members.volunteering.services.volunteer_save")


class PostHolderFactory(ServiceFactory):
    """A member holding a volunteer post of their branch, through ``holder_add``."""

    class Meta:
        model = "members.PostHolder"

    post = factory.SubFactory(VolunteerPostFactory)
    member = factory.LazyAttribute(lambda o: MemberFactory(branch=o.post.organization))
    started_on = _dt.date(2026, 1, 1)

    service = service_call("members.volunteering.services.holder_add")


class ServiceRecordFactory(ServiceFactory):
    """Hours served on a post (时间银行), through ``service_record``."""

    class Meta:
        model = "members.ServiceRecord"

    holder = factory.SubFactory(PostHolderFactory)
    served_on = _dt.date(2026, 2, 1)
    hours = "2"
    description = "巡查消防通道"
    today = _dt.date(2026, 2, 2)

    service = service_call("members.volunteering.services.service_record")


def _compound_of(branch):
    return org_services.compound_save(name=f"{branch.name}小区", community=branch.parent, branch=branch)


class PairedHouseholdFactory(ServiceFactory):
    """A household paired with a 中心户 of the compound's branch, through ``paired_household_add``."""

    class Meta:
        model = "members.PairedHousehold"

    member = factory.LazyAttribute(lambda o: PositionFactory(kind="central_household").member)
    compound = factory.LazyAttribute(lambda o: _compound_of(o.member.branch))
    room = "301"

    service = service_call("members.volunteering.services.paired_household_add")


class BuildingHeadFactory(ServiceFactory):
    """A resident volunteer as 楼栋长 of a building of their branch's compound, through ``building_head_assign``."""

    class Meta:
        model = "members.BuildingHead"

    volunteer = factory.SubFactory(ResidentVolunteerFactory)
    building = factory.LazyAttribute(lambda o: BuildingFactory(compound=_compound_of(o.volunteer.branch)))
    kind = "building_head"

    service = service_call("members.volunteering.services.building_head_assign")


class ActivationCodeFactory(ServiceFactory):
    """A member's activation code (党员端), issued by ``activation_issue``."""

    class Meta:
        model = "members.ActivationCode"

    member = factory.SubFactory(MemberFactory)

    @classmethod
    def service(cls, *, member):
        from members.portal.accounts import activation_issue

        return activation_issue(member=member, actor=None)[0]


class MemberAccountFactory(ServiceFactory):
    """A member's login, issued and activated through the portal's account services."""

    class Meta:
        model = "members.MemberAccount"

    member = factory.SubFactory(MemberFactory)
    password = "Member-password-2026"

    @classmethod
    def service(cls, *, member, password):
        from members.models import MemberAccount
        from members.portal import accounts

        _row, code = accounts.activation_issue(member=member, actor=None)
        accounts.account_activate(code=code, password=password)
        return MemberAccount.objects.get(member=member)


class CheckInFactory(ServiceFactory):
    """A member's pending scan at a meeting of their branch, through ``checkin_scan``."""

    class Meta:
        model = "members.CheckIn"

    member = factory.SubFactory(MemberFactory)
    now = _dt.datetime(2026, 3, 2, 19, 30, tzinfo=_dt.UTC)

    @classmethod
    def service(cls, *, member, now):
        from members.meetings import meeting_record
        from members.portal import checkin

        meeting = meeting_record(
            organization=member.branch,
            kind="theme_day",
            held_at=now,
            topic="主题党日",
            attendance=[{"member": member.pk, "status": "absent"}],
        )
        token = checkin.checkin_token(meeting, now=now)
        return checkin.checkin_scan(member=member, meeting_id=meeting.pk, token=token, now=now)


__all__ = [
    "ActivationCodeFactory",
    "BuildingHeadFactory",
    "CandidateFactory",
    "CandidateStepFactory",
    "CheckInFactory",
    "FloatingRecordFactory",
    "MemberAccountFactory",
    "MemberEventFactory",
    "MemberFactory",
    "MemberStatusChangeFactory",
    "NumberedMemberFactory",
    "PairedHouseholdFactory",
    "PointsEntryFactory",
    "PointsRuleFactory",
    "PositionFactory",
    "PostHolderFactory",
    "ResidentVolunteerFactory",
    "RosterMemberFactory",
    "SensitiveAccessLogFactory",
    "ServiceRecordFactory",
    "TransferFactory",
    "VolunteerPostFactory",
]
