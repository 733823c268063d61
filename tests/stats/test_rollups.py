"""The organizational-life rollup (members.rollups) never disagrees with the raw attendance:
after every write path the rollup equals a full recomputation, and the statistics read from it
equal the same figures computed over the raw rows, for whole and partial months."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.periods import Period
from members import rollups
from members import services as member_services
from members.meetings import meeting_record, meeting_set_archived, meeting_update
from members.models import Attendance, AttendanceRollup, MeetingKind, Member, MemberLife
from members.organizational_life import lost_contact_cutoff, lost_contact_q
from members.statistics import _raw_life, organizational_life_part
from organizations import services
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PERIODS = (
    Period.year(2026),
    Period.month(2026, 5),
    Period.quarter(2026, 2),
    Period(datetime.date(2026, 4, 15), datetime.date(2026, 6, 10)),  # partial months at both ends
    Period(datetime.date(2026, 5, 11), datetime.date(2026, 5, 20)),  # inside one month
)


JOINED = datetime.date(2025, 9, 1)


def _at(month, day):
    return timezone.make_aware(datetime.datetime(2026, month, day, 19, 30))


def assert_in_step(tree):
    assert rollups.differences() == []
    assert rollups.last_present_differences() == []
    assert_lost_contact_exact()
    nodes = [type(node).objects.get(pk=node.pk) for node in tree.values()]  # fresh nested-set bounds
    for period in PERIODS:
        raw = _raw_life(nodes, period.start, period.end_exclusive)
        expected = {pk: {f"members.{k}": v for k, v in values.items()} for pk, values in raw.items()}
        assert organizational_life_part(nodes, period) == expected, period
        # and each node alone (the single-node query path)
        for node in nodes[:3]:
            assert organizational_life_part([node], period) == {node.pk: expected[node.pk]}


def _lost_from_raw(today):
    """失联 over the raw attendance, written independently of the summary: joined before the
    cutoff and present at no meeting (not archived) from the cutoff through ``today``."""
    cutoff = lost_contact_cutoff(today)
    lost = set()
    for m in Member.objects.all():
        joined = m.branch_joined_on or timezone.localtime(m.created_at).date()
        seen = Attendance.objects.filter(member=m, status="present", meeting__archived=False).values_list(
            "meeting__held_at", flat=True
        )
        days = {timezone.localtime(t).date() for t in seen}
        if joined < cutoff and not any(cutoff <= d <= today for d in days):
            lost.add(m.pk)
    return lost


def assert_lost_contact_exact():
    # today, a day between the meetings (some members last seen after it), and a day before any
    seen = set()
    for today in (timezone.localdate(), datetime.date(2026, 11, 11), datetime.date(2026, 5, 11)):
        lost = set(Member.objects.filter(lost_contact_q(today)).values_list("pk", flat=True))
        assert lost == _lost_from_raw(today), today
        seen |= lost
    assert seen  # the dates above do find members lost contact


def _present(*members):
    return [{"member": m.pk, "status": "present"} for m in members]


def _meeting(organization, kind, held_at, *present):
    return meeting_record(
        organization=organization, kind=kind, held_at=held_at, topic="学习党章", attendance=_present(*present)
    )


@pytest.fixture
def life(tree):
    a, b, g = tree["branch_a"], tree["branch_b"], tree["group_a"]
    people = {
        "a1": MemberFactory(branch=a, group=g, today=JOINED),
        "a2": MemberFactory(branch=a, home_organization=b, today=JOINED),  # lives in A, registered in B (统筹计入)
        "b1": MemberFactory(branch=b, today=JOINED),
        "silent": MemberFactory(branch=b, today=JOINED),  # never present: lost once six months have passed
    }
    congress = _meeting(a, MeetingKind.PARTY_CONGRESS, _at(5, 10), people["a1"], people["a2"])
    group = _meeting(g, MeetingKind.GROUP_MEETING, _at(5, 12), people["a1"])
    home = _meeting(b, MeetingKind.PARTY_CONGRESS, _at(6, 3), people["b1"], people["a2"])
    return {**people, "congress": congress, "group": group, "home": home}


def test_record_keeps_the_rollup_in_step(tree, life):
    assert_in_step(tree)
    branch = type(tree["branch_a"]).objects.get(pk=tree["branch_a"].pk)
    figures = organizational_life_part([branch], Period.year(2026))[branch.pk]
    assert (figures["members.life_total"], figures["members.life_at_residence"], figures["members.life_at_home"]) == (
        4,
        3,
        1,
    )


def test_edit_moving_the_date_and_the_attendance(tree, life):
    meeting = life["congress"]
    meeting_update(
        meeting=meeting,
        version=meeting.version,
        held_at=_at(4, 20),
        attendance=[{"member": life["a1"].pk, "status": "present"}, {"member": life["a2"].pk, "status": "absent"}],
    )
    assert not AttendanceRollup.objects.filter(month=datetime.date(2026, 5, 1), life_total=3).exists()
    assert_in_step(tree)


def test_archive_and_restore(tree, life):
    meeting_set_archived(meeting=life["home"], archived=True)
    assert_in_step(tree)
    meeting_set_archived(meeting=life["home"], archived=False)
    assert_in_step(tree)


def test_tree_move_of_a_group_changes_residence(tree, life):
    services.organization_move(organization=tree["group_a"], target=tree["branch_b"])
    branch = type(tree["branch_a"]).objects.get(pk=tree["branch_a"].pk)
    # a1's group meeting is no longer at a1's compound branch
    assert organizational_life_part([branch], Period.year(2026))[branch.pk]["members.life_at_residence"] == 2
    assert_in_step(tree)


def test_member_transfer_and_transfer_out(tree, life):
    member_services.member_transfer(member=life["a1"], branch=tree["branch_b"])
    assert_in_step(tree)
    member_services.member_transfer_out(member=life["b1"], on=datetime.date(2026, 7, 1))
    assert_in_step(tree)


def test_rebuild_is_idempotent_and_the_check_reports_differences(tree, life):
    before = sorted(AttendanceRollup.objects.values_list("organization_id", "month", *rollups.FIGURES))
    call_command("rebuild_rollups")
    call_command("rebuild_rollups")
    after = sorted(AttendanceRollup.objects.values_list("organization_id", "month", *rollups.FIGURES))
    assert before == after
    call_command("check_rollups")
    AttendanceRollup.objects.all().delete()  # a rollup lost (e.g. data loaded around the services)
    with pytest.raises(CommandError, match="不一致"):
        call_command("check_rollups")
    call_command("rebuild_rollups")
    assert_in_step(tree)
    MemberLife.objects.all().delete()  # and the members' last presence
    with pytest.raises(CommandError, match="不一致"):
        call_command("check_rollups")
    call_command("rebuild_rollups")
    assert_in_step(tree)


def test_roster_import_moving_a_member_to_another_branch(tree):
    from members import crypto
    from members.roster import import_members
    from organizations.models import Role
    from tests.factories import make_user
    from tests.members.helpers import roster_csv

    birth = datetime.date(1960, 5, 17)
    id_number = crypto.make_id_number("500108", birth, 77)
    member = MemberFactory(branch=tree["branch_a"], id_number=id_number, birth_date=birth, name="导入党员")
    _meeting(tree["branch_a"], MeetingKind.PARTY_CONGRESS, _at(5, 10), member)
    row = ["导入党员", "男", id_number, "13900000077", "正式党员", "1990-07-01", "1991-07-01", "离退休"]
    report = import_members(
        data=roster_csv([[*row, tree["branch_b"].name, ""]]),
        filename="roster.csv",
        update_existing=True,
        user=make_user("rollup_admin", tree["district"], Role.DISTRICT_ADMIN),
        today=datetime.date(2026, 6, 1),
    )
    assert report.saved and report.updated == 1, report.errors
    assert AttendanceRollup.objects.get(organization=tree["branch_b"], month=datetime.date(2026, 5, 1)).life_total == 1
    assert_in_step(tree)
