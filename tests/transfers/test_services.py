"""Rules of the transfer workflow, floating records and status changes (through the services)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit.models import AuditEntry
from members.models import (
    FloatingRecord,
    Member,
    MemberEventKind,
    MemberStatus,
    MemberStatusChange,
    Transfer,
    TransferState,
)
from members.transfers import floating, services, status
from members.transfers.reminder_rules import floating_not_contacted, transfer_letter_expiring
from organizations.models import Role
from tests.factories import RosterMemberFactory, make_floating, make_transfer, make_tree, make_user
from tests.members.helpers import valid_id

pytestmark = pytest.mark.django_db


def today():
    # Read at each use: a suite that runs past midnight (local time) must not compare with the
    # day it was collected on.
    return timezone.localdate()


def _messages(exc, field):
    return " ".join(str(m) for m in exc.value.message_dict[field])


def test_within_transfer_moves_member_only_on_accept(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    receiver = make_user("recv", tree["community_b"], Role.COMMUNITY_STAFF)
    transfer = make_transfer(member, tree["branch_b"], issue=True)
    member.refresh_from_db()
    assert transfer.state == TransferState.ISSUED and member.branch_id == tree["branch_a"].pk
    accepted = services.transfer_accept(transfer=transfer, actor=receiver)
    member.refresh_from_db()
    assert accepted.state == TransferState.RECEIVED and accepted.closed_on == today()
    assert member.branch_id == tree["branch_b"].pk
    # Registered in the old branch: the registration moves too, the history says from where.
    assert member.home_organization_id in (None, tree["branch_b"].pk)
    event = member.events.filter(kind=MemberEventKind.TRANSFERRED).get()
    assert (event.from_branch_id, event.to_branch_id) == (tree["branch_a"].pk, tree["branch_b"].pk)


def test_accept_refused_for_sending_side_and_before_issue(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    sender = make_user("send", tree["community_a"], Role.COMMUNITY_STAFF)
    draft = make_transfer(member, tree["branch_b"])
    with pytest.raises(ValidationError) as exc:
        services.transfer_accept(transfer=draft)
    assert "state" in exc.value.message_dict
    issued = services.transfer_issue(transfer=draft, letter_number="渝转001")
    with pytest.raises(ValidationError) as exc:
        services.transfer_accept(transfer=issued, actor=sender)
    assert "to_organization" in exc.value.message_dict
    member.refresh_from_db()
    assert member.branch_id == tree["branch_a"].pk


def test_transfer_targets_refused(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    other = make_tree("外")
    for target in (tree["branch_a"], tree["group_a"], tree["community_b"], other["branch_b"], None):
        with pytest.raises(ValidationError) as exc:
            services.transfer_create(member=member, to_organization=target)
        assert "to_organization" in exc.value.message_dict
    assert not Transfer.objects.exists()


def test_one_open_transfer_per_member(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    make_transfer(member, tree["branch_b"])
    with pytest.raises(ValidationError) as exc:
        services.transfer_create(member=member, kind="out", to_name="外省某党委")
    assert "member" in exc.value.message_dict
    assert Transfer.objects.count() == 1
    # The database guarantees it too, whatever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(member=member, kind="out", state="issued", from_branch=tree["branch_a"])


def test_returned_letter_frees_the_member(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    transfer = make_transfer(member, tree["branch_b"], issue=True)
    with pytest.raises(ValidationError) as exc:
        services.transfer_return(transfer=transfer, reason=" ")
    assert "reason" in exc.value.message_dict
    services.transfer_return(transfer=transfer, reason="抬头有误")
    transfer.refresh_from_db()
    assert transfer.state == TransferState.RETURNED
    make_transfer(member, tree["branch_b"])  # a new letter is possible now


def test_issue_rules(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    transfer = make_transfer(member, tree["branch_b"])
    with pytest.raises(ValidationError) as exc:
        services.transfer_issue(transfer=transfer)
    assert "letter_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.transfer_issue(transfer=transfer, letter_number="X1", valid_until=today() - datetime.timedelta(days=1))
    assert "valid_until" in exc.value.message_dict
    issued = services.transfer_issue(transfer=transfer, letter_number="X1")
    assert issued.valid_until == today() + datetime.timedelta(days=services.DEFAULT_VALIDITY_DAYS)


def test_out_of_system_receipt_transfers_out(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    with pytest.raises(ValidationError) as exc:
        services.transfer_create(member=member, kind="out", to_name="")
    assert "to_name" in exc.value.message_dict
    transfer = make_transfer(member, kind="out", to_name="成都市武侯区某社区党委", issue=True)
    services.transfer_record_receipt(transfer=transfer, receipt_number="回执7")
    member.refresh_from_db()
    transfer.refresh_from_db()
    assert member.status == MemberStatus.TRANSFERRED_OUT
    assert (transfer.state, transfer.receipt_number) == (TransferState.RECEIVED, "回执7")


def test_expired_letter_flagged_and_reminded(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    transfer = make_transfer(member, tree["branch_b"])
    old = today() - datetime.timedelta(days=100)
    services.transfer_issue(
        transfer=transfer, letter_number="X2", valid_until=old + datetime.timedelta(days=30), today=old
    )
    due = list(transfer_letter_expiring(today=today()))
    assert [(d.subject_id, d.organization_id) for d in due] == [(transfer.pk, tree["branch_a"].pk)]
    with pytest.raises(ValidationError) as exc:
        services.transfer_accept(transfer=transfer)
    assert "valid_until" in exc.value.message_dict
    assert services.transfer_expire_overdue(today=today()) == 1
    transfer.refresh_from_db()
    assert transfer.state == TransferState.EXPIRED
    entry = AuditEntry.objects.get(model="members.transfer", object_id="*")
    assert entry.changes["ids"] == [str(transfer.pk)] and entry.changes["count"] == 1
    assert services.transfer_expire_overdue(today=today()) == 0  # idempotent, nothing more logged
    assert AuditEntry.objects.filter(model="members.transfer", object_id="*").count() == 1
    assert [d.subject_id for d in transfer_letter_expiring(today=today())] == [transfer.pk]
    make_transfer(member, tree["branch_b"])  # no longer open


def test_letter_about_to_expire_is_reminded_not_before(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    transfer = make_transfer(member, tree["branch_b"])
    services.transfer_issue(transfer=transfer, letter_number="X3", valid_until=today() + datetime.timedelta(days=60))
    assert list(transfer_letter_expiring(today=today())) == []
    assert len(list(transfer_letter_expiring(today=today() + datetime.timedelta(days=50)))) == 1


def test_inbound_letter_creates_then_reactivates(tree):
    fields = {"name": "杜文涛", "gender": "male", "id_number": valid_id(datetime.date(1979, 4, 12))}
    with pytest.raises(ValidationError) as exc:
        services.transfer_receive_letter(
            to_organization=tree["branch_b"], from_name="", letter_number="", member_fields=fields
        )
    assert {"from_name", "letter_number"} <= set(exc.value.message_dict)
    transfer = services.transfer_receive_letter(
        to_organization=tree["branch_b"], from_name="重庆市渝北区某党委", letter_number="渝北001", member_fields=fields
    )
    member = transfer.member
    assert (member.branch_id, member.status, transfer.state) == (tree["branch_b"].pk, "active", "received")
    # The same person again while on the rolls: refused, nothing saved.
    with pytest.raises(ValidationError) as exc:
        services.transfer_receive_letter(
            to_organization=tree["branch_a"], from_name="某党委", letter_number="2", member_fields=fields
        )
    assert "id_number" in exc.value.message_dict
    out = make_transfer(member, kind="out", to_name="外省某党委", issue=True)
    services.transfer_record_receipt(transfer=out)
    back = services.transfer_receive_letter(
        to_organization=tree["branch_a"], from_name="外省某党委", letter_number="3", member_fields=fields
    )
    member.refresh_from_db()
    assert back.member_id == member.pk and Member.objects.count() == 1
    assert (member.status, member.branch_id) == (MemberStatus.ACTIVE, tree["branch_a"].pk)
    assert member.status_changes.filter(to_status=MemberStatus.ACTIVE).exists()


# --- status changes ---------------------------------------------------------------------------


def test_stop_needs_six_months_out_of_contact_and_restore(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    args = {"on": today(), "reason": "失联超过六个月", "decided_by": "支部大会，街道党工委批准"}
    with pytest.raises(ValidationError) as exc:
        status.member_stop(member=member, **args)
    assert "status" in exc.value.message_dict
    from members import services as member_services

    member_services.member_mark_lost_contact(member=member, since=today() - datetime.timedelta(days=200))
    with pytest.raises(ValidationError) as exc:
        status.member_stop(member=member, **dict(args, decided_by=""))
    assert "decided_by" in exc.value.message_dict
    status.member_stop(member=member, **args)
    member.refresh_from_db()
    assert member.status == MemberStatus.STOPPED
    status.member_restore(member=member, on=today(), reason="恢复联系", decided_by="支部大会")
    member.refresh_from_db()
    assert (member.status, member.lost_contact) == (MemberStatus.ACTIVE, False)
    assert list(member.status_changes.order_by("id").values_list("to_status", flat=True)) == ["stopped", "active"]


@pytest.mark.parametrize("how", ["withdrawn", "removed", "expelled"])
def test_leaving_the_party(tree, how):
    member = RosterMemberFactory(branch=tree["branch_a"])
    with pytest.raises(ValidationError) as exc:
        status.member_leave_party(member=member, how=how, on=today(), reason="", decided_by="")
    assert {"reason", "decided_by"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        status.member_leave_party(
            member=member, how=how, on=today() + datetime.timedelta(days=1), reason="r", decided_by="支部大会"
        )
    assert "on" in exc.value.message_dict
    status.member_leave_party(member=member, how=how, on=today(), reason="理由", decided_by="支部大会")
    member.refresh_from_db()
    assert member.status == how and Member.objects.filter(pk=member.pk).exists()
    change = MemberStatusChange.objects.get(member=member)
    assert (change.from_status, change.to_status, change.reason) == ("active", how, "理由")
    with pytest.raises(ValidationError):
        status.member_leave_party(member=member, how=how, on=today(), reason="r", decided_by="支部大会")


def test_cancel_probation_only_probationary(tree):
    full = RosterMemberFactory(branch=tree["branch_a"])
    with pytest.raises(ValidationError) as exc:
        status.member_cancel_probation(member=full, on=today(), reason="r", decided_by="支部大会")
    assert "party_status" in exc.value.message_dict
    probationary = RosterMemberFactory(
        branch=tree["branch_a"], party_status="probationary", admitted_on=today() - datetime.timedelta(days=100)
    )
    status.member_cancel_probation(member=probationary, on=today(), reason="不履行党员义务", decided_by="支部大会")
    probationary.refresh_from_db()
    assert probationary.status == MemberStatus.PROBATION_CANCELLED


def test_death_recorded_without_body(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    status.member_record_death(member=member, on=today())
    member.refresh_from_db()
    assert member.status == MemberStatus.DECEASED and member.status_changes.count() == 1
    with pytest.raises(ValidationError):
        make_transfer(member, tree["branch_b"])


# --- floating -----------------------------------------------------------------------------------


def test_floating_out_and_return(tree):
    member = RosterMemberFactory(branch=tree["branch_a"])
    with pytest.raises(ValidationError) as exc:
        floating.floating_start(member=member, direction="out", place="")
    assert "place" in exc.value.message_dict
    record = make_floating(member, certificate_number="流动证1", destination_name="深圳某支部")
    member.refresh_from_db()
    assert member.floating_status == "out" and member.management_mode == "tracking"
    with pytest.raises(ValidationError) as exc:
        make_floating(member)
    assert "member" in exc.value.message_dict
    floating.floating_return(record=record)
    member.refresh_from_db()
    record.refresh_from_db()
    assert record.returned_on == today() and member.floating_status == ""
    with pytest.raises(ValidationError):
        floating.floating_return(record=record)


def test_floating_in_recorded_by_compound_branch(tree):
    member = RosterMemberFactory(branch=tree["branch_a"], home_organization_name="外省某单位党委")
    with pytest.raises(ValidationError) as exc:
        make_floating(member, "in", branch=tree["community_a"])
    assert "branch" in exc.value.message_dict
    record = make_floating(member, "in", place="四川省南充市")
    assert record.branch_id == tree["branch_a"].pk and FloatingRecord.objects.count() == 1


def test_floating_not_contacted_reminder(tree, settings):
    settings.FLOATING_CONTACT_DAYS = 30
    member = RosterMemberFactory(branch=tree["branch_a"])
    record = make_floating(member, since=today() - datetime.timedelta(days=40))
    assert [d.subject_id for d in floating_not_contacted(today=today())] == [record.pk]
    floating.floating_contacted(record=record, on=today())
    assert list(floating_not_contacted(today=today())) == []
