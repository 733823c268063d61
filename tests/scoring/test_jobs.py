"""Commands, eager tasks, default schedules and the admin pages."""

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from members.tasks import award_points_task
from organizations.models import BranchScore, Reminder
from organizations.tasks import run_reminders_task, score_branches_task, score_previous_period_task
from tests.scoring.conftest import Q3


def test_commands(world, capsys):
    call_command("run_scoring", "--period", Q3)
    call_command("run_scoring", "--period", Q3, "--org", str(world["community_a"].pk))
    assert BranchScore.objects.filter(period=Q3).count() == 2
    with pytest.raises(CommandError):
        call_command("run_scoring", "--period", "2026-13")
    with pytest.raises(CommandError):
        call_command("run_scoring", "--period", Q3, "--org", "999999")
    call_command("run_reminders", "--today", "2026-09-24", "--no-send")
    call_command("award_points")
    out = capsys.readouterr().out
    assert "已评分 2 个支部" in out and "积分：新增记录 4 条" in out


def test_tasks_eager(world):
    assert score_branches_task.delay(Q3).get() == {"period": Q3, "branches": 2, "removed": 0}
    assert score_previous_period_task.delay("quarter", "2026-10-05").get()["period"] == Q3
    assert run_reminders_task.delay("2026-09-24").get()["opened"] == Reminder.objects.count()
    assert award_points_task.delay().get() == {
        "attendance": 4,
        "micro_wish": 0,
        "request_resolved": 0,
        "service_hours": 0,
    }


def test_default_schedules_idempotent(db):
    call_command("install_default_schedules")
    n = PeriodicTask.objects.count()
    call_command("install_default_schedules")
    assert PeriodicTask.objects.count() == n >= 5
    assert set(PeriodicTask.objects.values_list("task", flat=True)) >= {
        "organizations.run_reminders",
        "organizations.score_previous_period",
        "organizations.check_org_tree",
        "members.award_points",
    }


@pytest.mark.parametrize("model", ["scoringrubric", "scoringitem", "branchscore", "manualscore", "reminder"])
def test_admin_pages(world, admin_client, model):
    call_command("run_scoring", "--period", Q3)
    call_command("run_reminders", "--today", "2026-09-24", "--no-send")
    assert admin_client.get(f"/admin/organizations/{model}/").status_code == 200
    obj = {"branchscore": BranchScore, "reminder": Reminder}.get(model)
    if obj is not None:
        page = admin_client.get(f"/admin/organizations/{model}/{obj.objects.first().pk}/change/")
        assert page.status_code == 200
        if model == "branchscore":
            assert "三会一课 6/8" in page.content.decode()


def test_points_admin_manual_adjustment(world, admin_client, admin_user):
    from members.models import PointsEntry

    assert admin_client.get("/admin/members/pointsentry/").status_code == 200
    m = world["members"][0]
    bad = admin_client.post(
        "/admin/members/pointsentry/add/", {"member": m.pk, "points": 5, "reason": "", "occurred_on": "2026-09-01"}
    )
    assert bad.status_code == 200 and not PointsEntry.objects.exists()
    ok = admin_client.post(
        "/admin/members/pointsentry/add/", {"member": m.pk, "points": 5, "reason": "表彰", "occurred_on": "2026-09-01"}
    )
    assert ok.status_code == 302
    entry = PointsEntry.objects.get()
    assert entry.created_by == admin_user and entry.kind == "manual"
    assert admin_client.get(f"/admin/members/pointsentry/{entry.pk}/change/").status_code == 200
