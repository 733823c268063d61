import datetime

import pytest
from django.core.exceptions import ValidationError

from members import selectors, services
from members.models import ManagementMode, Member, MemberEvent, MemberStatus, Position, PositionKind
from tests.factories import RosterMemberFactory, make_org
from tests.members.helpers import valid_id

D = datetime.date


@pytest.fixture
def member(tree):
    return RosterMemberFactory(branch=tree["branch_a"], occupation_status="in_service")


def test_pii_stored_encrypted_hashed_masked(member):
    assert member.id_number_encrypted and member.id_number_hash and "*" in member.id_number_masked
    assert member.home_organization_id == member.branch_id  # registered in the branch by default
    assert member.management_mode == ManagementMode.TARGET
    assert MemberEvent.objects.filter(member=member, kind="created").exists()


def test_duplicate_id_refused_naming_existing(tree, member):
    from members import crypto

    same = crypto.decrypt(member.id_number_encrypted)
    with pytest.raises(ValidationError) as exc:
        services.member_create(branch=tree["branch_b"], name="重复", gender="male", id_number=same)
    assert member.name in str(exc.value.message_dict["id_number"])
    assert Member.objects.count() == 1


def test_bad_id_and_phone_and_birth_mismatch(tree):
    with pytest.raises(ValidationError) as exc:
        services.member_create(
            branch=tree["branch_a"], name="甲", gender="male", id_number="110105194912310021", phone="123"
        )
    assert set(exc.value.message_dict) == {"id_number", "phone"}
    with pytest.raises(ValidationError) as exc:
        services.member_create(
            branch=tree["branch_a"],
            name="乙",
            gender="male",
            id_number=valid_id(D(1960, 5, 17)),
            birth_date=D(1961, 5, 17),
        )
    assert "id_number" in exc.value.message_dict


def test_group_must_be_under_branch(tree):
    with pytest.raises(ValidationError) as exc:
        RosterMemberFactory(branch=tree["branch_b"], group=tree["group_a"])
    assert "group" in exc.value.message_dict
    assert RosterMemberFactory(branch=tree["branch_a"], group=tree["group_a"]).group == tree["group_a"]


def test_home_organization_node_or_name_not_both(tree):
    outside = RosterMemberFactory(branch=tree["branch_a"], home_organization_name="某公司党支部")
    assert outside.home_organization_id is None
    with pytest.raises(ValidationError) as exc:
        RosterMemberFactory(branch=tree["branch_a"], home_organization=tree["branch_b"], home_organization_name="x")
    assert "home_organization_name" in exc.value.message_dict


def test_dates_in_order(tree):
    with pytest.raises(ValidationError) as exc:
        RosterMemberFactory(branch=tree["branch_a"], admitted_on=D(2000, 1, 1), full_member_on=D(1999, 1, 1))
    assert "full_member_on" in exc.value.message_dict


def test_transfer_keeps_history_and_moves_registration(tree, member):
    services.position_create(
        member=member, organization=tree["branch_a"], kind=PositionKind.SECRETARY, started_on=D(2020, 1, 1)
    )
    services.member_transfer(member=member, branch=tree["branch_b"], today=D(2026, 3, 1))
    member.refresh_from_db()
    assert member.branch == tree["branch_b"] and member.home_organization == tree["branch_b"]
    event = MemberEvent.objects.get(member=member, kind="transferred")
    assert event.from_branch == tree["branch_a"] and event.to_branch == tree["branch_b"]
    assert Position.objects.get(member=member).ended_on == D(2026, 3, 1)


def test_floating_lost_deceased_transferred_out(tree, member):
    with pytest.raises(ValidationError):
        services.member_mark_floating(member=member, direction="out", place="")
    services.member_mark_floating(member=member, direction="out", place="广东省深圳市", today=D(2026, 2, 1))
    assert member.management_mode == ManagementMode.TRACKING
    services.member_mark_lost_contact(member=member, lost=True, today=D(2026, 2, 2))
    assert member.lost_contact and member.lost_contact_since == D(2026, 2, 2)
    services.member_mark_deceased(member=member, on=D(2026, 3, 1))
    member.refresh_from_db()
    assert member.status == MemberStatus.DECEASED and Member.objects.filter(pk=member.pk).exists()
    with pytest.raises(ValidationError):
        services.member_transfer_out(member=member, on=D(2026, 3, 2))
    other = RosterMemberFactory(branch=tree["branch_a"])
    services.member_transfer_out(member=other, on=D(2026, 3, 2), destination="外省")
    assert Member.objects.get(pk=other.pk).status == MemberStatus.TRANSFERRED_OUT


def test_report_only_in_service(tree, member):
    services.member_report(member=member, reported_on=D(2026, 1, 5), employer="区教委")
    assert member.reported_on == D(2026, 1, 5) and member.employer == "区教委"
    retired = RosterMemberFactory(branch=tree["branch_a"], occupation_status="retired")
    with pytest.raises(ValidationError):
        services.member_report(member=retired, reported_on=D(2026, 1, 5))


def test_probation_due_extension_and_lists(tree):
    today = D(2026, 6, 1)
    due = RosterMemberFactory(branch=tree["branch_a"], party_status="probationary", admitted_on=D(2025, 6, 20))
    late = RosterMemberFactory(branch=tree["branch_a"], party_status="probationary", admitted_on=D(2025, 5, 1))
    later = RosterMemberFactory(branch=tree["branch_a"], party_status="probationary", admitted_on=D(2025, 12, 1))
    assert due.probation_due_on == D(2026, 6, 20)
    qs = Member.objects.all()
    assert set(selectors.probation_due_soon(qs, today=today)) == {due}
    assert set(selectors.probation_overdue(qs, today=today)) == {late}
    with pytest.raises(ValidationError):
        services.member_extend_probation(member=late, months=3)
    services.member_extend_probation(member=late, months=6)
    assert late.probation_due_on == D(2026, 11, 1)
    with pytest.raises(ValidationError):
        services.member_extend_probation(member=late, months=6)  # only once
    services.member_confirm_full(member=later, on=D(2026, 12, 1))
    assert later.party_status == "full" and later.probation_due_on is None
    assert selectors.probation_state(due, today=today) == "due"


def test_position_rules(tree, member):
    with pytest.raises(ValidationError) as exc:
        services.position_create(
            member=member,
            organization=tree["branch_a"],
            kind="secretary",
            started_on=D(2020, 1, 1),
            ended_on=D(2019, 1, 1),
        )
    assert "ended_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.position_create(
            member=member, organization=tree["branch_a"], kind="group_leader", started_on=D(2020, 1, 1)
        )
    with pytest.raises(ValidationError):  # not the member's organization
        services.position_create(
            member=member, organization=tree["branch_b"], kind="secretary", started_on=D(2020, 1, 1)
        )
    services.position_create(member=member, organization=tree["branch_a"], kind="secretary", started_on=D(2020, 1, 1))
    other = RosterMemberFactory(branch=tree["branch_a"])
    with pytest.raises(ValidationError):  # one secretary at a time
        services.position_create(
            member=other, organization=tree["branch_a"], kind="secretary", started_on=D(2021, 1, 1)
        )


def test_structure_warnings(tree, django_assert_max_num_queries):
    today = D(2026, 6, 1)
    a, b = tree["branch_a"], tree["branch_b"]
    members = [RosterMemberFactory(branch=a) for _ in range(8)]
    RosterMemberFactory(branch=b)
    extra_group = make_org("building_group", a, name="第二党小组")
    with django_assert_max_num_queries(4):
        warnings = selectors.branch_structure_warnings(type(a).objects.filter(pk__in=[a.pk, b.pk]), today=today)
    codes_a = {w.code for w in warnings[a.pk]}
    assert {"committee_size", "no_secretary", "group_without_leader"} <= codes_a
    assert "too_few_full" in {w.code for w in warnings[b.pk]}
    assert all("条例" in str(w) or "Regulations" in str(w) for w in warnings[a.pk])
    for member, kind in zip(members, ["secretary", "organization", "publicity"], strict=False):
        services.position_create(member=member, organization=a, kind=kind, started_on=D(2024, 1, 1))
    leader = RosterMemberFactory(branch=a, group=tree["group_a"])
    services.position_create(member=leader, organization=tree["group_a"], kind="group_leader", started_on=D(2024, 1, 1))
    leader2 = RosterMemberFactory(branch=a, group=extra_group)
    services.position_create(member=leader2, organization=extra_group, kind="group_leader", started_on=D(2024, 1, 1))
    warnings = selectors.branch_structure_warnings(type(a).objects.filter(pk=a.pk), today=today)
    assert warnings[a.pk] == []
    for _ in range(45):
        RosterMemberFactory(branch=a)
    warnings = selectors.branch_structure_warnings(type(a).objects.filter(pk=a.pk), today=today)
    assert "too_many" in {w.code for w in warnings[a.pk]}
