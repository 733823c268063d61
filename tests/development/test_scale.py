"""The scale generator's candidates: a few per branch in bulk, and some taken through every step
by the services up to the oath (probationary members admitted through the pipeline)."""

import datetime
import random

from core.registry import ScaleContext
from members.demo import scale as member_scale
from members.development import demo
from members.development.models import Candidate, Stage
from members.models import Member, PartyStatus
from organizations.demo import scale as org_scale


def test_scale_candidates_include_admitted_probationary_members(db):
    sizes = {k: max(1, v // 100) for k, v in org_scale.generate.DEFAULTS.items()}
    sizes |= {"streets": 1, "members": 300, "candidates_per_branch": 3, "admitted_candidates": 2}
    today = datetime.date(2026, 11, 29)
    ctx = ScaleContext(sizes=sizes, prefix="DEV", rng=random.Random(5), today=today, write=lambda *a: None)
    org_scale.generate(ctx)
    member_scale.generate(ctx)
    demo.generate(ctx)
    admitted = Candidate.objects.filter(member__isnull=False)
    assert admitted.count() == 2
    assert set(admitted.values_list("stage", flat=True)) == {Stage.PROBATIONARY}
    for candidate in admitted.select_related("member"):
        assert candidate.member.party_status == PartyStatus.PROBATIONARY
        assert candidate.member.admitted_on == candidate.applied_on + datetime.timedelta(days=500)  # the 支部大会
    bulk = Candidate.objects.filter(member__isnull=True)
    assert bulk.count() == 3 * len(ctx.data["branch_ids"])
    assert Member.objects.filter(pk__in=admitted.values("member")).count() == 2
