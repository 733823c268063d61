"""Compound and building rules."""

import pytest
from django.core.exceptions import ValidationError

from organizations import services
from organizations.models import Compound, Formation, OrganizationKind
from tests.factories import make_org


def test_branch_outside_community_refused(tree):
    with pytest.raises(ValidationError) as exc:
        services.compound_save(name="越界小区", community=tree["community_a"], branch=tree["branch_b"])
    assert "branch" in exc.value.error_dict
    assert not Compound.objects.filter(name="越界小区").exists()


def test_only_joint_branch_covers_several(tree):
    services.compound_save(name="一期", community=tree["community_a"], branch=tree["branch_a"])
    with pytest.raises(ValidationError):
        services.compound_save(name="二期", community=tree["community_a"], branch=tree["branch_a"])
    joint = make_org(OrganizationKind.BRANCH, tree["community_a"], formation=Formation.JOINT)
    services.compound_save(name="三期", community=tree["community_a"], branch=joint)
    services.compound_save(name="四期", community=tree["community_a"], branch=joint)
    assert Compound.objects.filter(branch=joint).count() == 2


def test_building_group_must_belong_to_compound_branch(tree):
    compound = services.compound_save(name="花园", community=tree["community_a"], branch=tree["branch_a"])
    services.building_save(compound=compound, name="1栋", group=tree["group_a"])
    other_group = make_org(OrganizationKind.GROUP, tree["branch_b"])
    with pytest.raises(ValidationError) as exc:
        services.building_save(compound=compound, name="2栋", group=other_group)
    assert "group" in exc.value.error_dict


def test_community_must_be_community(tree):
    with pytest.raises(ValidationError):
        services.compound_save(name="错", community=tree["street"])
