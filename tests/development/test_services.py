"""The development pipeline through its services: each rule of 《发展党员工作细则》 and one full
path from application to full membership, the dates checked by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from members.development import services, steps
from members.development.models import Candidate, CandidateStep, Stage
from members.models import Member, PartyStatus
from tests.factories import make_candidate, make_congress, make_full_member

D = datetime.date
TODAY = D(2026, 11, 20)


def rec(candidate, code, on, **kw):
    return services.step_record(candidate=candidate, code=code, on=on, today=TODAY, **kw)


def refused(field, candidate, code, on, **kw):
    before = CandidateStep.objects.count()
    with pytest.raises(ValidationError) as exc:
        rec(candidate, code, on, **kw)
    assert field in exc.value.message_dict, exc.value.message_dict
    assert CandidateStep.objects.count() == before
    return exc.value.message_dict[field][0]


@pytest.fixture
def branch(tree):
    return tree["branch_a"]


@pytest.fixture
def elders(branch):
    return [make_full_member(branch) for _ in range(3)]


def to_activist(candidate, elders):
    rec(candidate, "talk", D(2024, 1, 20))
    rec(candidate, "activist", D(2024, 3, 1))
    rec(candidate, "activist_filed", D(2024, 3, 5))
    rec(candidate, "contacts", D(2024, 3, 5), people=elders[:2])
    rec(candidate, "assessment", D(2024, 9, 5), notes="表现良好")


def to_review(candidate, elders):
    to_activist(candidate, elders)
    rec(candidate, "target", D(2025, 3, 3))
    rec(candidate, "target_filed", D(2025, 3, 5))
    rec(candidate, "sponsors", D(2025, 3, 6), people=elders[:2])
    rec(candidate, "political_review", D(2025, 4, 1))
    rec(candidate, "training", D(2025, 4, 10), hours=Decimal("24"))
    rec(candidate, "committee_review", D(2025, 4, 21), publicity_from=D(2025, 4, 14))
    rec(candidate, "pre_review", D(2025, 4, 25))
    rec(candidate, "application_form", D(2025, 5, 6))


def test_full_path_with_dates(branch, elders):
    c = make_candidate(branch, applied_on=D(2024, 1, 8), phone="13912345678")
    c.refresh_from_db()
    assert (c.stage, c.next_step, c.next_due_on) == (Stage.APPLICANT, "talk", D(2024, 2, 8))
    rec(c, "talk", D(2024, 1, 20))
    rec(c, "activist", D(2024, 3, 1))
    c.refresh_from_db()
    assert (c.stage, c.next_step) == (Stage.ACTIVIST, "activist_filed")
    rec(c, "activist_filed", D(2024, 3, 5))
    rec(c, "contacts", D(2024, 3, 5), people=elders[:2])
    c.refresh_from_db()
    assert (c.next_step, c.next_due_on) == ("assessment", D(2024, 9, 5))  # half a year after the contacts
    rec(c, "assessment", D(2024, 9, 5))
    c.refresh_from_db()
    assert (c.next_step, c.next_due_on) == ("target", D(2025, 3, 1))  # one year after 2024-03-01
    rec(c, "assessment", D(2025, 2, 20))  # a second half-yearly assessment is allowed
    rec(c, "target", D(2025, 3, 3))
    for code, day in (("target_filed", D(2025, 3, 5)),):
        rec(c, code, day)
    rec(c, "sponsors", D(2025, 3, 6), people=elders[:2])
    rec(c, "political_review", D(2025, 4, 1))
    rec(c, "training", D(2025, 4, 10), hours=Decimal("24"))
    rec(c, "committee_review", D(2025, 4, 21), publicity_from=D(2025, 4, 14))
    rec(c, "pre_review", D(2025, 4, 25))
    rec(c, "application_form", D(2025, 5, 6))
    meeting, resolution = make_congress(branch, D(2025, 5, 20), voters=elders)
    rec(c, "congress_vote", D(2025, 5, 20), meeting=meeting, resolution=resolution)
    c.refresh_from_db()
    assert c.stage == Stage.TARGET and c.member is None
    rec(c, "committee_talk", D(2025, 6, 3))
    c.refresh_from_db()
    assert (c.next_step, c.next_due_on) == ("approval", D(2025, 8, 20))  # three months after 2025-05-20
    rec(c, "approval", D(2025, 8, 1))
    c.refresh_from_db()
    member = c.member
    assert c.stage == Stage.PROBATIONARY
    assert member.party_status == PartyStatus.PROBATIONARY
    assert member.admitted_on == D(2025, 5, 20)  # probation counts from the 支部大会
    assert member.probation_due_on == D(2026, 5, 20)
    assert member.branch == branch and member.name == c.name and member.id_number_masked == c.id_number_masked
    assert member.phone_masked == c.phone_masked and member.birth_date == c.birth_date
    for code, day in (
        ("approval_filed", D(2025, 8, 5)),
        ("placed", D(2025, 8, 6)),
        ("oath", D(2025, 8, 10)),
        ("continued_assessment", D(2025, 11, 10)),
        ("continued_assessment", D(2026, 2, 10)),
        ("conversion_application", D(2026, 5, 10)),
    ):
        rec(c, code, day)
    c.refresh_from_db()
    assert (c.next_step, c.next_due_on) == ("conversion_vote", None)
    early, early_res = make_congress(branch, D(2026, 5, 19), voters=elders, text="关于预备党员转正的决议")
    assert (
        "on"
        in pytest.raises(
            ValidationError, rec, c, "conversion_vote", D(2026, 5, 19), meeting=early, resolution=early_res
        ).value.message_dict
    )
    vote, vote_res = make_congress(branch, D(2026, 5, 22), voters=elders, text="关于预备党员转正的决议")
    rec(c, "conversion_vote", D(2026, 5, 22), meeting=vote, resolution=vote_res)
    c.refresh_from_db()
    assert c.next_due_on == D(2026, 8, 22)
    rec(c, "conversion_approval", D(2026, 6, 15))
    member.refresh_from_db()
    assert member.party_status == PartyStatus.FULL and member.full_member_on == D(2026, 5, 20)
    rec(c, "archived", D(2026, 6, 20))
    c.refresh_from_db()
    assert (c.stage, c.next_step, c.next_due_on) == (Stage.FULL, "", None)
    assert refused("code", c, "continued_assessment", D(2026, 7, 1))
    assert c.steps.count() == 27


def test_age_at_application(branch):
    with pytest.raises(ValidationError) as exc:
        make_candidate(branch, birth_date=D(2006, 1, 9), applied_on=D(2024, 1, 8))
    assert "birth_date" in exc.value.message_dict
    assert make_candidate(branch, birth_date=D(2006, 1, 8), applied_on=D(2024, 1, 8)).pk
    assert Candidate.objects.count() == 1


def test_pii_encrypted_and_masked(branch):
    c = make_candidate(branch, phone="13912345678")
    assert "13912345678" not in c.phone_encrypted and c.phone_masked.startswith("139")
    assert c.id_number_masked and "*" in c.id_number_masked


def test_talk_within_one_month(branch):
    c = make_candidate(branch, applied_on=D(2024, 1, 8))
    assert "2024-02-08" in refused("on", c, "talk", D(2024, 2, 9))
    rec(c, "talk", D(2024, 2, 8))


def test_step_out_of_order_and_dates(branch):
    c = make_candidate(branch, applied_on=D(2024, 1, 8))
    refused("code", c, "activist", D(2024, 1, 20))
    refused("code", c, "nonsense", D(2024, 1, 20))
    refused("on", c, "talk", D(2024, 1, 7))  # before the application
    refused("on", c, "talk", TODAY + datetime.timedelta(days=1))


def test_one_year_as_activist(branch, elders):
    c = make_candidate(branch)
    to_activist(c, elders)
    refused("on", c, "target", D(2025, 2, 28))
    rec(c, "target", D(2025, 3, 1))


def test_contacts_and_sponsors_are_full_members_of_the_branch(tree, branch, elders):
    c = make_candidate(branch)
    rec(c, "talk", D(2024, 1, 20))
    rec(c, "activist", D(2024, 3, 1))
    rec(c, "activist_filed", D(2024, 3, 5))
    probationary = make_full_member(branch, party_status=PartyStatus.PROBATIONARY, admitted_on=D(2023, 9, 1))
    elsewhere = make_full_member(tree["branch_b"])
    refused("people", c, "contacts", D(2024, 3, 5), people=[])
    refused("people", c, "contacts", D(2024, 3, 5), people=elders)
    refused("people", c, "contacts", D(2024, 3, 5), people=[probationary])
    refused("people", c, "contacts", D(2024, 3, 5), people=[elsewhere])
    rec(c, "contacts", D(2024, 3, 5), people=[elders[0]])
    rec(c, "assessment", D(2024, 9, 5))
    rec(c, "target", D(2025, 3, 3))
    rec(c, "target_filed", D(2025, 3, 5))
    refused("people", c, "sponsors", D(2025, 3, 6), people=[elders[0]])
    refused("people", c, "sponsors", D(2025, 3, 6), people=[elders[0], probationary])
    refused("people", c, "sponsors", D(2025, 3, 6), people=[elders[0], elders[0]])
    rec(c, "sponsors", D(2025, 3, 6), people=elders[:2])
    assert set(c.steps.get(code="sponsors").people.all()) == set(elders[:2])


def test_training_hours_and_publicity_working_days(branch, elders):
    c = make_candidate(branch)
    to_activist(c, elders)
    rec(c, "target", D(2025, 3, 3))
    rec(c, "target_filed", D(2025, 3, 5))
    rec(c, "sponsors", D(2025, 3, 6), people=elders[:2])
    rec(c, "political_review", D(2025, 4, 1))
    refused("hours", c, "training", D(2025, 4, 10))
    rec(c, "training", D(2025, 4, 10), hours=Decimal("24"))
    # 公示 from Saturday 2025-04-12: the first working day is Monday 04-14, the fifth Friday 04-18.
    assert steps.publicity_ends(D(2025, 4, 12)) == D(2025, 4, 18)
    assert steps.publicity_ends(D(2025, 4, 16)) == D(2025, 4, 22)  # Wed → Tue over a weekend
    refused("publicity_from", c, "committee_review", D(2025, 4, 21))
    refused("publicity_from", c, "committee_review", D(2025, 4, 21), publicity_from=D(2025, 4, 9))
    assert "2025-04-18" in refused("on", c, "committee_review", D(2025, 4, 18), publicity_from=D(2025, 4, 12))
    rec(c, "committee_review", D(2025, 4, 19), publicity_from=D(2025, 4, 12))


def test_congress_vote_uses_meeting_rules_and_approval_window(tree, branch, elders):
    c = make_candidate(branch)
    to_review(c, elders)
    refused("meeting", c, "congress_vote", D(2025, 5, 20))
    other, other_res = make_congress(tree["branch_b"], D(2025, 5, 20), voters=[make_full_member(tree["branch_b"])])
    refused("meeting", c, "congress_vote", D(2025, 5, 20), meeting=other, resolution=other_res)
    thin, thin_res = make_congress(branch, D(2025, 5, 19), voters=elders[:1])  # 1 of 3 with a vote present
    refused("meeting", c, "congress_vote", D(2025, 5, 19), meeting=thin, resolution=thin_res)
    lost, lost_res = make_congress(branch, D(2025, 5, 20), voters=elders, votes_for=1)  # 1 of 3 for
    refused("resolution", c, "congress_vote", D(2025, 5, 20), meeting=lost, resolution=lost_res)
    refused("resolution", c, "congress_vote", D(2025, 5, 20), meeting=lost, resolution=thin_res)
    good, good_res = make_congress(branch, D(2025, 5, 21), voters=elders, votes_for=2)
    refused("on", c, "congress_vote", D(2025, 5, 20), meeting=good, resolution=good_res)
    rec(c, "congress_vote", D(2025, 5, 21), meeting=good, resolution=good_res)
    rec(c, "committee_talk", D(2025, 6, 3))
    assert "2025-08-21" in refused("on", c, "approval", D(2025, 8, 22))
    assert Member.objects.filter(name=c.name).count() == 0
    rec(c, "approval", D(2025, 8, 21))
    c.refresh_from_db()
    assert c.member.admitted_on == D(2025, 5, 21)


def test_duplicate_id_number(tree, branch, district_admin, staff_a, staff_b):
    from members import crypto

    elder = make_full_member(branch)
    number = crypto.decrypt(elder.id_number_encrypted)
    with pytest.raises(ValidationError) as exc:
        make_candidate(tree["branch_b"], id_number=number, birth_date=elder.birth_date)
    assert "id_number" in exc.value.message_dict
    c = make_candidate(branch)
    with pytest.raises(ValidationError):
        make_candidate(branch, id_number=crypto.decrypt(c.id_number_encrypted), birth_date=c.birth_date)
    assert Candidate.objects.count() == 1


def test_statistics_and_reminders(tree, branch, elders):
    from core.periods import Period
    from core.statistics.framework import STAT_BLOCKS
    from members.development.reminders import development_step_due

    due_soon = make_candidate(branch, applied_on=D(2026, 11, 1))  # talk due 2026-12-01
    overdue = make_candidate(branch, applied_on=D(2026, 9, 1))  # talk due 2026-10-01
    admitted = make_candidate(tree["branch_b"], applied_on=D(2024, 1, 8))
    to_review(admitted, [make_full_member(tree["branch_b"]) for _ in range(3)])
    voters = list(Member.objects.filter(branch=tree["branch_b"]))
    meeting, resolution = make_congress(tree["branch_b"], D(2025, 5, 20), voters=voters)
    rec(admitted, "congress_vote", D(2025, 5, 20), meeting=meeting, resolution=resolution)
    rec(admitted, "committee_talk", D(2025, 6, 3))
    rec(admitted, "approval", D(2025, 8, 1))
    block = STAT_BLOCKS["development"]
    period = Period(D(2025, 1, 1), D(2025, 12, 31))
    from organizations.models import Organization

    nodes = list(Organization.objects.filter(pk__in=[tree["district"].pk, tree["community_a"].pk]))  # fresh lft/rght
    result = block.compute(nodes, period)
    assert result[tree["district"].pk]["development.stage_applicant"] == 2
    assert result[tree["district"].pk]["development.stage_probationary"] == 1
    assert result[tree["district"].pk]["development.admissions"] == 1
    assert result[tree["community_a"].pk]["development.admissions"] == 0
    assert result[tree["community_a"].pk]["development.stage_applicant"] == 2
    reminders = {r.subject_id: r for r in development_step_due(today=D(2026, 11, 20))}
    assert set(reminders) == {due_soon.pk, overdue.pk}  # the approved one's next step has no deadline
    assert "逾期" in reminders[overdue.pk].message and reminders[due_soon.pk].due_on == D(2026, 12, 1)
    assert reminders[overdue.pk].organization_id == branch.pk
