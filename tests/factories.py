"""Factories for tests (factory_boy + Faker zh_CN). Tree nodes go through the services."""

import datetime
import datetime as _dt
import itertools

import factory
from django.contrib.auth import get_user_model
from factory import Faker

from members import positions as _positions
from members import services as _member_services
from members.models import Member, Position
from organizations import services
from organizations.models import Building, Compound, Formation, Organization, OrganizationKind, Venue

_codes = itertools.count(1)


def make_org(kind: str, parent: Organization | None = None, name: str | None = None, **extra) -> Organization:
    n = next(_codes)
    if kind == OrganizationKind.BRANCH:
        extra.setdefault("formation", Formation.STANDALONE)
    return services.organization_create(
        name=name or f"{OrganizationKind(kind).label}{n}", code=f"T{n:06d}", kind=kind, parent=parent, **extra
    )


def make_tree(prefix: str = "") -> dict[str, Organization]:
    """district → street → community → branch → group, plus a sibling community with its own
    branch: the smallest tree that shows scope isolation."""
    district = make_org(OrganizationKind.DISTRICT, name=f"{prefix}区委")
    street = make_org(OrganizationKind.STREET, district, name=f"{prefix}街道")
    community_a = make_org(OrganizationKind.COMMUNITY, street, name=f"{prefix}A社区")
    community_b = make_org(OrganizationKind.COMMUNITY, street, name=f"{prefix}B社区")
    branch_a = make_org(OrganizationKind.BRANCH, community_a, name=f"{prefix}A支部")
    branch_b = make_org(OrganizationKind.BRANCH, community_b, name=f"{prefix}B支部")
    group_a = make_org(OrganizationKind.GROUP, branch_a, name=f"{prefix}A党小组")
    return {
        "district": district,
        "street": street,
        "community_a": community_a,
        "community_b": community_b,
        "branch_a": branch_a,
        "branch_b": branch_b,
        "group_a": group_a,
    }


def make_user(username: str, organization: Organization | None = None, role: str | None = None, **extra):
    User = get_user_model()
    user = User.objects.create_user(username=username, password="Test-password-2026", **extra)
    if organization is not None:
        services.access_scope_set(user=user, organization=organization, role=role)
    return User.objects.get(pk=user.pk)


# --- factory_boy factories: every domain row goes through its service --------------------------
# ``Factory._create`` calls the service the admin, API and importer call, so a test cannot build a
# state the rules forbid. Faker zh_CN gives Chinese names; the sequence keeps them unique.

FAKER_LOCALE = "zh_CN"
TODAY = _dt.date(2026, 1, 1)


class ServiceFactory(factory.Factory):
    """Base: ``create`` hands the declared fields to ``service`` (a keyword-only service function)."""

    class Meta:
        abstract = True

    @classmethod
    def service(cls, **fields):
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cls.service(**kwargs)


class MemberFactory(ServiceFactory):
    """A member through ``members.services.member_create`` (the rules of member_rules.py apply).

    ``branch`` is required; ``home_organization`` defaults to it. ``today`` is the joining date."""

    class Meta:
        model = Member

    name = Faker("name", locale=FAKER_LOCALE)
    gender = "male"
    branch = None
    home_organization = factory.LazyAttribute(lambda o: o.branch)
    today = TODAY

    @classmethod
    def service(cls, **fields):
        return _member_services.member_create(**fields)


class PositionFactory(ServiceFactory):
    """A committee position through ``members.positions.position_create`` (one current secretary, …)."""

    class Meta:
        model = Position

    member = None
    organization = factory.LazyAttribute(lambda o: o.member.branch)
    kind = "secretary"
    started_on = _dt.date(2024, 1, 1)
    ended_on = None

    @classmethod
    def service(cls, **fields):
        return _positions.position_create(**fields)


class CompoundFactory(ServiceFactory):
    """A residential compound through ``organizations.services.compound_save``."""

    class Meta:
        model = Compound

    name = factory.Sequence(lambda n: f"测试小区{n}")
    community = None

    @classmethod
    def service(cls, **fields):
        return services.compound_save(**fields)


class BuildingFactory(ServiceFactory):
    """A building through ``organizations.services.building_save`` (its group must be of the compound's branch)."""

    class Meta:
        model = Building

    compound = None
    name = factory.Sequence(lambda n: f"{n}栋")

    @classmethod
    def service(cls, **fields):
        return services.building_save(**fields)


class VenueFactory(ServiceFactory):
    """A branch venue (党群服务驿站). Venues have no rule beyond the model's own validation, which runs here."""

    class Meta:
        model = Venue

    branch = None
    name = factory.Sequence(lambda n: f"党群服务驿站{n}")

    @classmethod
    def service(cls, **fields):
        venue = Venue(**fields)
        venue.full_clean()
        venue.save()
        return venue


# --- ledgers ---


def make_ledger_meeting(branch, present, *, excused=(), absent=(), topic="学习党章", held_at=None, **extra):
    """A recorded meeting of ``branch`` (through the meeting service) with the given attendance:
    ``excused`` are (member, reason) pairs."""
    import datetime

    from django.utils import timezone

    from members.meetings import meeting_record
    from members.models import MeetingKind

    attendance = [{"member": m.pk, "status": "present"} for m in present]
    attendance += [{"member": m.pk, "status": "excused", "reason": reason} for m, reason in excused]
    attendance += [{"member": m.pk, "status": "absent"} for m in absent]
    return meeting_record(
        organization=branch,
        kind=extra.pop("kind", MeetingKind.PARTY_CONGRESS),
        held_at=held_at or timezone.now() - datetime.timedelta(days=3),
        attendance=attendance,
        topic=topic,
        **extra,
    )


# --- development ---
_dev_seq = itertools.count(1)


def make_full_member(branch, **fields):
    """A full party member of ``branch`` through the member service."""
    import datetime

    from members import crypto
    from members import services as member_services

    n = next(_dev_seq)
    birth = fields.pop("birth_date", datetime.date(1960 + n % 30, 1 + n % 12, 1 + n % 28))
    fields.setdefault("id_number", crypto.make_id_number("500112", birth, 500 + n))
    fields.setdefault("name", f"老党员{n}")
    fields.setdefault("gender", "male")
    fields.setdefault("admitted_on", datetime.date(1995, 7, 1))
    return member_services.member_create(branch=branch, birth_date=birth, today=datetime.date(2024, 1, 1), **fields)


def make_candidate(branch, *, applied_on=None, birth_date=None, **fields):
    """An applicant (step 1 recorded) through ``members.development.services.candidate_create``."""
    import datetime

    from members import crypto
    from members.development.services import candidate_create

    n = next(_dev_seq)
    birth = birth_date or datetime.date(1995, 1 + n % 12, 1 + n % 28)
    fields.setdefault("id_number", crypto.make_id_number("500113", birth, 600 + n))
    fields.setdefault("name", f"申请人{n}")
    fields.setdefault("gender", "female")
    return candidate_create(
        branch=branch, birth_date=birth, applied_on=applied_on or datetime.date(2024, 1, 8), **fields
    )


def make_congress(branch, day, *, voters, votes_for=None, text="关于接收预备党员的决议"):
    """A 支部大会 of ``branch`` on ``day`` (19:00 Asia/Shanghai) attended by ``voters``, with one
    resolution; through ``members.meetings.meeting_record``. Returns (meeting, resolution)."""
    import datetime
    from zoneinfo import ZoneInfo

    from members.meetings import meeting_record
    from members.models import MeetingKind

    held = datetime.datetime.combine(day, datetime.time(19), tzinfo=ZoneInfo("Asia/Shanghai"))
    votes = len(voters) if votes_for is None else votes_for
    meeting = meeting_record(
        organization=branch,
        kind=MeetingKind.PARTY_CONGRESS,
        held_at=held,
        topic=text,
        attendance=[{"member": m.pk, "status": "present"} for m in voters],
        resolutions=[{"text": text, "votes_for": votes, "votes_against": 0, "votes_abstain": 0}],
    )
    return meeting, meeting.resolutions.get()


# --- notify ---


def make_route(organization: Organization, channel: str, target: str = "", role: str = ""):
    """A notification route, through the service (validated)."""
    from organizations.models import NotificationRoute
    from organizations.notify_routes import route_save

    return route_save(route=NotificationRoute(organization=organization, channel=channel, target=target, role=role))


def make_webhook(user, url: str, event_types: list[str], secret: str = "a-very-long-shared-secret", **extra):
    """A webhook registered by ``user`` for its scope, through the service."""
    from organizations.webhooks import webhook_create

    return webhook_create(
        user=user, name=extra.pop("name", "hook"), url=url, secret=secret, event_types=event_types, **extra
    )


# --- transfers ---


def make_transfer(member, to_organization=None, *, issue=False, actor=None, **fields):
    """A transfer letter of ``member`` through the services (drafted, optionally issued)."""
    from members.transfers import services as transfer_services

    transfer = transfer_services.transfer_create(member=member, to_organization=to_organization, actor=actor, **fields)
    if issue:
        n = next(_codes)
        transfer = transfer_services.transfer_issue(transfer=transfer, letter_number=f"测试转{n:04d}号", actor=actor)
    return transfer


def make_floating(member, direction="out", **fields):
    """An open floating record through the service."""
    from members.transfers import floating

    fields.setdefault("place", "广东省深圳市")
    return floating.floating_start(member=member, direction=direction, **fields)


# --- dues ---


def make_dues_member(branch, *, category="in_service", income="4000", valid_from=None, **fields):
    """A member with a dues base (through the services)."""
    import datetime as _dt

    from members.dues.standards import dues_base_set
    from tests.members.helpers import make_member

    fields.setdefault("admitted_on", _dt.date(1990, 7, 1))
    member = make_member(branch, **fields)
    dues_base_set(member=member, valid_from=valid_from or _dt.date(2026, 1, 1), category=category, income_base=income)
    return member


# --- records ---


def make_recorded_member(branch, **fields):
    """A member with every national record field filled (through ``member_create``)."""
    from tests.members.helpers import make_member

    fields = {
        "native_place": "四川省广安市",
        "ethnicity": "15",
        "education": "vocational",
        "degree": "",
        "job_title": "会计",
        "work_started_on": datetime.date(1975, 9, 1),
        "admission_branch_name": "重庆钢铁公司第三党支部",
        "party_number": "500100000001",
        "occupation_status": "in_service",
        "employer": "重庆钢铁公司",
        "full_member_on": datetime.date(1991, 7, 1),
    } | fields
    return make_member(branch, **fields)


# --- elections ---
_election_ids = itertools.count(1)


def make_party_member(branch, *, probationary: bool = False, **extra):
    """A member of ``branch`` through the members service (full member unless ``probationary``)."""
    from members.models import PartyStatus
    from members.services import member_create

    return member_create(
        name=extra.pop("name", f"选举党员{next(_election_ids)}"),
        gender="male",
        branch=branch,
        party_status=PartyStatus.PROBATIONARY if probationary else PartyStatus.FULL,
        **extra,
    )


# --- volunteer ---


class VolunteerPostFactory(ServiceFactory):
    """A volunteer post (设岗定责) through ``members.volunteering.services.post_save``."""

    class Meta:
        model = "members.VolunteerPost"

    organization = None
    kind = "model_post"
    name = factory.Sequence(lambda n: f"党员示范岗{n}")

    @classmethod
    def service(cls, **fields):
        from members.volunteering.services import post_save

        return post_save(**fields)


class ResidentVolunteerFactory(ServiceFactory):
    """A resident volunteer (a name and a phone, no login) through ``volunteer_save``."""

    class Meta:
        model = "members.Volunteer"

    branch = None
    name = Faker("name", locale=FAKER_LOCALE)
    phone = factory.Sequence(lambda n: f"1398300{n:04d}")

    @classmethod
    def service(cls, **fields):
        from members.volunteering.services import volunteer_save

        return volunteer_save(**fields)


# --- portal ---


def make_member_login(member, password="Member-password-2026", username=""):
    """A member login (党员端) through the activation services: issued, then activated."""
    from members.portal import accounts as portal_accounts

    _row, code = portal_accounts.activation_issue(member=member, actor=None, username=username)
    return portal_accounts.account_activate(code=code, password=password)
