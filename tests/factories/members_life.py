"""Factories of the members app's organizational life: meetings and their parts, dues and the
branch fund, elections and appraisals."""

from __future__ import annotations

import datetime as _dt
import itertools

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import MeetingKind
from organizations.models import OrganizationKind
from tests.factories.base import ModelFactory, ServiceFactory, new_branch, new_user, service_call
from tests.factories.members import MemberFactory

HELD_AT = _dt.datetime(2026, 3, 2, 11, 0, tzinfo=_dt.UTC)  # 19:00 in 重庆
_seq = itertools.count(1)


class MeetingFactory(ServiceFactory):
    """A recorded meeting through ``members.meetings.meeting_record`` (attendance ``[]`` unless given)."""

    class Meta:
        model = "members.Meeting"

    organization = factory.LazyFunction(new_branch)
    kind = MeetingKind.THEME_DAY
    held_at = factory.Sequence(lambda n: HELD_AT + _dt.timedelta(hours=n))
    topic = factory.Sequence(lambda n: f"主题党日{n}")
    attendance = factory.LazyFunction(list)

    service = service_call("members.meetings.meeting_record")


def _meeting_part(related: str, **extra):
    """A meeting recorded with one ``related`` row (``extra`` are meeting_record arguments)."""
    from members.meetings import meeting_record

    n = next(_seq)
    meeting = meeting_record(
        organization=extra.pop("organization", None) or new_branch(),
        kind=extra.pop("kind", MeetingKind.THEME_DAY),
        held_at=HELD_AT + _dt.timedelta(minutes=n),
        topic=f"主题党日{n}",
        attendance=extra.pop("attendance", []),
        **extra,
    )
    return getattr(meeting, related).order_by("pk").first()


class MeetingResolutionFactory(ServiceFactory):
    """A resolution of a 支部党员大会, recorded with it (``meeting_record(resolutions=...)``)."""

    class Meta:
        model = "members.MeetingResolution"

    text = "关于表彰优秀共产党员的决议"

    @classmethod
    def service(cls, *, text):
        member = MemberFactory()
        return _meeting_part(
            "resolutions",
            organization=member.branch,
            kind=MeetingKind.PARTY_CONGRESS,
            attendance=[{"member": member.pk, "status": "present"}],
            resolutions=[{"text": text, "votes_for": 1, "votes_against": 0, "votes_abstain": 0}],
        )


class AttendanceFactory(ServiceFactory):
    """A member's attendance at a meeting of their branch, recorded with the meeting."""

    class Meta:
        model = "members.Attendance"

    member = factory.SubFactory(MemberFactory)
    status = "present"

    @classmethod
    def service(cls, *, member, status):
        return _meeting_part(
            "attendances", organization=member.branch, attendance=[{"member": member.pk, "status": status}]
        )


class MeetingGuestFactory(ServiceFactory):
    """A guest (列席) of a meeting, recorded with it."""

    class Meta:
        model = "members.MeetingGuest"

    name = "街道党工委组织委员"

    @classmethod
    def service(cls, *, name):
        return _meeting_part("guests", guests=[{"name": name}])


class MeetingAttachmentFactory(ServiceFactory):
    """A PDF attached to a meeting, checked by its bytes (``members.attachments``) when recorded."""

    class Meta:
        model = "members.MeetingAttachment"

    original_name = "议程.pdf"

    @classmethod
    def service(cls, *, original_name):
        upload = SimpleUploadedFile(original_name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
        return _meeting_part("attachments", attachments=[upload])


class MeetingRevisionFactory(ServiceFactory):
    """The revision ``meeting_update`` keeps when a recorded meeting is corrected."""

    class Meta:
        model = "members.MeetingRevision"

    meeting = factory.SubFactory(MeetingFactory)
    topic = "主题党日（更正）"

    @classmethod
    def service(cls, *, meeting, topic):
        from members.meetings import meeting_update

        meeting_update(meeting=meeting, version=meeting.version, topic=topic)
        return meeting.revisions.latest("pk")


class MeetingRequirementFactory(ModelFactory):
    """A minimum number of meetings of a kind per period (admin reference data)."""

    class Meta:
        model = "members.MeetingRequirement"

    organization_kind = OrganizationKind.STREET
    meeting_kind = factory.Iterator(MeetingKind.values)
    period = "year"
    minimum_count = 1


class CalendarTokenFactory(ModelFactory):
    """The secret of a branch's meeting calendar feed (created on first view, no rule)."""

    class Meta:
        model = "members.CalendarToken"

    branch = factory.LazyFunction(new_branch)


def _present_at_a_meeting(member) -> None:
    """Record a meeting of the member's branch with the member present (what the summaries
    below are kept from)."""
    _meeting_part(
        "attendances",
        organization=member.branch,
        kind=MeetingKind.PARTY_CONGRESS,
        attendance=[{"member": member.pk, "status": "present"}],
    )


class AttendanceRollupFactory(ServiceFactory):
    """The month's rollup of a branch, kept by ``members.rollups`` when a meeting is recorded."""

    class Meta:
        model = "members.AttendanceRollup"

    member = factory.SubFactory(MemberFactory)

    @classmethod
    def service(cls, *, member):
        from members.models import AttendanceRollup

        _present_at_a_meeting(member)
        return AttendanceRollup.objects.filter(organization=member.branch).latest("pk")


class MemberLifeFactory(ServiceFactory):
    """A member's last presence, kept by ``members.rollups`` when a meeting is recorded."""

    class Meta:
        model = "members.MemberLife"

    member = factory.SubFactory(MemberFactory)

    @classmethod
    def service(cls, *, member):
        from members.models import MemberLife

        _present_at_a_meeting(member)
        return MemberLife.objects.get(member=member)


# --- dues and the branch fund ---


class DuesStandardFactory(ModelFactory):
    """A dues standard (党费收缴标准), admin reference data."""

    class Meta:
        model = "members.DuesStandard"

    code = factory.Sequence(lambda n: f"TEST-{n}")
    name = "测试党费标准"
    citation = "《关于中国共产党党费收缴、使用和管理的规定》"
    effective_from = factory.Sequence(lambda n: _dt.date(2040 + n, 1, 1))


class DuesBracketFactory(ModelFactory):
    """A bracket of a standard: the rate of a category up to an income."""

    class Meta:
        model = "members.DuesBracket"

    standard = factory.SubFactory(DuesStandardFactory)
    category = "in_service"
    upper_bound = 3000
    rate = "0.005"


class DuesBaseFactory(ServiceFactory):
    """A member's dues base (the monthly amount computed by the standard), through ``dues_base_set``."""

    class Meta:
        model = "members.DuesBase"

    member = factory.SubFactory(MemberFactory, admitted_on=_dt.date(1990, 7, 1))
    valid_from = _dt.date(2026, 1, 1)
    category = "in_service"
    income_base = "4000"
    actor = factory.LazyFunction(new_user)

    service = service_call("members.dues.standards.dues_base_set")


class DuesRollupFactory(ServiceFactory):
    """A branch's month in the dues summary, kept by ``members.dues.rollup`` when a base is set."""

    class Meta:
        model = "members.DuesRollup"

    @classmethod
    def service(cls):
        from members.models import DuesRollup

        base = DuesBaseFactory()
        return DuesRollup.objects.get(branch_id=base.member.branch_id, month=base.valid_from)


class DuesArrearsSpanFactory(ServiceFactory):
    """A member's run of unpaid months, kept by ``members.dues.rollup`` (a base, nothing paid)."""

    class Meta:
        model = "members.DuesArrearsSpan"

    @classmethod
    def service(cls):
        from members.models import DuesArrearsSpan

        return DuesArrearsSpan.objects.get(member=DuesBaseFactory().member)


class DuesPaymentFactory(ServiceFactory):
    """One month paid by a member with a dues base, through ``payment_record``."""

    class Meta:
        model = "members.DuesPayment"

    member = factory.LazyAttribute(lambda o: DuesBaseFactory().member)
    month = _dt.date(2026, 1, 1)
    paid_on = _dt.date(2026, 1, 10)
    method = "cash"
    actor = factory.LazyFunction(new_user)

    @classmethod
    def service(cls, *, member, month, **fields):
        from members.dues.ledger import payment_record

        return payment_record(member=member, months=[month], **fields)[0]


class FundAllocationFactory(ServiceFactory):
    """Money allocated to a branch's fund by the street above it, through ``allocation_create``."""

    class Meta:
        model = "members.FundAllocation"

    branch = factory.LazyFunction(new_branch)
    allocated_by_org = factory.LazyAttribute(lambda o: o.branch.parent.parent)
    kind = "returned_dues"
    amount = "1000"
    allocated_on = _dt.date(2026, 1, 5)
    actor = factory.LazyFunction(new_user)

    service = service_call("members.dues.funds.allocation_create")


class BranchFundFactory(ServiceFactory):
    """A branch's fund, opened by its first allocation."""

    class Meta:
        model = "members.BranchFund"

    branch = factory.LazyFunction(new_branch)

    @classmethod
    def service(cls, *, branch):
        return FundAllocationFactory(branch=branch).fund


class FundSpendingFactory(ServiceFactory):
    """A spending from a branch fund that holds the money, through ``spending_create``."""

    class Meta:
        model = "members.FundSpending"

    branch = factory.LazyAttribute(lambda o: FundAllocationFactory().fund.branch)
    spent_on = _dt.date(2026, 2, 1)
    purpose = "慰问困难党员"
    amount = "200"
    actor = factory.LazyFunction(new_user)

    service = service_call("members.dues.funds.spending_create")


class DuesArrearsReasonFactory(ServiceFactory):
    """Why a member has not paid, noted through ``reason_noted``."""

    class Meta:
        model = "members.DuesArrearsReason"

    member = factory.SubFactory(MemberFactory)
    reason = "长期住院"
    noted_on = _dt.date(2026, 2, 1)
    actor = factory.LazyFunction(new_user)

    @classmethod
    def service(cls, *, member, **fields):
        from members.dues.ledger import reason_noted

        return reason_noted(member, **fields)


# --- elections and appraisals ---


class ElectionFactory(ServiceFactory):
    """A competitive 换届选举 of a branch (3 seats, 4 candidates), through ``election_record``."""

    class Meta:
        model = "members.Election"

    organization = factory.LazyFunction(new_branch)
    term_number = 1
    held_on = _dt.date(2026, 3, 15)

    @classmethod
    def service(cls, *, organization, term_number, held_on):
        from members.elections.services import CandidateInput, election_record

        members = [MemberFactory(branch=organization, party_status="full") for _ in range(4)]
        posts = ["secretary", "organization", "publicity", ""]
        return election_record(
            organization=organization,
            term_number=term_number,
            held_on=held_on,
            method="competitive",
            seats=3,
            voters_entitled=22,
            voters_present=20,
            candidates=[
                CandidateInput(m, votes=15 if post else 5, post=post) for m, post in zip(members, posts, strict=True)
            ],
        )


class ElectionCandidateFactory(ServiceFactory):
    """A candidate of an election, recorded with it."""

    class Meta:
        model = "members.ElectionCandidate"

    election = factory.SubFactory(ElectionFactory)

    @classmethod
    def service(cls, *, election):
        return election.candidates.order_by("pk").first()


class AppraisalSessionFactory(ServiceFactory):
    """A 民主评议党员 session, through ``appraisal_session_create``."""

    class Meta:
        model = "members.AppraisalSession"

    organization = factory.LazyFunction(new_branch)
    year = 2026
    held_on = _dt.date(2026, 1, 20)

    service = service_call("members.appraisal.services.appraisal_session_create")


class AppraisalResultFactory(ServiceFactory):
    """A member's grade in an appraisal session of their branch, through ``appraisal_result_set``."""

    class Meta:
        model = "members.AppraisalResult"

    session = factory.SubFactory(AppraisalSessionFactory)
    member = factory.LazyAttribute(lambda o: MemberFactory(branch=o.session.organization, party_status="full"))
    grade = "qualified"

    service = service_call("members.appraisal.services.appraisal_result_set")


__all__ = [
    "AppraisalResultFactory",
    "AppraisalSessionFactory",
    "AttendanceFactory",
    "AttendanceRollupFactory",
    "MemberLifeFactory",
    "BranchFundFactory",
    "CalendarTokenFactory",
    "DuesArrearsReasonFactory",
    "DuesBaseFactory",
    "DuesBracketFactory",
    "DuesPaymentFactory",
    "DuesRollupFactory",
    "DuesArrearsSpanFactory",
    "DuesStandardFactory",
    "ElectionCandidateFactory",
    "ElectionFactory",
    "FundAllocationFactory",
    "FundSpendingFactory",
    "MeetingAttachmentFactory",
    "MeetingFactory",
    "MeetingGuestFactory",
    "MeetingRequirementFactory",
    "MeetingResolutionFactory",
    "MeetingRevisionFactory",
]
