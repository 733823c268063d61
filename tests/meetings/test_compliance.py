"""Compliance numbers equal a hand count; rollup in a constant number of queries; dual
crediting; lost contact; 转正."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.compliance import (
    compliance_for_branch,
    compliance_for_subtree,
    parse_window,
    quarter_window,
    year_window,
)
from members.meetings import meeting_record
from members.models import MeetingKind
from members.organizational_life import (
    lost_contact_members,
    members_due_for_full_membership,
    organizational_life_totals,
)
from organizations.models import Formation, OrganizationKind
from organizations.services import organization_dissolve
from tests.factories import NumberedMemberFactory, make_org
from tests.meetings.conftest import NOW, TODAY, at, make_committee

pytestmark = pytest.mark.django_db


def hold(org, kind, when, members, **kw):
    return meeting_record(
        organization=org,
        kind=kind,
        held_at=when,
        topic=kw.pop("topic", f"{kind}{when}"),
        attendance=[{"member": m.pk, "status": "present"} for m in members],
        now=NOW,
        **kw,
    )


def test_quarter_hand_count(tree, branch):
    members = [NumberedMemberFactory(branch=branch, group=tree["group_a"]) for _ in range(3)]
    make_committee(branch, members)
    # Q3 2026: committee in Jul and Sep (Aug missing), two congresses, group meetings every month,
    # a lecture, theme days in Jul only (twice: still credited once).
    for month in (7, 9):
        hold(branch, MeetingKind.BRANCH_COMMITTEE, at(month), members)
    hold(branch, MeetingKind.PARTY_CONGRESS, at(7, 20), members)
    hold(branch, MeetingKind.PARTY_CONGRESS, at(8, 20), members)
    for month in (7, 8, 9):
        hold(tree["group_a"], MeetingKind.GROUP_MEETING, at(month, 15), members)
    hold(branch, MeetingKind.PARTY_LECTURE, at(8, 3), members, lecturer="书记")
    hold(branch, MeetingKind.THEME_DAY, at(7, 1), members)
    hold(branch, MeetingKind.THEME_DAY, at(7, 2), members)
    hold(branch, MeetingKind.JOINT_MEETING, at(9, 2), members)
    report = compliance_for_branch(branch, quarter_window(2026, 3), today=TODAY)
    got = {k.kind: (k.held, k.credited, k.required, k.gap, k.overdue_periods) for k in report.kinds}
    assert got == {
        "party_congress": (2, 1, 1, 0, 0),
        "branch_committee": (2, 2, 3, 1, 1),
        "group_meeting": (3, 3, 3, 0, 0),
        "party_lecture": (1, 1, 1, 0, 0),
        "theme_day": (2, 1, 3, 2, 2),
    }
    assert report.other_held == {"joint_meeting": 1}
    assert not report.compliant


def test_current_month_is_due_not_overdue(branch):
    m = NumberedMemberFactory(branch=branch)
    hold(branch, MeetingKind.THEME_DAY, at(10, 5), [m])
    report = compliance_for_branch(branch, quarter_window(2026, 4), today=TODAY)
    theme = next(k for k in report.kinds if k.kind == "theme_day")
    # Oct held, Nov open (due soon: 10 days left), Dec not started → required 2
    assert (theme.required, theme.credited, theme.overdue_periods, theme.status) == (2, 1, 0, "due_soon")
    kinds = {k.kind for k in report.kinds}
    assert "life_meeting" not in kinds  # yearly rules do not apply to a quarter


def test_branch_assessed_only_for_periods_it_existed_through(tree):
    """A branch founded in April is not asked for meetings in Q1 or in April itself; one
    dissolved on 1 September is not asked for September onwards."""
    founded = make_org(OrganizationKind.BRANCH, tree["community_a"], established_on=datetime.date(2026, 4, 10))
    dissolved = organization_dissolve(
        organization=make_org(OrganizationKind.BRANCH, tree["community_b"], established_on=datetime.date(2010, 1, 1)),
        dissolved_on=datetime.date(2026, 9, 1),
    )
    m = NumberedMemberFactory(branch=founded)
    hold(founded, MeetingKind.THEME_DAY, at(3, 2), [m])  # before it existed: held, not assessed
    hold(founded, MeetingKind.THEME_DAY, at(5), [m])
    report = compliance_for_branch(founded, year_window(2026), today=TODAY)
    kinds = {k.kind: k for k in report.kinds}
    theme, committee = kinds["theme_day"], kinds["branch_committee"]
    # Monthly: May..Nov started by 20 Nov → 7 assessed, May held; Jun..Oct overdue, Nov open.
    assert (theme.held, theme.required, theme.credited, theme.overdue_periods) == (2, 7, 1, 5)
    assert committee.required == 7 and committee.next_due == datetime.date(2026, 11, 30)
    # Quarterly (party congress): Q3 and Q4 only (Q2 began before the founding).
    assert kinds["party_congress"].required == 2
    gone = compliance_for_branch(dissolved, year_window(2026), today=TODAY)
    gone_kinds = {k.kind: k for k in gone.kinds}
    # Jan..Aug assessed; nothing open any more, so nothing is "due".
    assert gone_kinds["theme_day"].required == 8 and gone_kinds["theme_day"].overdue_periods == 8
    assert gone_kinds["theme_day"].next_due is None
    assert gone_kinds["party_congress"].required == 2  # Q1, Q2 (Q3 ends after the dissolution)
    # As of March the April branch does not exist yet: it is not listed at all.
    march = compliance_for_subtree(tree["district"], year_window(2026), today=datetime.date(2026, 3, 31))
    assert founded.pk not in {b.branch_id for b in march.branches}
    assert dissolved.pk in {b.branch_id for b in march.branches}
    assert founded.pk not in {b.branch_id for b in compliance_for_subtree(tree["district"], year_window(2025)).branches}


def test_meetings_after_the_as_of_day_do_not_count(branch):
    """Compliance as of a past day is what it was on that day, whatever was recorded later."""
    m = NumberedMemberFactory(branch=branch)
    hold(branch, MeetingKind.THEME_DAY, at(3, 5), [m])
    hold(branch, MeetingKind.THEME_DAY, at(9, 5), [m])
    as_of_june = compliance_for_branch(branch, year_window(2026), today=datetime.date(2026, 6, 30))
    theme = next(k for k in as_of_june.kinds if k.kind == "theme_day")
    assert (theme.held, theme.credited, theme.required) == (1, 1, 6)
    now = compliance_for_branch(branch, year_window(2026), today=TODAY)
    theme = next(k for k in now.kinds if k.kind == "theme_day")
    assert (theme.held, theme.credited, theme.required) == (2, 2, 11)


def test_longyan_rule_for_integrated(tree):
    integrated = make_org(OrganizationKind.BRANCH, tree["community_a"], formation=Formation.INTEGRATED)
    make_org(OrganizationKind.GROUP, integrated)
    members = [NumberedMemberFactory(branch=integrated) for _ in range(3)]
    make_committee(integrated, members)
    for month in (1, 4, 7, 10):
        hold(integrated, MeetingKind.BRANCH_COMMITTEE, at(month), members)
    hold(integrated, MeetingKind.PARTY_CONGRESS, at(3), members)
    report = compliance_for_branch(integrated, year_window(2026), today=TODAY)
    got = {k.kind: (k.minimum, k.period, k.credited, k.required) for k in report.kinds}
    assert got["branch_committee"] == (4, "year", 4, 4)
    assert got["party_congress"] == (1, "year", 1, 1)
    assert got["group_meeting"] == (4, "year", 0, 4)
    assert got["theme_day"] == (1, "month", 0, 11)  # Jan..Nov started by 20 Nov


def test_rollup_constant_queries(tree):
    def rollup_queries():
        with CaptureQueriesContext(connection) as ctx:
            rollup = compliance_for_subtree(tree["district"], year_window(2026), today=TODAY)
        return rollup, len(ctx.captured_queries)

    m = NumberedMemberFactory(branch=tree["branch_a"])
    hold(tree["branch_a"], MeetingKind.PARTY_CONGRESS, at(3), [m])
    small, n_small = rollup_queries()
    for _ in range(10):
        b = make_org(OrganizationKind.BRANCH, tree["community_b"])
        hold(b, MeetingKind.THEME_DAY, at(2), [NumberedMemberFactory(branch=b)])
    big, n_big = rollup_queries()
    assert n_small == n_big <= 5
    assert (small.total, big.total) == (2, 12)
    assert big.compliant_count == 0 and len(big.behind) == 12


def test_rollup_compliant_branch(tree, branch):
    m = NumberedMemberFactory(branch=branch)
    for month in (10, 11):
        hold(branch, MeetingKind.THEME_DAY, at(month), [m])
    rollup = compliance_for_subtree(tree["district"], parse_window(2026, "2026-11"), today=TODAY)
    by_id = {b.branch_id: b for b in rollup.branches}
    # November: theme day held; committee (monthly) missing in both branches
    assert by_id[branch.pk].kinds[0].kind == "branch_committee"
    assert {k.kind: k.gap for k in by_id[branch.pk].kinds}["theme_day"] == 0


def test_dual_crediting(tree, branch):
    home = tree["branch_b"]
    m = NumberedMemberFactory(branch=branch, home_organization=home)
    others = NumberedMemberFactory(branch=home)
    hold(branch, MeetingKind.THEME_DAY, at(3), [m])
    hold(branch, MeetingKind.PARTY_CONGRESS, at(4), [m])
    # the home organization records the member's attendance on its own roll (兼合式 一方隶属, 双方管理)
    from members.models import Meeting

    hold(home, MeetingKind.PARTY_LECTURE, at(5), [others, m], lecturer="书记")
    hold(branch, MeetingKind.THEME_DAY, at(5, 1, year=2025), [m], topic="去年")
    totals = organizational_life_totals([m], 2026)[m.pk]
    assert (totals["total"], totals["from_branch"], totals["from_home"]) == (3, 2, 1)
    assert {s.via for s in totals["sources"]} == {"branch", "home"}
    assert Meeting.objects.count() == 4


def test_lost_contact_and_probation(branch):
    from tests.rules.helpers import member

    joined = datetime.date(2025, 1, 1)
    active = member(branch, today=joined)
    silent = member(branch, today=joined)
    newcomer = member(branch, today=joined, probationary=True, admitted_on=datetime.date(2025, 12, 1))
    extended = member(
        branch, today=joined, probationary=True, admitted_on=datetime.date(2025, 6, 1), probation_extension_months=12
    )
    hold(branch, MeetingKind.THEME_DAY, at(9), [active])
    hold(branch, MeetingKind.THEME_DAY, at(4), [silent])
    lost = {m.pk for m in lost_contact_members(branch, today=TODAY)}
    assert lost == {silent.pk, newcomer.pk, extended.pk}
    due = {m.pk: (d, overdue) for m, d, overdue in members_due_for_full_membership(branch, today=TODAY)}
    assert due == {newcomer.pk: (datetime.date(2026, 12, 1), False)}
    due = {m.pk: d for m, d, _o in members_due_for_full_membership(branch, today=datetime.date(2027, 5, 15))}
    assert due[extended.pk] == datetime.date(2027, 6, 1)


def test_parse_window_errors():
    from django.core.exceptions import ValidationError

    for year, period, field in [("x", None, "year"), (2026, "Q5", "period"), (2026, "2025-03", "period")]:
        with pytest.raises(ValidationError) as exc:
            parse_window(year, period)
        assert field in exc.value.error_dict
    assert parse_window(2026, "Q3").label == "2026年第3季度"
    assert parse_window(2026, "2026-05").start == datetime.date(2026, 5, 1)
