"""The ``make_*`` helpers of the tests: a few rows in one call, every one through its service."""

import datetime
import itertools

from organizations.models import Organization
from tests.factories.base import _codes

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
    from tests.factories.members import MemberFactory

    n = next(_dev_seq)
    birth = fields.pop("birth_date", datetime.date(1960 + n % 30, 1 + n % 12, 1 + n % 28))
    fields.setdefault("id_number", crypto.make_id_number("500112", birth, 500 + n))
    fields.setdefault("name", f"老党员{n}")
    fields.setdefault("gender", "male")
    fields.setdefault("admitted_on", datetime.date(1995, 7, 1))
    fields.setdefault("home_organization", None)
    return MemberFactory(branch=branch, birth_date=birth, today=datetime.date(2024, 1, 1), **fields)


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
    from tests.factories.members import RosterMemberFactory

    member = RosterMemberFactory(branch=branch, **fields)  # admitted 1990-07-01 unless given
    dues_base_set(member=member, valid_from=valid_from or _dt.date(2026, 1, 1), category=category, income_base=income)
    return member


# --- records ---


def make_recorded_member(branch, **fields):
    """A member with every national record field filled (through ``member_create``)."""
    from tests.factories.members import RosterMemberFactory

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
    return RosterMemberFactory(branch=branch, **fields)


# --- elections ---
_election_ids = itertools.count(1)


def make_party_member(branch, *, probationary: bool = False, **extra):
    """A member of ``branch`` through ``MemberFactory`` (full member unless ``probationary``)."""
    from members.models import PartyStatus
    from tests.factories.members import MemberFactory

    extra.setdefault("home_organization", None)
    extra.setdefault("today", None)
    return MemberFactory(
        name=extra.pop("name", f"选举党员{next(_election_ids)}"),
        gender="male",
        branch=branch,
        party_status=PartyStatus.PROBATIONARY if probationary else PartyStatus.FULL,
        **extra,
    )


# --- portal ---


def make_member_login(member, password="Member-password-2026", username=""):
    """A member login (党员端) through the activation services: issued, then activated."""
    from members.portal import accounts as portal_accounts

    _row, code = portal_accounts.activation_issue(member=member, actor=None, username=username)
    return portal_accounts.account_activate(code=code, password=password)


__all__ = [
    "make_candidate",
    "make_congress",
    "make_dues_member",
    "make_floating",
    "make_full_member",
    "make_ledger_meeting",
    "make_member_login",
    "make_party_member",
    "make_recorded_member",
    "make_route",
    "make_transfer",
    "make_webhook",
]
