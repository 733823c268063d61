"""The service figures equal a hand count of the demo data, in a fixed number of queries; the
demo is idempotent."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.registry import DemoContext
from organizations.demo import seed as org_demo
from organizations.models import Organization
from projects.demo import seed as demo
from projects.models import Activity, Agreement, Funding, MicroWish, Project, ResidentRequest
from projects.selectors import service_stats

TODAY = datetime.date(2026, 11, 29)
PERIOD = {"date_from": TODAY - datetime.timedelta(days=365), "date_to": TODAY}


@pytest.fixture
def demo_district(db):
    ctx = DemoContext(today=TODAY, write=lambda *a: None)
    org_demo.seed(ctx)
    demo.seed(ctx)
    return ctx


def test_district_figures_equal_hand_count(demo_district):
    stats = service_stats(Organization.objects.get(code="NA"), **PERIOD)
    # Hand count of projects/demo/seed.py for the last 365 days:
    assert stats["agreements_in_force"] == 5  # six agreements, 早年义诊 expired 400 days ago
    assert stats["activities_held"] == 5  # six, the spring gala was 400 days ago
    assert stats["projects_launched"] == 3  # 九龙花园步道, 华城扶手, 丽景照明 started
    assert stats["projects_completed"] == 2  # 九龙花园步道, 丽景照明
    assert stats["completed_project_volunteers"] == 9 + 5
    assert stats["funds_by_source"] == {
        "residents": "9000.00",
        "fund": "25000.00",
        "street": "23000.00",
        "partner": "8000.00",
        "party_fee": "2000.00",
    }
    requests = stats["requests"]
    assert requests["received"] == 8  # nine, last year's parking dispute is 500 days old
    assert requests["by_triage"] == {"major": 1, "minor": 5, "private": 1, "untriaged": 1}
    assert requests["disputes"] == 1
    assert (requests["resolved"], requests["resolved_with_due_date"], requests["resolved_on_time"]) == (5, 4, 3)
    assert requests["on_time_rate"] == 0.75
    assert stats["satisfaction"] == {
        "satisfied": 2,
        "basically_satisfied": 1,
        "dissatisfied": 1,
        "rated": 4,
        "satisfaction_rate": 0.75,
    }
    assert stats["wishes_fulfilled"] == 1


def test_subtree_figures(demo_district):
    stats = service_stats(Organization.objects.get(code="NA-NP-GLW"), **PERIOD)
    assert stats["agreements_in_force"] == 2  # 医疗健康进社区 (community), 法律服务进小区 (九龙花园 branch)
    assert stats["projects_completed"] == 1
    assert stats["funds_by_source"]["residents"] == "6000.00"
    assert stats["funds_by_source"]["fund"] == "25000.00"
    assert stats["funds_by_source"]["street"] == "18000.00"
    assert stats["requests"]["received"] == 3
    assert stats["wishes_fulfilled"] == 1
    empty = service_stats(Organization.objects.get(code="NA-HYL-HY-LJ"), date_from=TODAY, date_to=TODAY)
    assert empty["projects_completed"] == 0 and empty["requests"]["on_time_rate"] is None


def test_fixed_number_of_queries(demo_district):
    for code in ("NA", "NA-NP", "NA-NP-GLW-JL"):
        node = Organization.objects.get(code=code)
        with CaptureQueriesContext(connection) as ctx:
            service_stats(node, **PERIOD)
        assert len(ctx) == 6


def test_path_project_of_the_seed(demo_district):
    project = Project.objects.get(title="九龙花园步道改造")
    assert project.status == "completed" and project.volunteers == 9
    assert {f.source: int(f.amount) for f in project.fundings.all()} == {
        "residents": 6000,
        "fund": 25000,
        "street": 18000,
    }
    dispute = ResidentRequest.objects.get(kind="dispute")
    assert dispute.mediation_outcome == "compensation_agreed"
    assert set(ResidentRequest.objects.values_list("status", flat=True)) == {
        "submitted",
        "triaged",
        "dispatched",
        "resolved",
        "rated",
    }


def test_demo_is_idempotent(demo_district):
    models = (Agreement, Activity, Funding, MicroWish, Project, ResidentRequest)
    before = [m.objects.count() for m in models]
    demo.seed(demo_district)
    assert [m.objects.count() for m in models] == before
