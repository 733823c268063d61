"""Benchmark of the statistics API (issue 8), run against PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench_stats .venv/bin/python bench/stats.py

1. Data: ``generate_scale_data`` (10 streets, 120 communities, 1,500 branches, 6,000 groups, ...)
   plus, when the members app's generator left none, 100,000 members and 3,000 central
   household positions inserted here (seeded, so every run has the same data).
2. ``/api/v1/stats/overview/`` for the whole district and for one street, and
   ``/api/v1/stats/breakdown/`` per street (metric ``members`` and ``coverage``): ours, client →
   response through the Django test client with a token, versus a hand-written raw-SQL floor
   computing the same figures (nested-set joins, ``COUNT(*) FILTER``), medians in the same run;
   the figures of both must be equal. Query counts of ours.
3. Bounded load test: gunicorn on 127.0.0.1 started here, 10 concurrent clients (one token each)
   for 30 s over the three requests; p50/p95 and errors.
Prints Markdown for docs/benchmarks/stats.md.
"""

import datetime
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from members.models import Member, Position  # noqa: E402
from organizations import services  # noqa: E402
from organizations.models import Organization, OrganizationKind, Role  # noqa: E402
from organizations.statistics import Period  # noqa: E402

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
Q = {"from": PERIOD.start.isoformat(), "to": PERIOD.end.isoformat()}
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


class Quiet:
    def write(self, *_a, **_k):
        pass

    def flush(self):
        pass


def ensure_data() -> Organization:
    call_command("migrate", verbosity=0)
    if not Organization.objects.filter(code="S").exists():
        call_command("generate_scale_data", "--prefix", "S", stdout=Quiet())
    district = Organization.objects.get(code="S")
    branches = list(
        Organization.objects.filter(tree_id=district.tree_id, kind=OrganizationKind.BRANCH).values_list("id", flat=True)
    )
    groups = list(
        Organization.objects.filter(tree_id=district.tree_id, kind=OrganizationKind.GROUP).values_list("id", flat=True)
    )
    if not Member.objects.filter(branch__tree_id=district.tree_id).exists():
        rng = random.Random(20261129)
        d = datetime.date
        batch = []
        for i in range(100_000):
            branch = rng.choice(branches)
            batch.append(
                Member(
                    name=f"党员{i}",
                    gender=rng.choice(("male", "female")),
                    birth_date=None
                    if i % 50 == 0
                    else d(rng.randint(1935, 2004), rng.randint(1, 12), rng.randint(1, 28)),
                    party_status="probationary" if i % 25 == 0 else "full",
                    admitted_on=d(rng.randint(1970, 2026), rng.randint(1, 12), 1),
                    occupation_status=rng.choice(
                        ("in_service", "retired", "retired", "unemployed", "student", "other")
                    ),
                    education=rng.choice(("junior", "senior", "college", "bachelor", "master", "")),
                    floating_status=rng.choice(("", "", "", "", "out", "in")),
                    lost_contact=i % 97 == 0,
                    reported_on=d(rng.choice((2024, 2025, 2026)), rng.randint(1, 12), 5) if i % 3 == 0 else None,
                    status="transferred_out" if i % 40 == 0 else "active",
                    branch_id=branch,
                    home_organization_id=branch,
                )
            )
            if len(batch) == 5000:
                Member.objects.bulk_create(batch)
                batch = []
        members = list(Member.objects.filter(branch__tree_id=district.tree_id).values_list("id", flat=True)[:3000])
        Position.objects.bulk_create(
            Position(
                member_id=m,
                organization_id=rng.choice(groups),
                kind="central_household",
                started_on=d(2024, 1, 1),
                ended_on=None if k % 5 else d(2026, 3, 1),
            )
            for k, m in enumerate(members)
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return district


def user_with_token(username: str, node: Organization) -> str:
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User.objects.create_user(username, password=None)
    services.access_scope_set(user=user, organization=node, role=Role.DISTRICT_ADMIN)
    return Token.objects.get_or_create(user=user)[0].key


# --- the raw SQL floor ------------------------------------------------------------------------

MEMBER_FILTERS = {
    "total": "TRUE",
    **{f"party_{s}": f"m.party_status = '{s}'" for s in ("full", "probationary")},
    **{
        f"occupation_{s}": f"m.occupation_status = '{s}'"
        for s in ("in_service", "retired", "unemployed", "student", "other")
    },
    "floating_out": "m.floating_status = 'out'",
    "floating_in": "m.floating_status = 'in'",
    "lost_contact": "m.lost_contact",
    "reported_in_service": "m.occupation_status = 'in_service' AND m.reported_on <= %(end)s",
    "reported_in_period": "m.reported_on BETWEEN %(start)s AND %(end)s",
    "admitted_in_period": "m.admitted_on BETWEEN %(start)s AND %(end)s",
    "age_35_and_under": "m.birth_date > %(y36)s",
    "age_36_45": "m.birth_date <= %(y36)s AND m.birth_date > %(y46)s",
    "age_46_60": "m.birth_date <= %(y46)s AND m.birth_date > %(y61)s",
    "age_61_70": "m.birth_date <= %(y61)s AND m.birth_date > %(y71)s",
    "age_71_80": "m.birth_date <= %(y71)s AND m.birth_date > %(y81)s",
    "age_over_80": "m.birth_date <= %(y81)s",
    "age_unknown": "m.birth_date IS NULL",
    "gender_male": "m.gender = 'male'",
    "gender_female": "m.gender = 'female'",
    **{
        f"education_{e}": f"m.education = '{e}'"
        for e in ("primary", "junior", "senior", "college", "bachelor", "master", "doctor")
    },
    "education_unknown": "m.education = ''",
}


def _params():
    p = {"start": PERIOD.start, "end": PERIOD.end}
    for n in (36, 46, 61, 71, 81):
        p[f"y{n}"] = PERIOD.years_before_end(n)
    return p


def _select(filters, prefix):
    return ", ".join(f"COUNT(*) FILTER (WHERE {sql}) AS {prefix}{name}" for name, sql in filters.items())


def _sql_members(per_child: bool):
    cols = _select(MEMBER_FILTERS, "")
    if per_child:
        return f"""SELECT c.id, {cols} FROM organizations_organization c
            JOIN organizations_organization b ON b.tree_id = c.tree_id AND b.lft BETWEEN c.lft AND c.rght
            JOIN members_member m ON m.branch_id = b.id AND m.status = 'active'
            WHERE c.parent_id = %(node)s GROUP BY c.id"""
    return f"""SELECT n.id, {cols} FROM organizations_organization n
        JOIN organizations_organization b ON b.tree_id = n.tree_id AND b.lft BETWEEN n.lft AND n.rght
        JOIN members_member m ON m.branch_id = b.id AND m.status = 'active'
        WHERE n.id = %(node)s GROUP BY n.id"""


def _sql_coverage(per_child: bool):
    where = "c.parent_id = %(node)s" if per_child else "c.id = %(node)s"
    return [
        f"""SELECT c.id, COUNT(k.id), COUNT(k.id) FILTER (WHERE k.branch_id IS NOT NULL), COALESCE(SUM(k.households), 0)
            FROM organizations_organization c
            JOIN organizations_organization o ON o.tree_id = c.tree_id AND o.lft BETWEEN c.lft AND c.rght
            JOIN organizations_compound k ON k.community_id = o.id WHERE {where} GROUP BY c.id""",
        f"""SELECT c.id, COUNT(*) FILTER (WHERE o.kind = 'compound_branch'),
              COUNT(*) FILTER (WHERE o.kind = 'compound_branch' AND o.formation = 'standalone'),
              COUNT(*) FILTER (WHERE o.kind = 'compound_branch' AND o.formation = 'joint'),
              COUNT(*) FILTER (WHERE o.kind = 'compound_branch' AND o.formation = 'integrated'),
              COUNT(*) FILTER (WHERE o.kind = 'building_group')
            FROM organizations_organization c
            JOIN organizations_organization o ON o.tree_id = c.tree_id AND o.lft BETWEEN c.lft AND c.rght
            WHERE {where} AND (o.dissolved_on IS NULL OR o.dissolved_on > %(end)s) GROUP BY c.id""",
        f"""SELECT c.id, COUNT(p.id) FROM organizations_organization c
            JOIN organizations_organization o ON o.tree_id = c.tree_id AND o.lft BETWEEN c.lft AND c.rght
            JOIN members_position p ON p.organization_id = o.id AND p.kind = 'central_household'
              AND p.started_on <= %(end)s AND (p.ended_on IS NULL OR p.ended_on >= %(end)s)
            WHERE {where} GROUP BY c.id""",
    ]


def _sql_venues(per_child: bool):
    where = "c.parent_id = %(node)s" if per_child else "c.id = %(node)s"
    six = " AND ".join(
        f"v.{f}" for f in ("has_place", "has_facilities", "has_sign", "has_flag", "has_books", "has_rules")
    )
    return f"""SELECT c.id, COUNT(v.id), COUNT(v.id) FILTER (WHERE {six}) FROM organizations_organization c
        JOIN organizations_organization o ON o.tree_id = c.tree_id AND o.lft BETWEEN c.lft AND c.rght
        JOIN organizations_venue v ON v.branch_id = o.id WHERE {where} GROUP BY c.id"""


def floor(sqls, node_id):
    params = {**_params(), "node": node_id}
    out = []
    with connection.cursor() as cur:
        for sql in sqls:
            cur.execute(sql, params)
            out.append(cur.fetchall())
    return out


def median_ms(fn, runs=RUNS):
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def check_overview_equal(body, rows):
    f = body["figures"]
    members = dict(zip(MEMBER_FILTERS, rows[0][0][1:], strict=True))
    for name, value in members.items():
        assert f[f"members.{name}"] == value, (name, f[f"members.{name}"], value)
    compounds, orgs, central, venues = rows[1][0][1:], rows[2][0][1:], rows[3][0][1:], rows[4][0][1:]
    assert (f["coverage.compounds"], f["coverage.compounds_with_branch"], f["coverage.households"]) == compounds
    assert (
        f["coverage.branches"],
        f["coverage.branches_standalone"],
        f["coverage.branches_joint"],
        f["coverage.branches_integrated"],
        f["coverage.building_groups"],
    ) == orgs
    assert f["coverage.central_households"] == central[0]
    assert (f["venues.venues"], f["venues.meeting_six_standards"]) == venues


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_test(urls, tokens, seconds=30, clients=10):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "API_STATS_RATE": "100000/min",
        "API_USER_RATE": "100000/min",
        "DJANGO_CONN_MAX_AGE": "60",
    }
    workers = os.environ.get("BENCH_WORKERS", str(max(2, (os.cpu_count() or 2) * 2)))
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            workers,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        latencies, errors, lock = [], [], threading.Lock()
        stop = time.monotonic() + seconds

        def client(k):
            i = k
            while time.monotonic() < stop:
                url = urls[i % len(urls)]
                i += 1
                req = urllib.request.Request(
                    f"http://127.0.0.1:{port}{url}", headers={"Authorization": f"Token {tokens[k]}"}
                )
                t0 = time.perf_counter()
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        r.read()
                        ok = r.status == 200
                except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                    ok = False
                    with lock:
                        errors.append(repr(exc))
                dt = time.perf_counter() - t0
                with lock:
                    if ok:
                        latencies.append(dt)
                    elif not errors:
                        errors.append("non-200")

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        latencies.sort()
        return {
            "requests": len(latencies) + len(errors),
            "errors": len(errors),
            "p50": latencies[len(latencies) // 2] * 1000 if latencies else None,
            "p95": latencies[int(len(latencies) * 0.95)] * 1000 if latencies else None,
            "rps": len(latencies) / seconds,
            "workers": workers,
            "first_error": errors[0] if errors else "",
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main():
    assert connection.vendor == "postgresql", "run against PostgreSQL (set DATABASE_URL)"
    district = ensure_data()
    street = Organization.objects.filter(parent=district).order_by("lft").first()
    token = user_with_token("bench_stats", district)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    cases = [
        ("overview, whole district", {"org": district.pk}, "overview", False, district),
        ("overview, one street", {"org": street.pk}, "overview", False, street),
        (
            "breakdown per street, metric=members",
            {"org": district.pk, "metric": "members"},
            "breakdown",
            True,
            district,
        ),
        (
            "breakdown per street, metric=coverage",
            {"org": district.pk, "metric": "coverage"},
            "breakdown",
            True,
            district,
        ),
    ]
    print(
        f"Data: {Organization.objects.filter(tree_id=district.tree_id).count()} organizations, "
        f"{Member.objects.filter(branch__tree_id=district.tree_id, status='active').count()} active members, "
        f"period {PERIOD.start} – {PERIOD.end}.\n"
    )
    print("| request | ours (test client) | queries | raw SQL floor | ratio |")
    print("|---|---|---|---|---|")
    for title, params, kind, _per_child, node in cases:
        url = f"/api/v1/stats/{kind}/"

        def ours(url=url, params=params):
            r = client.get(url, {**params, **Q})
            assert r.status_code == 200, r.content
            return r.json()

        if kind == "overview":
            sqls = [_sql_members(False), *_sql_coverage(False), _sql_venues(False)]
            check_overview_equal(ours(), floor(sqls, node.pk))
        elif params["metric"] == "members":
            sqls = [_sql_members(True)]
            body, rows = ours(), floor(sqls, node.pk)[0]
            by_id = {row["organization"]["id"]: row["values"] for row in body["rows"]}
            for row in rows:
                for name, value in zip(MEMBER_FILTERS, row[1:], strict=True):
                    assert by_id[row[0]][f"members.{name}"] == value
        else:
            sqls = _sql_coverage(True)
            body, rows = ours(), floor(sqls, node.pk)
            by_id = {row["organization"]["id"]: row["values"] for row in body["rows"]}
            for cid, n, covered, _h in rows[0]:
                assert (by_id[cid]["coverage.compounds"], by_id[cid]["coverage.compounds_with_branch"]) == (n, covered)
        # The test client resets connection.queries at each request; count with a wrapper instead.
        executed = []
        with connection.execute_wrapper(lambda execute, sql, *a, log=executed: log.append(sql) or execute(sql, *a)):
            ours()
        ours_ms = median_ms(ours)
        floor_ms = median_ms(lambda sqls=sqls, node=node: floor(sqls, node.pk))
        print(
            f"| {title} | {ours_ms:.1f} ms | {len(executed)} | {floor_ms:.1f} ms "
            f"({len(sqls)} statements) | {ours_ms / floor_ms:.2f} |"
        )

    tokens = [user_with_token(f"bench_load_{k}", district) for k in range(10)]
    q = f"from={Q['from']}&to={Q['to']}"
    urls = [
        f"/api/v1/stats/overview/?org={district.pk}&{q}",
        f"/api/v1/stats/overview/?org={street.pk}&{q}",
        f"/api/v1/stats/breakdown/?org={district.pk}&metric=members&{q}",
        f"/api/v1/stats/breakdown/?org={district.pk}&metric=coverage&{q}",
    ]
    result = load_test(urls, tokens, seconds=int(os.environ.get("BENCH_SECONDS", "30")))
    print()
    print("| load test (gunicorn, loopback) | value |")
    print("|---|---|")
    print(
        f"| clients × duration | 10 × {os.environ.get('BENCH_SECONDS', '30')} s, gunicorn {result['workers']} workers |"
    )
    print(f"| requests (4 stats URLs in turn) | {result['requests']} ({result['rps']:.1f}/s) |")
    print(f"| p50 / p95 | {result['p50']:.0f} ms / {result['p95']:.0f} ms |")
    print(f"| errors | {result['errors']} {result['first_error']} |")


if __name__ == "__main__":
    main()
