"""The API: scope (404 outside, counts), strict input (400), conflicts (409), actions, and
constant query counts for 1 and 50 rows on every list endpoint."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import services
from projects.models import MicroWish, Project, ResidentRequest
from tests.factories import make_user
from tests.projects.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_list_and_detail_scoped(api_client_for, staff_a, compounds, resident_request):
    other = services.request_submit(
        compound=compounds["b"], category="other", description="B的诉求", resident_name="赵六", received_on=TODAY
    )
    client = api_client_for(staff_a)
    data = client.get("/api/v1/requests/").json()
    assert data["count"] == 1 and [r["id"] for r in data["results"]] == [resident_request.pk]
    assert data["results"][0]["resident"] == "吴*"
    assert "resident_name" not in data["results"][0]
    assert client.get(f"/api/v1/requests/{other.pk}/").status_code == 404
    assert client.post(f"/api/v1/requests/{other.pk}/triage/", {"triage": "minor"}, format="json").status_code == 404
    assert client.get("/api/v1/requests/", {"org": other.compound.community_id}).json()["count"] == 0


def test_partner_scope_through_registration_or_agreement(api_client_for, staff_a, staff_b, tree):
    partner = services.partner_save(name="燃气公司", kind="state_enterprise", registered_by=tree["community_b"])
    services.partner_save(name="B自己的", kind="organ", registered_by=tree["community_b"])
    for title in ("一", "二"):
        services.agreement_save(
            partner=partner, organization=tree["branch_a"], title=title, signed_on=TODAY, expires_on=TODAY
        )
    services.resource_save(partner=partner, category="safety", description="入户安检")
    a = api_client_for(staff_a)
    data = a.get("/api/v1/partner-units/").json()
    assert data["count"] == 1 and data["results"][0]["id"] == partner.pk  # once, despite two agreements
    assert a.get("/api/v1/partner-units/", {"org": tree["branch_a"].pk}).json()["count"] == 1
    assert a.get("/api/v1/resources/").json()["count"] == 1
    assert api_client_for(staff_b).get("/api/v1/partner-units/").json()["count"] == 2
    assert api_client_for(staff_b).get("/api/v1/agreements/").json()["count"] == 0


def test_request_flow_over_api(api_client_for, staff_a, compounds, members):
    client = api_client_for(staff_a)
    response = client.post(
        "/api/v1/requests/",
        {
            "compound": compounds["a"].pk,
            "category": "facilities",
            "description": "路灯不亮",
            "resident_name": "冯晓东",
            "received_on": "2026-06-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["resident"] == "冯**"
    assert (
        client.post(
            f"/api/v1/requests/{pk}/rate/", {"rating": "satisfied", "rated_on": "2026-06-02"}, format="json"
        ).status_code
        == 409
    )
    assert client.post(f"/api/v1/requests/{pk}/triage/", {"triage": "minor"}, format="json").status_code == 200
    bad = client.post(
        f"/api/v1/requests/{pk}/dispatch/",
        {"member": members["b"].pk, "dispatched_on": "2026-06-01", "due_on": "2026-06-05"},
        format="json",
    )
    assert bad.status_code == 400  # outside the scope: not even a valid choice
    ok = client.post(
        f"/api/v1/requests/{pk}/dispatch/",
        {"member": members["a"].pk, "dispatched_on": "2026-06-01", "due_on": "2026-06-05"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["assigned_member"]["name"] == "张三"
    resolved = client.post(
        f"/api/v1/requests/{pk}/resolve/", {"resolved_on": "2026-06-04", "resolution": "已修"}, format="json"
    )
    assert resolved.json()["on_time"] is True
    rated = client.post(
        f"/api/v1/requests/{pk}/rate/", {"rating": "basically_satisfied", "rated_on": "2026-06-05"}, format="json"
    )
    assert rated.status_code == 200 and rated.json()["status"] == "rated"


def test_dispatch_outside_subtree_by_district_admin_is_400(api_client_for, district_admin, resident_request, members):
    services.request_triage(request=resident_request, triage="minor")
    client = api_client_for(district_admin)
    response = client.post(
        f"/api/v1/requests/{resident_request.pk}/dispatch/",
        {"member": members["b"].pk, "dispatched_on": "2026-06-15", "due_on": "2026-06-20"},
        format="json",
    )
    assert response.status_code == 400
    assert "member" in response.json()["errors"]
    assert ResidentRequest.objects.get(pk=resident_request.pk).status == "triaged"


def test_bad_input_is_400(api_client_for, staff_a, compounds, project):
    client = api_client_for(staff_a)
    assert (
        client.post("/api/v1/requests/", {"compound": compounds["a"].pk, "nonsense": 1}, format="json").status_code
        == 400
    )
    assert (
        client.post(
            "/api/v1/requests/",
            {
                "compound": compounds["a"].pk,
                "kind": "dispute",
                "category": "other",
                "description": "x",
                "resident_name": "甲",
                "received_on": "2026-06-01",
            },
            format="json",
        ).status_code
        == 400
    )
    r = client.post(
        f"/api/v1/projects/{project.pk}/funding/",
        {"source": "fund", "amount": "-5", "received_on": "2026-06-01"},
        format="json",
    )
    assert r.status_code == 400 and "amount" in r.json()["errors"]
    assert not project.fundings.exists()
    assert (
        client.post(
            f"/api/v1/projects/{project.pk}/transition/", {"to_status": "nope", "on": "2026-06-01"}, format="json"
        ).status_code
        == 400
    )
    assert client.get("/api/v1/stats/service/", {"from": "2026-13-01"}).status_code == 400


def test_project_transitions_over_api(api_client_for, staff_a, project):
    client = api_client_for(staff_a)
    url = f"/api/v1/projects/{project.pk}/transition/"
    assert client.post(url, {"to_status": "completed", "on": "2026-06-01"}, format="json").status_code == 409
    for status in ("approved", "in_progress", "completed"):
        assert client.post(url, {"to_status": status, "on": "2026-06-01"}, format="json").status_code == 200
    response = client.post(url, {"to_status": "proposed", "on": "2026-06-02"}, format="json")
    assert response.status_code == 409
    assert "不能从" in response.json()["detail"]
    assert Project.objects.get(pk=project.pk).status == "completed"
    funded = client.post(
        f"/api/v1/projects/{project.pk}/funding/",
        {"source": "residents", "amount": "6000", "received_on": "2026-06-01"},
        format="json",
    )
    assert funded.json()["funding_total"] == "6000.00"
    # the status is read-only: only the transition action changes it
    assert client.patch(f"/api/v1/projects/{project.pk}/", {"status": "proposed"}, format="json").status_code == 400
    assert client.patch(f"/api/v1/projects/{project.pk}/", {"volunteers": 9}, format="json").json()["volunteers"] == 9


def test_claim_twice_is_409(api_client_for, staff_a, wish, members):
    client = api_client_for(staff_a)
    first = client.post(f"/api/v1/micro-wishes/{wish.pk}/claim/", {"member": members["a"].pk}, format="json")
    assert first.status_code == 200 and first.json()["claimed_by"]["id"] == members["a"].pk
    second = client.post(f"/api/v1/micro-wishes/{wish.pk}/claim/", {"member": members["a2"].pk}, format="json")
    assert second.status_code == 409 and "已被认领" in second.json()["detail"]
    done = client.post(f"/api/v1/micro-wishes/{wish.pk}/fulfil/", {"note": "修好了"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "fulfilled"
    assert done.json()["resident"] == "张**"
    assert MicroWish.objects.get(pk=wish.pk).claimed_by_id == members["a"].pk


def test_stats_endpoint_scope(api_client_for, staff_a, tree):
    client = api_client_for(staff_a)
    assert client.get("/api/v1/stats/service/", {"org": tree["community_b"].pk}).status_code == 404
    own = client.get("/api/v1/stats/service/", {"from": "2026-01-01", "to": "2026-12-31"})
    assert own.status_code == 200 and own.json()["organization"]["id"] == tree["community_a"].pk


def _rows(kind, n, tree, compounds, partner, members, start=0):
    a = compounds["a"]
    for i in range(start, start + n):
        if kind == "partner-units":
            services.partner_save(name=f"单位{i}", kind="organ", registered_by=tree["community_a"])
        elif kind == "agreements":
            services.agreement_save(
                partner=partner, organization=tree["branch_a"], title=f"协议{i}", signed_on=TODAY, expires_on=TODAY
            )
        elif kind == "resources":
            services.resource_save(partner=partner, category="health", description=f"资源{i}")
        elif kind == "needs":
            services.need_save(compound=a, category="health", description=f"需求{i}", raised_on=TODAY)
        elif kind == "projects":
            p = services.project_create(
                title=f"项目{i}",
                organization=tree["branch_a"],
                compound=a,
                category="other",
                proposed_on=TODAY,
                partners=[partner],
            )
            services.funding_add(project=p, source="fund", amount=Decimal(10), received_on=TODAY)
            services.progress_add(project=p, date=TODAY, text="进展")
        elif kind == "activities":
            services.activity_save(
                title=f"活动{i}", kind="clinic", organizer=tree["branch_a"], held_on=TODAY, partners=[partner]
            )
        elif kind == "micro-wishes":
            w = services.wish_publish(
                community=tree["community_a"], compound=a, resident_name="张三", content=f"心愿{i}", published_on=TODAY
            )
            services.wish_claim(wish=w, member=members["a"], now=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
        elif kind == "requests":
            r = services.request_submit(
                compound=a, category="other", description=f"诉求{i}", resident_name="李四", received_on=TODAY
            )
            services.request_triage(request=r, triage="minor")
            services.request_dispatch(
                request=r, member=members["a"], organization=tree["branch_a"], dispatched_on=TODAY, due_on=TODAY
            )


ENDPOINTS = ["partner-units", "agreements", "resources", "needs", "projects", "activities", "micro-wishes", "requests"]


@pytest.mark.parametrize("kind", ENDPOINTS)
def test_list_query_count_is_constant(kind, api_client_for, staff_a, tree, compounds, partner, members):
    client = api_client_for(staff_a)
    counts = []
    for start, n in ((0, 1), (1, 49)):
        _rows(kind, n, tree, compounds, partner, members, start)
        client.get(f"/api/v1/{kind}/")  # warm the per-user caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/{kind}/")
        assert response.status_code == 200
        counts.append(len(ctx))
    expected_total = 50 + (1 if kind == "partner-units" else 0)
    assert response.json()["count"] == expected_total
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8


def test_create_through_api(api_client_for, staff_a, tree, compounds, partner):
    client = api_client_for(staff_a)
    payloads = {
        "partner-units": {"name": "社区卫生服务中心", "kind": "institution", "registered_by": tree["community_a"].pk},
        "agreements": {
            "partner": partner.pk,
            "organization": tree["branch_a"].pk,
            "title": "共建协议",
            "signed_on": "2026-01-01",
            "expires_on": "2027-12-31",
        },
        "resources": {"partner": partner.pk, "category": "health", "description": "义诊"},
        "needs": {
            "compound": compounds["a"].pk,
            "category": "health",
            "description": "体检",
            "raised_on": "2026-05-01",
        },
        "projects": {
            "title": "义诊进小区",
            "organization": tree["branch_a"].pk,
            "compound": compounds["a"].pk,
            "category": "health",
            "proposed_on": "2026-05-02",
            "partners": [partner.pk],
            "budget": "3000",
        },
        "activities": {
            "title": "义诊",
            "kind": "clinic",
            "held_on": "2026-05-03",
            "organizer": tree["branch_a"].pk,
            "partners": [partner.pk],
            "member_participants": 5,
            "resident_participants": 40,
        },
        "micro-wishes": {
            "community": tree["community_a"].pk,
            "compound": compounds["a"].pk,
            "resident_name": "王强",
            "content": "课外书",
            "published_on": "2026-05-04",
        },
    }
    for endpoint, payload in payloads.items():
        response = client.post(f"/api/v1/{endpoint}/", payload, format="json")
        assert response.status_code == 201, (endpoint, response.json())
    need = client.get("/api/v1/needs/").json()["results"][0]
    assert (need["category"], need["available_resources"]) == ("health", 1)  # the 义诊 resource just added
    bad = client.post(
        "/api/v1/agreements/", {**payloads["agreements"], "organization": tree["street"].pk}, format="json"
    )
    assert bad.status_code == 400  # the street is outside a community clerk's scope
    outside = client.post("/api/v1/projects/", {**payloads["projects"], "compound": compounds["b"].pk}, format="json")
    assert outside.status_code == 400


def test_expiring_agreements(api_client_for, staff_a, tree, partner):
    for title, expires in (("快到期", "2026-07-01"), ("还早", "2027-07-01"), ("已过期", "2026-06-01")):
        services.agreement_save(
            partner=partner,
            organization=tree["branch_a"],
            title=title,
            signed_on=datetime.date(2025, 1, 1),
            expires_on=datetime.date.fromisoformat(expires),
        )
    data = api_client_for(staff_a).get("/api/v1/agreements/expiring/", {"today": "2026-06-15", "days": 60}).json()
    assert [a["title"] for a in data["results"]] == ["快到期"]


def test_branch_secretary_sees_what_serves_its_compound(api_client_for, tree, compounds, members):
    secretary = make_user("secretary_a", tree["branch_a"], "branch_secretary")
    community_project = services.project_create(
        title="社区牵头", organization=tree["community_a"], compound=compounds["a"], category="other", proposed_on=TODAY
    )
    services.project_create(title="社区自身", organization=tree["community_a"], category="other", proposed_on=TODAY)
    services.activity_save(
        title="社区办在A小区", kind="clinic", organizer=tree["community_a"], compound=compounds["a"], held_on=TODAY
    )
    services.wish_publish(
        community=tree["community_a"], compound=compounds["a"], resident_name="张三", content="心愿", published_on=TODAY
    )
    services.request_submit(
        compound=compounds["b"], category="other", description="B", resident_name="甲", received_on=TODAY
    )
    client = api_client_for(secretary)
    assert [p["id"] for p in client.get("/api/v1/projects/").json()["results"]] == [community_project.pk]
    assert client.get("/api/v1/activities/").json()["count"] == 1
    assert client.get("/api/v1/micro-wishes/").json()["count"] == 1
    assert client.get("/api/v1/requests/").json()["count"] == 0
    stats = client.get("/api/v1/stats/service/", {"from": "2026-01-01", "to": "2026-12-31"}).json()
    assert stats["organization"]["id"] == tree["branch_a"].pk and stats["requests"]["received"] == 0
