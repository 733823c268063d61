"""Write paths that bypass the per-row signals (single-row ``update()``, bulk updates) still
leave an audit entry; the audit viewer filters by who / object / action and exports to Excel."""

import datetime
import io
import types

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from core.audit import audit_bulk
from core.models import AuditEntry
from members import services as member_services
from members.meetings import meeting_record
from members.models import Meeting, Member, Position
from organizations import services as org_services
from organizations.models import Role
from projects import services as project_services
from tests.factories import MemberFactory, make_user

TODAY = datetime.date(2026, 6, 15)


def test_transfer_ends_positions_with_one_summary_entry(tree):
    member = MemberFactory(branch=tree["branch_a"], name="审计甲", occupation_status="in_service")
    position = member_services.position_create(
        member=member, organization=tree["branch_a"], kind="organization", started_on=datetime.date(2024, 1, 1)
    )
    member_services.member_transfer(member=member, branch=tree["branch_b"], today=TODAY)
    position.refresh_from_db()
    assert position.ended_on == TODAY
    entry = AuditEntry.objects.get(model="members.position", object_id="*")
    assert entry.action == "update" and entry.changes["count"] == 1
    assert entry.changes["ids"] == [str(position.pk)] and entry.changes["values"] == {"ended_on": TODAY.isoformat()}


def test_claiming_a_micro_wish_and_matching_a_need_are_audited(tree):
    compound = org_services.compound_save(name="审计小区", community=tree["community_a"], branch=tree["branch_a"])
    wish = project_services.wish_publish(
        community=tree["community_a"], compound=compound, resident_name="居民", content="修灯", published_on=TODAY
    )
    member = MemberFactory(branch=tree["branch_a"], name="审计甲", occupation_status="in_service")
    project_services.wish_claim(wish=wish, member=member, now=timezone.now())
    entry = AuditEntry.objects.filter(model="projects.microwish", object_id=str(wish.pk), action="update").get()
    assert entry.changes["status"] == ["published", "claimed"] and entry.changes["claimed_by"] == [None, member.pk]

    need = project_services.need_save(compound=compound, category="facilities", description="步道", raised_on=TODAY)
    project_services.project_create(
        title="步道",
        organization=tree["branch_a"],
        compound=compound,
        category="facilities",
        proposed_on=TODAY,
        need=need,
    )
    entry = AuditEntry.objects.filter(model="projects.need", object_id=str(need.pk), action="update").get()
    assert entry.changes["status"] == ["open", "matched"]


def test_archiving_a_meeting_in_the_admin_is_audited(tree):
    member = MemberFactory(branch=tree["branch_a"], name="审计甲", occupation_status="in_service")
    meeting = meeting_record(
        organization=tree["branch_a"],
        kind="theme_day",
        held_at=timezone.now(),
        topic="主题党日",
        attendance=[{"member": member.pk, "status": "present"}],
    )
    staff = make_user("archiver", tree["district"], Role.DISTRICT_ADMIN)
    request = RequestFactory().post("/admin/members/meeting/")
    request.user = staff
    meeting.archived = True
    admin.site._registry[Meeting].save_model(
        request, meeting, types.SimpleNamespace(changed_data=["archived"], cleaned_data={}), True
    )
    assert Meeting.objects.get(pk=meeting.pk).archived
    entry = AuditEntry.objects.filter(model="members.meeting", object_id=str(meeting.pk), action="archive").get()
    assert entry.changes == {"archived": [False, True]}


def test_bulk_summary_keeps_ids_or_filter_and_hides_personal_data(tree):
    audit_bulk(model=Member, action="update", count=3, filter={"branch_id": 7, "phone_hash": "secret"}, note="demo")
    entry = AuditEntry.objects.get(model="members.member", object_id="*")
    assert entry.changes == {"count": 3, "filter": {"branch_id": 7, "phone_hash": "<changed>"}, "note": "demo"}
    audit_bulk(model=Position, action="create", count=1500, ids=range(1500))
    entry = AuditEntry.objects.get(model="members.position", object_id="*")
    assert len(entry.changes["ids"]) == 1000 and entry.changes["ids_truncated"]


@pytest.fixture
def auditor(tree):
    return make_user("auditor_v", tree["district"], Role.AUDIT_ADMIN)


def test_audit_viewer_filters_and_exports(tree, auditor):
    editor = make_user("editor_v", tree["community_a"], Role.COMMUNITY_STAFF)
    client = Client()
    client.force_login(editor)
    compound = org_services.compound_save(name="查看小区", community=tree["community_a"])
    org_services.compound_save(compound=compound, name="查看小区二")
    client.force_login(auditor)
    rows = (
        client.get("/admin/core/auditentry/?model=organizations.compound&action__exact=update")
        .context["cl"]
        .result_list
    )
    assert [e.object_id for e in rows] == [str(compound.pk)]
    page = client.get("/admin/core/auditentry/?model=organizations.compound").content.decode()
    assert "查看小区 → 查看小区二" in page  # old → new in the list
    assert (
        client.get(f"/admin/core/auditentry/?object_id={compound.pk}&model=organizations.compound").status_code == 200
    )
    ids = [e.pk for e in AuditEntry.objects.filter(model="organizations.compound")]
    response = client.post("/admin/core/auditentry/", {"action": "export_xlsx", "_selected_action": ids})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "时间" and values[0][6] == "变更内容"
    assert len(values) == 1 + len(ids)
    assert any("查看小区 → 查看小区二" in (row[6] or "") for row in values[1:])


def test_schedule_changes_are_audited_but_not_the_schedulers_bookkeeping(db):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    task = PeriodicTask.objects.create(name="审计测试", task="core.health.probe", interval=every)
    assert AuditEntry.objects.filter(
        model="django_celery_beat.periodictask", object_id=str(task.pk), action="create"
    ).exists()
    task.last_run_at, task.total_run_count = timezone.now(), 1
    task.save()
    assert not AuditEntry.objects.filter(model="django_celery_beat.periodictask", action="update").exists()
    task.enabled = False
    task.save()
    entry = AuditEntry.objects.get(model="django_celery_beat.periodictask", action="update")
    assert entry.changes == {"enabled": [True, False]}
