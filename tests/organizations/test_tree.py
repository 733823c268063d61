"""Kind rules, moves, dissolution and the tree checker."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from organizations import services
from organizations.models import Organization, OrganizationKind
from tests.factories import make_org


def test_kind_order_enforced_on_create(tree):
    with pytest.raises(ValidationError) as exc:
        make_org(OrganizationKind.BRANCH, tree["street"], name="错位支部")
    message = " ".join(exc.value.messages)
    assert "错位支部" in message and tree["street"].name in message
    assert not Organization.objects.filter(name="错位支部").exists()


def test_district_must_be_root(tree):
    with pytest.raises(ValidationError):
        make_org(OrganizationKind.DISTRICT, tree["district"])
    with pytest.raises(ValidationError):
        make_org(OrganizationKind.STREET, None)


def test_move_branch_between_communities(tree):
    moved = services.organization_move(organization=tree["branch_a"], target=tree["community_b"])
    assert moved.parent_id == tree["community_b"].pk
    group = Organization.objects.get(pk=tree["group_a"].pk)
    assert group.is_descendant_of(Organization.objects.get(pk=tree["community_b"].pk))
    assert services.tree_problems() == []


def test_move_refused_on_wrong_kind_names_both_nodes(tree):
    before = list(Organization.objects.values_list("id", "parent_id", "lft", "rght", "tree_id"))
    with pytest.raises(ValidationError) as exc:
        services.organization_move(organization=tree["branch_a"], target=tree["street"])
    text = " ".join(exc.value.messages)
    assert tree["branch_a"].name in text and tree["street"].name in text
    assert list(Organization.objects.values_list("id", "parent_id", "lft", "rght", "tree_id")) == before


def test_move_into_own_subtree_refused(tree):
    with pytest.raises(ValidationError) as exc:
        services.organization_move(organization=tree["community_a"], target=tree["group_a"])
    assert tree["community_a"].name in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        services.organization_move(organization=tree["street"], target=tree["street"])


def test_sibling_move_keeps_kind_rules(tree):
    moved = services.organization_move(organization=tree["branch_b"], target=tree["branch_a"], position="left")
    assert moved.parent_id == tree["community_a"].pk
    with pytest.raises(ValidationError):
        services.organization_move(organization=tree["branch_b"], target=tree["community_a"], position="right")


def test_dissolve_refused_with_active_children_then_allowed(tree):
    import datetime

    day = datetime.date(2026, 1, 5)
    with pytest.raises(ValidationError):
        services.organization_dissolve(organization=tree["branch_a"], dissolved_on=day)
    services.organization_dissolve(organization=tree["group_a"], dissolved_on=day)
    node = services.organization_dissolve(organization=tree["branch_a"], dissolved_on=day)
    assert node.dissolved_on == day
    with pytest.raises(ValidationError):
        make_org(OrganizationKind.GROUP, node)


def test_check_org_tree_detects_and_fixes_corruption(tree):
    call_command("check_org_tree")
    # Corrupt the nested set behind django-mptt's back.
    Organization.objects.filter(pk=tree["branch_a"].pk).update(lft=999, rght=1000)
    assert services.tree_problems()
    with pytest.raises(CommandError):
        call_command("check_org_tree")
    call_command("check_org_tree", "--fix")
    assert services.tree_problems() == []
    call_command("check_org_tree")


def test_rebuild_from_placeholder_values(tree):
    Organization.objects.update(lft=0, rght=0, level=0)
    assert services.organization_tree_rebuild() > 0
    assert services.tree_problems() == []
    district = Organization.objects.get(pk=tree["district"].pk)
    assert district.get_descendant_count() == 6
