import datetime

import pytest

from members.volunteering import services
from organizations.models import Role
from tests.factories import (
    CompoundFactory,
    MemberFactory,
    ResidentVolunteerFactory,
    VolunteerPostFactory,
    make_tree,
    make_user,
)

DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def world(db):
    tree = make_tree()
    branch = tree["branch_a"]
    compound = CompoundFactory(community=tree["community_a"], branch=branch)
    member = MemberFactory(branch=branch, name="张建国")
    other = MemberFactory(branch=tree["branch_b"], name="李秀英")
    post = VolunteerPostFactory(organization=branch, compound=compound)
    post_b = VolunteerPostFactory(organization=tree["branch_b"])
    resident = ResidentVolunteerFactory(branch=branch, name="周阿姨")
    holder = services.holder_add(post=post, member=member, started_on=datetime.date(2026, 1, 1))
    resident_holder = services.holder_add(post=post, volunteer=resident, started_on=datetime.date(2026, 1, 1))
    holder_b = services.holder_add(post=post_b, member=other, started_on=datetime.date(2026, 1, 1))
    return {
        **tree,
        "compound": compound,
        "member": member,
        "other": other,
        "post": post,
        "post_b": post_b,
        "resident": resident,
        "holder": holder,
        "resident_holder": resident_holder,
        "holder_b": holder_b,
        "secretary": make_user("vol_sec_a", branch, Role.BRANCH_SECRETARY),
        "secretary_b": make_user("vol_sec_b", tree["branch_b"], Role.BRANCH_SECRETARY),
        "staff": make_user("vol_staff", tree["community_a"], Role.COMMUNITY_STAFF),
    }


def record(holder, *, actor=None, hours="2", day=DAY, confirm=False):
    return services.service_record(
        holder=holder, served_on=day, hours=hours, description="巡查消防通道", actor=actor, confirm=confirm, today=DAY
    )
