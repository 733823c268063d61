"""Benchmark of ``/api/v1/stats/service/`` for a whole scale district vs a raw-SQL floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench_projects .venv/bin/python bench/projects.py

Creates the database when missing, migrates, generates the scale district once (the
organizations generator and this app's generator at ``--scale``; ``--with-members`` also runs
the members generator so that micro-wishes get claimed and fulfilled), then times, in the same
run, the API request (auth, scope, six aggregate queries, JSON) and six hand-written SQL
statements computing the same figures, and checks that both give the same numbers.
Writes ``docs/benchmarks/projects.md``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

RAW_SQL = {
    "agreements": """
        SELECT count(*), count(DISTINCT a.partner_id)
        FROM projects_agreement a JOIN organizations_organization o ON o.id = a.organization_id
        WHERE o.tree_id = %(t)s AND o.lft >= %(l)s AND o.rght <= %(r)s
          AND NOT a.archived AND a.signed_on <= %(to)s AND a.expires_on >= %(from)s""",
    "activities": """
        SELECT count(*), coalesce(sum(a.member_participants), 0), coalesce(sum(a.resident_participants), 0)
        FROM projects_activity a JOIN organizations_organization o ON o.id = a.organizer_id
        LEFT JOIN organizations_compound c ON c.id = a.compound_id
        LEFT JOIN organizations_organization b ON b.id = c.branch_id
        WHERE ((o.tree_id = %(t)s AND o.lft >= %(l)s AND o.rght <= %(r)s)
            OR (b.tree_id = %(t)s AND b.lft >= %(l)s AND b.rght <= %(r)s))
          AND a.held_on BETWEEN %(from)s AND %(to)s""",
    "projects": """
        SELECT count(*) FILTER (WHERE p.started_on BETWEEN %(from)s AND %(to)s),
               count(*) FILTER (WHERE p.completed_on BETWEEN %(from)s AND %(to)s)
        FROM projects_project p JOIN organizations_organization o ON o.id = p.organization_id
        LEFT JOIN organizations_compound c ON c.id = p.compound_id
        LEFT JOIN organizations_organization co ON co.id = c.community_id
        LEFT JOIN organizations_organization b ON b.id = c.branch_id
        WHERE (o.tree_id = %(t)s AND o.lft >= %(l)s AND o.rght <= %(r)s)
           OR (co.tree_id = %(t)s AND co.lft >= %(l)s AND co.rght <= %(r)s)
           OR (b.tree_id = %(t)s AND b.lft >= %(l)s AND b.rght <= %(r)s)""",
    "funds": """
        SELECT f.source, sum(f.amount)
        FROM projects_funding f JOIN projects_project p ON p.id = f.project_id
        JOIN organizations_organization o ON o.id = p.organization_id
        LEFT JOIN organizations_compound c ON c.id = p.compound_id
        LEFT JOIN organizations_organization co ON co.id = c.community_id
        LEFT JOIN organizations_organization b ON b.id = c.branch_id
        WHERE ((o.tree_id = %(t)s AND o.lft >= %(l)s AND o.rght <= %(r)s)
            OR (co.tree_id = %(t)s AND co.lft >= %(l)s AND co.rght <= %(r)s)
            OR (b.tree_id = %(t)s AND b.lft >= %(l)s AND b.rght <= %(r)s))
          AND f.received_on BETWEEN %(from)s AND %(to)s
        GROUP BY f.source""",
    "requests": """
        SELECT count(*), count(*) FILTER (WHERE r.kind = 'dispute'),
               count(*) FILTER (WHERE r.triage = 'major'), count(*) FILTER (WHERE r.triage = 'minor'),
               count(*) FILTER (WHERE r.triage = 'private'), count(*) FILTER (WHERE r.resolved_on IS NOT NULL),
               count(*) FILTER (WHERE r.resolved_on IS NOT NULL AND r.due_on IS NOT NULL),
               count(*) FILTER (WHERE r.resolved_on <= r.due_on),
               count(*) FILTER (WHERE r.rating = 'satisfied'),
               count(*) FILTER (WHERE r.rating = 'basically_satisfied'),
               count(*) FILTER (WHERE r.rating = 'dissatisfied')
        FROM projects_residentrequest r JOIN organizations_compound c ON c.id = r.compound_id
        JOIN organizations_organization co ON co.id = c.community_id
        LEFT JOIN organizations_organization b ON b.id = c.branch_id
        WHERE ((co.tree_id = %(t)s AND co.lft >= %(l)s AND co.rght <= %(r)s)
            OR (b.tree_id = %(t)s AND b.lft >= %(l)s AND b.rght <= %(r)s))
          AND r.received_on BETWEEN %(from)s AND %(to)s""",
    "wishes": """
        SELECT count(*) FILTER (WHERE w.published_on BETWEEN %(from)s AND %(to)s),
               count(*) FILTER (WHERE w.status = 'fulfilled'
                   AND (w.fulfilled_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN %(from)s AND %(to)s)
        FROM projects_microwish w JOIN organizations_organization o ON o.id = w.community_id
        JOIN organizations_compound c ON c.id = w.compound_id
        LEFT JOIN organizations_organization b ON b.id = c.branch_id
        WHERE (o.tree_id = %(t)s AND o.lft >= %(l)s AND o.rght <= %(r)s)
           OR (b.tree_id = %(t)s AND b.lft >= %(l)s AND b.rght <= %(r)s)""",
}


def ensure_database() -> None:
    import environ
    import psycopg2

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://.../pb_bench_projects")
    cfg = environ.Env.db_url_config(url)
    conn = psycopg2.connect(
        dbname="postgres",
        user=cfg["USER"],
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        password=cfg.get("PASSWORD") or None,
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    conn.close()


def generate(prefix: str, scale: float, with_members: bool, today: datetime.date) -> None:
    from core.registry import ScaleContext
    from organizations.demo import scale as org_scale
    from projects.demo import scale as projects_scale

    generators = [org_scale.generate]
    if with_members:
        from members.demo import scale as members_scale

        generators.append(members_scale.generate)
    generators.append(projects_scale.generate)
    sizes = {}
    for g in generators:
        sizes.update({k: max(1, int(v * scale)) for k, v in getattr(g, "DEFAULTS", {}).items()})
    from django.db import IntegrityError, transaction

    # The organizations generator draws compound names at random and may collide on
    # (community, name) for some seeds; the whole run is one transaction, so retry another seed.
    for seed in range(20261129, 20261139):
        ctx = ScaleContext(sizes=sizes, prefix=prefix, rng=random.Random(seed), today=today)
        try:
            with transaction.atomic():
                for g in generators:
                    t0 = time.perf_counter()
                    g(ctx)
                    print(f"  {g.__module__}: {time.perf_counter() - t0:.1f} s")
            return
        except IntegrityError as exc:
            print(f"  seed {seed}: {exc.__class__.__name__}, retrying with another seed")
    sys.exit("could not generate the scale district")


def timed(func, repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--prefix", default="PJB")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--with-members", action="store_true")
    parser.add_argument("--today", default="2026-11-29")
    args = parser.parse_args()
    ensure_database()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from organizations.models import Organization

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    today = datetime.date.fromisoformat(args.today)
    if not Organization.objects.filter(code=args.prefix).exists():
        print(f"generating scale district {args.prefix} (scale {args.scale}) ...")
        generate(args.prefix, args.scale, args.with_members, today)
    district = Organization.objects.get(code=args.prefix)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # fresh planner statistics after the bulk load, as autovacuum would
    date_from, date_to = today - datetime.timedelta(days=364), today
    params = {"t": district.tree_id, "l": district.lft, "r": district.rght, "from": date_from, "to": date_to}

    User = get_user_model()
    user = User.objects.filter(username="bench_projects").first() or User.objects.create_superuser(
        "bench_projects", "bench@example.com", "bench-Password-2026"
    )
    client = APIClient()
    client.force_authenticate(user)
    url = f"/api/v1/stats/service/?org={district.pk}&from={date_from}&to={date_to}"

    def api():
        response = client.get(url)
        assert response.status_code == 200, response.content
        return response.json()

    def raw():
        out = {}
        with connection.cursor() as cur:
            for key, sql in RAW_SQL.items():
                cur.execute(sql, params)
                out[key] = cur.fetchall()
        return out

    api()
    raw()  # warm caches
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as q:
        api()
    api_queries = [x["sql"] for x in q.captured_queries]  # copy now: the log keeps growing under DEBUG
    # Interleaved (API, raw, API, raw, ...) so that load from other jobs hits both alike.
    api_samples, raw_samples = [], []
    for _ in range(args.repeat):
        ms, stats = timed(api, 1)
        api_samples.append(ms)
        ms, floor = timed(raw, 1)
        raw_samples.append(ms)
    api_ms, raw_ms = statistics.median(api_samples), statistics.median(raw_samples)

    # Same figures both ways.
    assert stats["agreements_in_force"] == floor["agreements"][0][0]
    assert stats["activities_held"] == floor["activities"][0][0]
    assert (stats["projects_launched"], stats["projects_completed"]) == floor["projects"][0]
    assert stats["requests"]["received"] == floor["requests"][0][0]
    assert stats["requests"]["resolved_on_time"] == floor["requests"][0][7]
    assert stats["wishes_fulfilled"] == floor["wishes"][0][1]
    assert {k: f"{v:.2f}" for k, v in floor["funds"]} == {
        k: v for k, v in stats["funds_by_source"].items() if v != "0.00"
    }
    stats_queries = [sql for sql in api_queries if "projects_" in sql.split(" WHERE ")[0]]
    if os.environ.get("BENCH_SQL"):
        print("\n".join(sql[:160] for sql in api_queries))
    ratio = api_ms / raw_ms
    counts = {
        "agreements": stats["agreements_in_force"],
        "activities": stats["activities_held"],
        "launched": stats["projects_launched"],
        "completed": stats["projects_completed"],
        "requests": stats["requests"]["received"],
        "on_time_rate": stats["requests"]["on_time_rate"],
        "satisfaction_rate": stats["satisfaction"]["satisfaction_rate"],
        "wishes": stats["wishes_fulfilled"],
    }
    print(f"figures: {counts}")
    print(
        f"API {api_ms:.1f} ms ({len(api_queries)} queries, {len(stats_queries)} aggregate) | raw SQL {raw_ms:.1f} ms "
        f"({len(RAW_SQL)} statements) | ratio {ratio:.2f}"
    )

    doc = ROOT / "docs" / "benchmarks" / "projects.md"
    doc.write_text(
        f"""# Benchmark: `/api/v1/stats/service/` (joint building and service figures)

Command: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench_projects .venv/bin/python bench/projects.py`
(`--scale {args.scale}`{", `--with-members`" if args.with_members else ""}; PostgreSQL {connection.pg_version // 10000},
2 shared cores; `ANALYZE` after the bulk load; median of {args.repeat} interleaved runs after one warm-up,
same process, same data).

Data: the scale district `{args.prefix}` (organizations generator: 10 streets, 120 communities, 1,500 branches, 1,575
compounds, times the scale) plus `projects.demo.scale` (600 partners, 900 agreements, 2,800 projects with funding,
4,500 activities, 6,000 micro-wishes, 50,000 resident requests, times the scale). Period: {date_from} – {date_to}.

Figures for the whole district: {counts}.

| path | median | queries |
|---|---|---|
| our API `GET {url.split("?")[0]}?org=…&from=…&to=…` (auth, scope, six aggregate queries, JSON) | {api_ms:.1f} ms | {len(api_queries)} in total, {len(stats_queries)} aggregate |
| raw-SQL floor (six hand-written statements, same joins and figures) | {raw_ms:.1f} ms | {len(RAW_SQL)} |
| **ratio** | **{ratio:.2f}×** | |

The query count is fixed (it does not depend on the size of the subtree): the organization lookup
(scoped), then one aggregate per block — agreements, activities, projects, funds by source,
requests (triage, on-time, ratings), micro-wishes. The bench asserts that the API and the raw
SQL give the same numbers.
""",
        encoding="utf-8",
    )
    print(f"wrote {doc.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
