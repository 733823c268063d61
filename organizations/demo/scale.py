"""Scale generator of the organizations app: the tree, compounds, buildings and venues.

The tree is bulk-inserted level by level with placeholder nested-set values under
``disable_mptt_updates`` and then rebuilt once, set-based (``organization_tree_rebuild``).
Several districts (``--districts``, or ``--scale`` above 1) hang under a city committee root.
Leaves for later generators: ``ctx.data["branch_ids"]``, ``group_ids_by_branch``,
``compound_ids_by_branch``, ``community_ids``, ``street_ids``, ``district`` (the root: the district, or the city) and ``district_ids``.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max

from core.locks import LockKey, advisory_xact_lock
from core.registry import ScaleContext
from organizations.models import (
    Building,
    Compound,
    CompoundKind,
    Formation,
    Organization,
    OrganizationKind,
    Venue,
    VenueProvision,
)
from organizations.services import organization_tree_rebuild

SURNAMES = "金银丽景华阳光明新城东湖西山南苑北岸龙泉凤凰桃李花园翠竹锦绣和平幸福康乐"
SUFFIXES = ("花园", "小区", "雅苑", "新村", "家园", "公寓", "名都", "嘉园")


def _spread(total: int, buckets: int) -> list[int]:
    """Split ``total`` into ``buckets`` near-equal whole parts."""
    base, extra = divmod(total, buckets)
    return [base + (1 if i < extra else 0) for i in range(buckets)]


def _bulk(objs):
    return Organization.objects.bulk_create(objs, batch_size=2000)


def _established_on(rng, today):
    """Most branches were set up in the 2017–2024 campaign; about 3% this year (they are assessed
    only for the periods since)."""
    if rng.random() < 0.03 and today.timetuple().tm_yday > 1:
        return today - datetime.timedelta(days=rng.randint(1, today.timetuple().tm_yday - 1))
    return datetime.date(rng.randint(2017, 2024), rng.randint(1, 12), rng.randint(1, 28))


def _districts(p: str, count: int, blank: dict) -> tuple[Organization, list[Organization]]:
    """The root and the districts under it: one district as the root, or a city (code ``p``) of
    ``count`` districts (codes ``p1``, ``p2``...) in the same tree."""
    if count <= 1:
        district = _bulk([Organization(name="规模测试区委", code=p, kind=OrganizationKind.DISTRICT, **blank)])[0]
        return district, [district]
    city = _bulk([Organization(name="规模测试市委", code=p, kind=OrganizationKind.CITY, **blank)])[0]
    districts = _bulk(
        [
            Organization(
                name=f"规模测试第{i + 1}区委", code=f"{p}{i + 1}", kind=OrganizationKind.DISTRICT, parent=city, **blank
            )
            for i in range(count)
        ]
    )
    return city, districts


@transaction.atomic
def generate(ctx: ScaleContext) -> None:
    sizes, p, rng = ctx.sizes, ctx.prefix, ctx.rng
    advisory_xact_lock(LockKey.ORGANIZATION_TREE)
    tree_id = (Organization.objects.aggregate(m=Max("tree_id"))["m"] or 0) + 1
    blank = {"tree_id": tree_id, "lft": 0, "rght": 0, "level": 0}
    with Organization.objects.disable_mptt_updates():
        root, districts = _districts(p, sizes["districts"], blank)
        streets = []
        for district, count in zip(districts, _spread(sizes["streets"], len(districts)), strict=True):
            streets += [
                Organization(
                    name=f"{district.name[:-2]}第{i + 1}街道党工委" if district is not root else f"第{i + 1}街道党工委",
                    code=f"{district.code}-{i + 1}",
                    kind=OrganizationKind.STREET,
                    parent=district,
                    **blank,
                )
                for i in range(count)
            ]
        streets = _bulk(streets)
        communities = []
        for street, count in zip(streets, _spread(sizes["communities"], len(streets)), strict=True):
            communities += [
                Organization(
                    name=f"{street.name[:-3]}第{j + 1}社区党委",
                    code=f"{street.code}-{j + 1}",
                    kind=OrganizationKind.COMMUNITY,
                    parent=street,
                    **blank,
                )
                for j in range(count)
            ]
        communities = _bulk(communities)
        branches = []
        for community, count in zip(communities, _spread(sizes["branches"], len(communities)), strict=True):
            used: set[str] = set()
            for j in range(count):
                formation = rng.choices([Formation.STANDALONE, Formation.JOINT, Formation.INTEGRATED], [70, 10, 20])[0]
                name = rng.choice(SURNAMES) + rng.choice(SURNAMES) + rng.choice(SUFFIXES)
                if name in used:  # compound names are unique within a community
                    name = f"{name}{j + 1}期"
                used.add(name)
                branches.append(
                    Organization(
                        name=f"{name}党支部",
                        code=f"{community.code}-{j + 1}",
                        kind=OrganizationKind.BRANCH,
                        formation=formation,
                        parent=community,
                        established_on=_established_on(rng, ctx.today),
                        **blank,
                    )
                )
        branches = _bulk(branches)
        groups = []
        for branch, count in zip(branches, _spread(sizes["groups"], len(branches)), strict=True):
            groups += [
                Organization(
                    name=f"{branch.name[:-3]}第{k + 1}党小组",
                    code=f"{branch.code}-{k + 1}",
                    kind=OrganizationKind.GROUP,
                    parent=branch,
                    **blank,
                )
                for k in range(count)
            ]
        groups = _bulk(groups)
    organization_tree_rebuild()

    community_by_id = {c.pk: c for c in communities}
    compounds = [
        Compound(
            name=b.name[:-3],
            kind=rng.choices(list(CompoundKind.values), [60, 20, 10, 10])[0],
            community_id=b.parent_id,
            branch=b,
            households=rng.randint(80, 1500),
            building_count=0,
            address=f"{community_by_id[b.parent_id].name[:-2]}{rng.randint(1, 300)}号",
            built_year=rng.randint(1985, 2022),
        )
        for b in branches
    ]
    # Coverage gaps: some compounds have no branch yet.
    for n in range(sizes["uncovered_compounds"]):
        community = communities[n % len(communities)]
        compounds.append(
            Compound(
                name=f"散居楼栋{n + 1}号",
                kind=CompoundKind.SCATTERED,
                community=community,
                households=rng.randint(20, 120),
            )
        )
    compounds = Compound.objects.bulk_create(compounds, batch_size=2000)
    groups_by_branch: dict[int, list[int]] = {}
    for g in groups:
        groups_by_branch.setdefault(g.parent_id, []).append(g.pk)
    buildings = []
    for compound in compounds:
        group_ids = groups_by_branch.get(compound.branch_id, [])
        count = max(2, len(group_ids) * 2) if group_ids else 3
        compound.building_count = count
        for k in range(count):
            buildings.append(
                Building(
                    compound=compound,
                    name=f"{k + 1}栋",
                    units=rng.randint(1, 4),
                    households=max(1, compound.households // count),
                    group_id=group_ids[k % len(group_ids)] if group_ids else None,
                )
            )
    Building.objects.bulk_create(buildings, batch_size=5000)
    Compound.objects.bulk_update(compounds, ["building_count"], batch_size=2000)
    venues = []
    for b in branches:
        flags = [rng.random() < 0.85 for _ in range(6)]
        venues.append(
            Venue(
                branch=b,
                name=f"{b.name[:-3]}党群服务驿站",
                provision=rng.choice(list(VenueProvision.values)),
                area_m2=rng.randint(15, 200),
                has_place=flags[0],
                has_facilities=flags[1],
                has_sign=flags[2],
                has_flag=flags[3],
                has_books=flags[4],
                has_rules=flags[5],
            )
        )
    Venue.objects.bulk_create(venues, batch_size=2000)

    ctx.data.update(
        district=Organization.objects.get(pk=root.pk),
        district_ids=[d.pk for d in districts],
        street_ids=[s.pk for s in streets],
        community_ids=[c.pk for c in communities],
        branch_ids=[b.pk for b in branches],
        branch_formation={b.pk: b.formation for b in branches},
        group_ids_by_branch=groups_by_branch,
        compound_ids_by_branch={c.branch_id: c.pk for c in compounds if c.branch_id},
        compound_ids=[c.pk for c in compounds],
    )
    ctx.write(
        f"  组织树：{len({root.pk, *(d.pk for d in districts)}) + len(streets) + len(communities) + len(branches) + len(groups)} 个节点，"
        f"小区 {len(compounds)} 个，楼栋 {len(buildings)} 栋"
    )


# ``--scale 10`` makes a city of ten districts (``districts`` scales like every other size).
generate.DEFAULTS = {
    "districts": 1,
    "streets": 10,
    "communities": 120,
    "branches": 1500,
    "groups": 6000,
    "uncovered_compounds": 75,
}
