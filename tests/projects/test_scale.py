"""The scale generator: bulk inserts, figures in the expected shape, constant-query stats."""

import datetime
import random

from core.registry import ScaleContext
from organizations.demo import scale as org_scale
from projects.demo import scale
from projects.models import Activity, Agreement, Project, ResidentRequest
from projects.selectors import service_stats


def test_generate_small_district(db):
    sizes = {
        **{k: max(1, v // 100) for k, v in org_scale.generate.DEFAULTS.items()},
        **{k: max(2, v // 100) for k, v in scale.generate.DEFAULTS.items()},
    }
    sizes["streets"] = 2
    today = datetime.date(2026, 11, 29)
    ctx = ScaleContext(sizes=sizes, prefix="PJT", rng=random.Random(3), today=today, write=lambda *a: None)
    org_scale.generate(ctx)
    scale.generate(ctx)
    assert Agreement.objects.count() == sizes["agreements"]
    assert Activity.objects.count() == sizes["activities"]
    assert Project.objects.count() == sizes["projects"]
    assert ResidentRequest.objects.count() == sizes["requests"]
    assert not ResidentRequest.objects.filter(rating__gt="", resolved_on__isnull=True).exists()
    stats = service_stats(ctx.data["district"], date_from=today - datetime.timedelta(days=364), date_to=today)
    assert stats["activities_held"] == sizes["activities"]
    assert stats["requests"]["received"] == sizes["requests"]
