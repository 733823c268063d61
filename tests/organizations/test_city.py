"""A city committee above several districts: kind rules, the tree checker, the scale generator."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError

from core.registry import ScaleContext
from organizations import services
from organizations.demo import scale as org_scale
from organizations.models import Organization, OrganizationKind
from tests.factories import make_org


def test_city_holds_districts_and_only_districts(db):
    city = make_org(OrganizationKind.CITY, None, name="测试市委")
    district = make_org(OrganizationKind.DISTRICT, city, name="测试区委")
    make_org(OrganizationKind.STREET, district, name="测试街道党工委")
    assert services.tree_problems() == []
    with pytest.raises(ValidationError):
        make_org(OrganizationKind.STREET, city, name="错位街道")
    with pytest.raises(ValidationError):
        make_org(OrganizationKind.CITY, district, name="错位市委")
    make_org(OrganizationKind.DISTRICT, None, name="独立区委")  # a district may still be a root
    assert services.tree_problems() == []


def test_scale_generator_builds_a_city_of_districts(db):
    sizes = {k: max(1, v // 100) for k, v in org_scale.generate.DEFAULTS.items()}
    sizes.update(districts=3, streets=6)
    ctx = ScaleContext(
        sizes=sizes, prefix="CT", rng=random.Random(5), today=datetime.date(2026, 11, 29), write=lambda *a: None
    )
    org_scale.generate(ctx)
    city = ctx.data["district"]
    assert city.kind == OrganizationKind.CITY and city.parent_id is None
    districts = Organization.objects.filter(parent=city)
    assert sorted(districts.values_list("code", flat=True)) == ["CT1", "CT2", "CT3"]
    assert set(districts.values_list("kind", flat=True)) == {OrganizationKind.DISTRICT}
    assert sorted(ctx.data["district_ids"]) == sorted(districts.values_list("pk", flat=True))
    streets = Organization.objects.filter(kind=OrganizationKind.STREET, parent__in=districts)
    assert streets.count() == 6 and len(set(streets.values_list("parent_id", flat=True))) == 3
    assert Organization.objects.filter(tree_id=city.tree_id, kind=OrganizationKind.BRANCH).count() == len(
        ctx.data["branch_ids"]
    )
    assert services.tree_problems() == []
