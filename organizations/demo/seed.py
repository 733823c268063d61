"""Demo district 南岸区 for ``seed_demo``: the real places of the seed stories, the rest invented.

Idempotent: every object is found by a stable key (organization code, compound name, username)
before it is created.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from core.registry import DemoContext
from organizations import services
from organizations.models import (
    Building,
    Compound,
    CompoundKind,
    Formation,
    Organization,
    OrganizationKind,
    Role,
    Venue,
    VenueProvision,
)

DEMO_PASSWORD = "Dangjian@2026"

# (code, name, kind, parent code, formation)
TREE = [
    ("NA", "中共重庆市南岸区委员会", OrganizationKind.DISTRICT, None, ""),
    ("NA-HYL", "花园路街道党工委", OrganizationKind.STREET, "NA", ""),
    ("NA-NP", "南坪街道党工委", OrganizationKind.STREET, "NA", ""),
    ("NA-CSQ", "长生桥镇党委", OrganizationKind.STREET, "NA", ""),
    ("NA-HYL-JH", "金鹤社区党委", OrganizationKind.COMMUNITY, "NA-HYL", ""),
    ("NA-HYL-HY", "花园社区党委", OrganizationKind.COMMUNITY, "NA-HYL", ""),
    ("NA-NP-GLW", "古楼湾社区党委", OrganizationKind.COMMUNITY, "NA-NP", ""),
    ("NA-NP-BHY", "白鹤苑社区党委", OrganizationKind.COMMUNITY, "NA-NP", ""),
    ("NA-CSQ-THQ", "桃花桥社区党委", OrganizationKind.COMMUNITY, "NA-CSQ", ""),
    ("NA-CSQ-CS", "长生社区党委", OrganizationKind.COMMUNITY, "NA-CSQ", ""),
    ("NA-HYL-JH-HC", "华城国际小区党支部", OrganizationKind.BRANCH, "NA-HYL-JH", Formation.STANDALONE),
    ("NA-HYL-JH-JX", "金鹤新村联合党支部", OrganizationKind.BRANCH, "NA-HYL-JH", Formation.JOINT),
    ("NA-HYL-HY-LJ", "丽景花园小区党支部", OrganizationKind.BRANCH, "NA-HYL-HY", Formation.STANDALONE),
    ("NA-NP-GLW-JL", "九龙花园小区兼合式党支部", OrganizationKind.BRANCH, "NA-NP-GLW", Formation.INTEGRATED),
    ("NA-NP-BHY-JG", "金港苑小区党支部", OrganizationKind.BRANCH, "NA-NP-BHY", Formation.STANDALONE),
    ("NA-CSQ-THQ-YM", "移民小区兼合式党支部", OrganizationKind.BRANCH, "NA-CSQ-THQ", Formation.INTEGRATED),
    ("NA-CSQ-CS-CSY", "长生雅苑小区党支部", OrganizationKind.BRANCH, "NA-CSQ-CS", Formation.STANDALONE),
]

# Building groups: (code, name, branch code)
GROUPS = [
    ("NA-HYL-JH-HC-1", "华城国际1-3栋党小组", "NA-HYL-JH-HC"),
    ("NA-HYL-JH-HC-2", "华城国际4-6栋党小组", "NA-HYL-JH-HC"),
    ("NA-HYL-JH-HC-3", "华城国际7-9栋党小组", "NA-HYL-JH-HC"),
    ("NA-NP-GLW-JL-1", "九龙花园A区党小组", "NA-NP-GLW-JL"),
    ("NA-NP-GLW-JL-2", "九龙花园B区党小组", "NA-NP-GLW-JL"),
    ("NA-NP-BHY-JG-1", "金港苑1-4栋党小组", "NA-NP-BHY-JG"),
    ("NA-CSQ-THQ-YM-1", "移民小区东片党小组", "NA-CSQ-THQ-YM"),
    ("NA-CSQ-THQ-YM-2", "移民小区西片党小组", "NA-CSQ-THQ-YM"),
    ("NA-CSQ-CS-CSY-1", "长生雅苑党小组", "NA-CSQ-CS-CSY"),
]

# (name, kind, community code, branch code or None, households, buildings, address, built)
COMPOUNDS = [
    (
        "华城国际小区",
        CompoundKind.PROPERTY_MANAGED,
        "NA-HYL-JH",
        "NA-HYL-JH-HC",
        641,
        9,
        "南岸区花园路金鹤路12号",
        2008,
    ),
    ("金鹤新村一期", CompoundKind.SELF_MANAGED, "NA-HYL-JH", "NA-HYL-JH-JX", 180, 6, "南岸区金鹤路3号", 1996),
    ("金鹤新村二期", CompoundKind.SELF_MANAGED, "NA-HYL-JH", "NA-HYL-JH-JX", 156, 5, "南岸区金鹤路5号", 1998),
    ("丽景花园", CompoundKind.PROPERTY_MANAGED, "NA-HYL-HY", "NA-HYL-HY-LJ", 420, 8, "南岸区花园路街道丽景路8号", 2005),
    ("花园路散居楼栋", CompoundKind.SCATTERED, "NA-HYL-HY", None, 96, 4, "南岸区花园路21-27号", 1989),
    ("九龙花园", CompoundKind.PROPERTY_MANAGED, "NA-NP-GLW", "NA-NP-GLW-JL", 200, 6, "南岸区南坪古楼湾九龙路9号", 2001),
    ("金港苑", CompoundKind.PROPERTY_MANAGED, "NA-NP-BHY", "NA-NP-BHY-JG", 312, 4, "南岸区南坪白鹤苑路66号", 2003),
    ("白鹤苑公租房小区", CompoundKind.PUBLIC_RENTAL, "NA-NP-BHY", None, 860, 10, "南岸区白鹤苑路88号", 2013),
    ("移民小区", CompoundKind.SELF_MANAGED, "NA-CSQ-THQ", "NA-CSQ-THQ-YM", 530, 12, "南岸区长生桥镇桃花桥村", 2004),
    (
        "长生雅苑",
        CompoundKind.PROPERTY_MANAGED,
        "NA-CSQ-CS",
        "NA-CSQ-CS-CSY",
        388,
        7,
        "南岸区长生桥镇长生大道120号",
        2015,
    ),
]

# (username, role, scope code, display name)
USERS = [
    ("qu_admin", Role.DISTRICT_ADMIN, "NA", "区委组织部 管理员"),
    ("nanping_staff", Role.STREET_STAFF, "NA-NP", "南坪街道 工作人员"),
    ("jinhe_staff", Role.COMMUNITY_STAFF, "NA-HYL-JH", "金鹤社区 工作人员"),
    ("gulouwan_staff", Role.COMMUNITY_STAFF, "NA-NP-GLW", "古楼湾社区 工作人员"),
    ("huacheng_secretary", Role.BRANCH_SECRETARY, "NA-HYL-JH-HC", "华城国际小区党支部 书记"),
    ("jiulong_secretary", Role.BRANCH_SECRETARY, "NA-NP-GLW-JL", "九龙花园兼合式党支部 书记"),
    ("city_platform", Role.API_CLIENT, "NA", "市级平台 只读接口"),
    # 三员分立: one account per administrator duty (docs/security.md §3).
    ("xitong_admin", Role.SYSTEM_ADMIN, "NA", "系统管理员"),
    ("anquan_admin", Role.SECURITY_ADMIN, "NA", "安全管理员"),
    ("shenji_admin", Role.AUDIT_ADMIN, "NA", "审计管理员"),
]


def _org(ctx: DemoContext, code, name, kind, parent_code, formation) -> Organization:
    node = Organization.objects.filter(code=code).first()
    if node is None:
        node = services.organization_create(
            name=name,
            code=code,
            kind=kind,
            parent=ctx.orgs.get(parent_code),
            formation=formation,
            established_on=ctx.today.replace(year=2018, month=7, day=1),
        )
    ctx.orgs[code] = node
    return node


def seed(ctx: DemoContext) -> None:
    for code, name, kind, parent_code, formation in TREE:
        _org(ctx, code, name, kind, parent_code, formation)
    for code, name, branch_code in GROUPS:
        _org(ctx, code, name, OrganizationKind.GROUP, branch_code, "")
    # 换届: branch committees elected in 2021 serve until 2026; one re-elected early, one due soon.
    terms = {"NA-HYL-JH-HC": (2027, 7, 1), "NA-NP-GLW-JL": (2026, 12, 31), "NA-CSQ-CS-CSY": (2028, 3, 31)}
    for code, (year, month, day) in terms.items():
        node = ctx.orgs[code]
        if node.term_ends_on is None:
            ctx.orgs[code] = services.organization_update(
                organization=node, term_ends_on=ctx.today.replace(year=year, month=month, day=day)
            )

    for name, kind, community, branch, households, buildings, address, built in COMPOUNDS:
        compound = Compound.objects.filter(community=ctx.orgs[community], name=name).first()
        if compound is None:
            compound = services.compound_save(
                name=name,
                kind=kind,
                community=ctx.orgs[community],
                branch=ctx.orgs[branch] if branch else None,
                households=households,
                building_count=buildings,
                address=address,
                built_year=built,
            )
        ctx.compounds[name] = compound
        groups = [ctx.orgs[c] for c, _n, b in GROUPS if b == branch]
        for number in range(1, buildings + 1):
            group = groups[(number - 1) * len(groups) // buildings] if groups else None
            if not Building.objects.filter(compound=compound, name=f"{number}栋").exists():
                services.building_save(
                    compound=compound,
                    name=f"{number}栋",
                    units=2 if number % 3 else 3,
                    households=max(1, households // buildings),
                    group=group,
                )

    for code, name, *_rest in TREE:
        node = ctx.orgs[code]
        if node.kind != OrganizationKind.BRANCH or Venue.objects.filter(branch=node).exists():
            continue
        full = code in ("NA-HYL-JH-HC", "NA-NP-GLW-JL", "NA-CSQ-CS-CSY")
        Venue.objects.create(
            branch=node,
            name=name.replace("党支部", "党群服务驿站"),
            address="",
            area_m2=60 if full else 25,
            provision=VenueProvision.FREE if full else VenueProvision.TIME_SHARED,
            has_place=True,
            has_facilities=True,
            has_sign=True,
            has_flag=True,
            has_books=full,
            has_rules=full or code.endswith("JG"),
        )

    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create_superuser("admin", "admin@example.com", DEMO_PASSWORD, first_name="超级管理员")
    ctx.logins.append(("超级管理员", "admin", "全部"))
    for username, role, scope_code, display in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, password=DEMO_PASSWORD, first_name=display)
        services.access_scope_set(user=user, organization=ctx.orgs[scope_code], role=role)
        ctx.users[username] = user
        ctx.logins.append((str(Role(role).label), username, ctx.orgs[scope_code].name))
