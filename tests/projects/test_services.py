"""Transitions and refusals of the services: checked, Chinese-translatable, nothing half-saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from organizations.masks import mask_name
from projects import services
from projects.exceptions import Conflict
from projects.models import Agreement, Funding, MicroWish, Need, Project, RequestStatus
from tests.projects.conftest import TODAY

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 9, 0))
day = datetime.timedelta(days=1)


def test_mask_name():
    assert mask_name("张三丰") == "张**"
    assert mask_name("王五") == "王*"
    assert mask_name("王") == "王"
    assert mask_name("") == ""


def test_project_lifecycle_and_dates(project):
    for status in ("approved", "in_progress", "completed"):
        project = services.project_transition(project=project, to_status=status, on=TODAY + day)
    assert project.status == "completed"
    assert (project.approved_on, project.started_on, project.completed_on) == (TODAY + day,) * 3


@pytest.mark.parametrize(
    "path", [["approved", "in_progress", "completed", "proposed"], ["completed"], ["cancelled", "approved"]]
)
def test_illegal_project_transition_refused(project, path):
    *legal, illegal = path
    for status in legal:
        services.project_transition(project=project, to_status=status, on=TODAY, reason="理由")
    before = Project.objects.get(pk=project.pk)
    with translation.override("zh-hans"), pytest.raises(Conflict) as exc:
        services.project_transition(project=project, to_status=illegal, on=TODAY)
    assert "不能从" in exc.value.messages[0]
    after = Project.objects.get(pk=project.pk)
    assert (after.status, after.approved_on, after.completed_on) == (
        before.status,
        before.approved_on,
        before.completed_on,
    )


def test_cancel_needs_reason(project):
    with pytest.raises(ValidationError) as exc:
        services.project_transition(project=project, to_status="cancelled", on=TODAY)
    assert "reason" in exc.value.error_dict
    assert Project.objects.get(pk=project.pk).status == "proposed"


def test_negative_funding_refused(project):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.funding_add(project=project, source="residents", amount=Decimal("-1"), received_on=TODAY)
    assert "amount" in exc.value.error_dict
    assert "负" in exc.value.error_dict["amount"][0].messages[0]
    assert not Funding.objects.exists()


def test_seed_example_path_project_is_expressible(project):
    for source, amount in (("residents", 6000), ("fund", 25000), ("street", 18000)):
        services.funding_add(project=project, source=source, amount=Decimal(amount), received_on=TODAY)
    project = services.project_update(project=project, volunteers=9)
    assert sum(f.amount for f in project.fundings.all()) == Decimal(49000)
    assert project.volunteers == 9


def test_project_compound_must_be_under_organization(tree, compounds):
    with pytest.raises(ValidationError) as exc:
        services.project_create(
            title="越界", organization=tree["branch_a"], compound=compounds["b"], category="other", proposed_on=TODAY
        )
    assert "compound" in exc.value.error_dict
    assert not Project.objects.exists()


def test_matching_need_and_completion_close_it(project, compounds, tree):
    need = services.need_save(compound=compounds["a"], category="facilities", description="步道", raised_on=TODAY)
    p = services.project_create(
        title="配对", organization=tree["branch_a"], need=need, category="facilities", proposed_on=TODAY
    )
    assert p.compound == compounds["a"]
    assert Need.objects.get(pk=need.pk).status == "matched"
    for status in ("approved", "in_progress", "completed"):
        services.project_transition(project=p, to_status=status, on=TODAY)
    assert Need.objects.get(pk=need.pk).status == "closed"


def test_agreement_only_with_community_or_branch(tree, partner):
    with pytest.raises(ValidationError) as exc:
        services.agreement_save(
            partner=partner, organization=tree["street"], title="x", signed_on=TODAY, expires_on=TODAY
        )
    assert "organization" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.agreement_save(
            partner=partner, organization=tree["branch_a"], title="x", signed_on=TODAY, expires_on=TODAY - day
        )
    assert "expires_on" in exc.value.error_dict
    assert not Agreement.objects.exists()


def test_wish_claim_once_and_fulfil(wish, members):
    wish = services.wish_claim(wish=wish, member=members["a"], now=NOW)
    assert (wish.status, wish.claimed_by) == ("claimed", members["a"])
    with translation.override("zh-hans"), pytest.raises(Conflict) as exc:
        services.wish_claim(wish=wish, member=members["a2"], now=NOW)
    assert "已被认领" in exc.value.messages[0]
    assert MicroWish.objects.get(pk=wish.pk).claimed_by == members["a"]
    wish = services.wish_fulfil(wish=wish, note="已修好", now=NOW)
    assert wish.status == "fulfilled" and wish.fulfilled_at == NOW


def test_wish_claim_refusals(wish, members):
    with pytest.raises(ValidationError) as exc:
        services.wish_claim(wish=wish, member=members["a_retired"], now=NOW)
    assert "member" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.wish_claim(wish=wish, member=members["b"], now=NOW)
    assert "member" in exc.value.error_dict
    with pytest.raises(Conflict):
        services.wish_fulfil(wish=wish, note="x", now=NOW)
    assert MicroWish.objects.get(pk=wish.pk).status == "published"


def test_request_full_flow(resident_request, members):
    r = services.request_triage(request=resident_request, triage="minor")
    r = services.request_dispatch(request=r, member=members["a"], dispatched_on=TODAY, due_on=TODAY + 3 * day)
    assert r.status == RequestStatus.DISPATCHED
    r = services.request_resolve(request=r, resolved_on=TODAY + day, resolution="已修好")
    r = services.request_rate(request=r, rating="satisfied", rated_on=TODAY + 2 * day)
    assert (r.status, r.rating) == ("rated", "satisfied")
    with pytest.raises(Conflict):
        services.request_rate(request=r, rating="dissatisfied", rated_on=TODAY + 2 * day)


def test_dispatch_outside_compound_subtree_refused(resident_request, members, tree):
    services.request_triage(request=resident_request, triage="minor")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.request_dispatch(request=resident_request, member=members["b"], dispatched_on=TODAY, due_on=TODAY)
    assert "member" in exc.value.error_dict
    assert "不在" in exc.value.error_dict["member"][0].messages[0]
    with pytest.raises(ValidationError) as exc:
        services.request_dispatch(
            request=resident_request, organization=tree["branch_b"], dispatched_on=TODAY, due_on=TODAY
        )
    assert "organization" in exc.value.error_dict
    r = type(resident_request).objects.get(pk=resident_request.pk)
    assert (r.status, r.assigned_member_id, r.assigned_organization_id) == ("triaged", None, None)


def test_rating_before_resolution_refused(resident_request):
    with translation.override("zh-hans"), pytest.raises(Conflict) as exc:
        services.request_rate(request=resident_request, rating="satisfied", rated_on=TODAY)
    assert "办结后才能评价" in exc.value.messages[0]
    assert type(resident_request).objects.get(pk=resident_request.pk).rating == ""


def test_triage_rules(resident_request, compounds):
    with pytest.raises(Conflict):
        services.request_resolve(request=resident_request, resolved_on=TODAY, resolution="x")
    services.request_triage(request=resident_request, triage="major")
    with pytest.raises(ValidationError) as exc:
        services.request_dispatch(request=resident_request, dispatched_on=TODAY, due_on=TODAY)
    assert "department" in exc.value.error_dict
    private = services.request_submit(
        compound=compounds["a"], category="other", description="晾衣滴水", resident_name="褚红", received_on=TODAY
    )
    services.request_triage(request=private, triage="private")
    with pytest.raises(ValidationError):
        services.request_dispatch(
            request=private, organization=compounds["a"].branch, dispatched_on=TODAY, due_on=TODAY
        )
    private = services.request_resolve(request=private, resolved_on=TODAY, resolution="居民自行协商解决")
    assert private.status == "resolved"


def test_dispute_needs_level_and_outcome(compounds, tree):
    with pytest.raises(ValidationError) as exc:
        services.request_submit(
            compound=compounds["a"],
            kind="dispute",
            category="other",
            description="漏水",
            resident_name="卫东",
            received_on=TODAY,
        )
    assert "dispute_level" in exc.value.error_dict
    d = services.request_submit(
        compound=compounds["a"],
        kind="dispute",
        dispute_level="general",
        category="other",
        description="漏水",
        resident_name="卫东",
        received_on=TODAY,
    )
    services.request_triage(request=d, triage="minor")
    services.request_dispatch(request=d, organization=tree["branch_a"], dispatched_on=TODAY, due_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.request_resolve(request=d, resolved_on=TODAY, resolution="调解")
    assert "mediation_outcome" in exc.value.error_dict
    d = services.request_resolve(
        request=d, resolved_on=TODAY, resolution="调解", mediation_outcome="compensation_agreed"
    )
    assert d.get_mediation_outcome_display()


def test_party_fee_funding_draws_on_the_branch_fund(tree, project):
    """党费返还 for a project is spent from the branch's fund: refused beyond the balance, with
    nothing saved, and the balance goes down by the amount when it is allowed."""
    from members.dues import funds
    from members.models import FundSpending

    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.funding_add(project=project, source="party_fee", amount=Decimal("500"), received_on=TODAY)
    assert "amount" in exc.value.message_dict
    assert not Funding.objects.exists() and not FundSpending.objects.exists()
    funds.allocation_create(
        branch=tree["branch_a"],
        allocated_by_org=tree["district"],
        kind="returned_dues",
        amount=Decimal("800"),
        allocated_on=TODAY,
    )
    services.funding_add(project=project, source="party_fee", amount=Decimal("500"), received_on=TODAY)
    assert funds.fund_balance(tree["branch_a"]) == Decimal("300.00")
    spending = FundSpending.objects.get()
    assert spending.amount == Decimal("500.00") and "步道改造" in spending.purpose
