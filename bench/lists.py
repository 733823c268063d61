"""Admin changelists of large tables (members, the points ledger) at full size: page 1 and a deep
page through the Django test client, with the shared paginator
(``core.api.pagination.EstimatedCountPaginator``) and with Django's default one ("before"), in
one run; both must list the same rows before they are timed.

    DATABASE_URL=postgres://... .venv/bin/python bench/lists.py [--repeat 5]

Runs against a database that already holds ``generate_scale_data`` (and, for the ledger, the
points awarded for it: ``members.points.award_points``). Prints a Markdown table and the load
average.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.contrib import admin  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from members.models import Member, PointsEntry  # noqa: E402
from organizations.models import Organization  # noqa: E402

ROW_ID = re.compile(rb'href="/admin/[a-z_]+/[a-z_]+/(\d+)/change/')


def median_ms(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def district_admin():
    from organizations.models import Role
    from organizations.services import access_scope_set

    district = Organization.objects.filter(parent__isnull=True).order_by("tree_id").first()
    user, _ = get_user_model().objects.get_or_create(username="bench_lists_admin", defaults={"is_staff": True})
    access_scope_set(user=user, organization=district, role=Role.DISTRICT_ADMIN)
    client = Client()
    client.force_login(user)
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    client = district_admin()
    rows = []
    for model, deep in ((Member, 100), (PointsEntry, 100)):
        if not model.objects.exists():
            print(f"(no {model._meta.verbose_name_plural}: skipped)")
            continue
        model_admin = admin.site._registry[model]
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        ours_class = model_admin.paginator
        for page in (1, deep):
            query = {"p": page} if page > 1 else {}
            # The bench user has no second factor: the admin would send it to set one up.
            with override_settings(ALLOWED_HOSTS=["*"], TWO_FACTOR_ENFORCE=False):
                found = {}
                for label, paginator in (("ours", ours_class), ("before", Paginator)):
                    model_admin.paginator = paginator
                    response = client.get(url, query)
                    assert response.status_code == 200, (url, response.status_code)
                    found[label] = ROW_ID.findall(response.content)
                assert found["ours"] == found["before"] and found["ours"], f"{url} page {page} differs"
                timings = {}
                for label, paginator in (("ours", ours_class), ("before", Paginator)):
                    model_admin.paginator = paginator
                    timings[label] = median_ms(lambda q=query, u=url: client.get(u, q), repeat)
                model_admin.paginator = ours_class
            rows.append(
                (f"{model._meta.verbose_name_plural} changelist, page {page}", timings["ours"], timings["before"])
            )
    print("| what | ours ms | before ms | ratio |")
    print("|---|---|---|---|")
    for what, o, b in rows:
        print(f"| {what} | {o:.1f} | {b:.1f} | {o / b:.2f}× |")
    print(f"\nload average: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
