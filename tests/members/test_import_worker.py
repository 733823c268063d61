"""A real Celery worker (solo pool) on Redis checks and then saves a roster import job against the
test database, reading the stashed file from the same storage the web process wrote it to."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.jobs import FileJob, JobStatus
from members.models import Member
from members.roster import jobs
from organizations.models import Role
from tests.conftest import skip_or_fail
from tests.factories import make_tree, make_user
from tests.members.helpers import good_rows, roster_csv

REDIS_DB = 13  # this suite's own Redis database number
ROOT = Path(__file__).resolve().parents[2]


def _redis_url() -> str:
    base = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    return base.rsplit("/", 1)[0] + f"/{REDIS_DB}"


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _job(user, token: str, *, dry_run: bool) -> FileJob:
    # What jobs.start_import_job creates; sent to the real worker below instead of run eagerly.
    params = {"token": token, "filename": "名册.csv", "update": False, "dry_run": dry_run}
    return FileJob.objects.create(user=user, kind=jobs.IMPORT_KIND, title="名册导入", params=params, total=3)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_checks_then_saves_an_import_job():
    if connection.vendor != "postgresql":
        skip_or_fail("the worker test needs PostgreSQL (DATABASE_URL)")
    try:
        import redis

        redis.Redis.from_url(_redis_url(), socket_connect_timeout=1).flushdb()
    except Exception:  # noqa: BLE001 - any failure means no usable Redis
        skip_or_fail("Redis is not reachable")
    from celery import Celery

    tree = make_tree()
    user = make_user("staff_a", tree["community_a"], Role.COMMUNITY_STAFF)
    token = jobs.write_stash(roster_csv(good_rows(tree["branch_a"], 5)))
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": _redis_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--loglevel=WARNING", "-n", f"import-test-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    client = Celery(broker=_redis_url(), backend=_redis_url())
    try:
        deadline = time.monotonic() + 60
        while not client.control.ping(timeout=1):
            assert worker.poll() is None, worker.stdout.read().decode(errors="replace")
            assert time.monotonic() < deadline, "worker did not start within 60 s"
        check = _job(user, token, dry_run=True)
        client.send_task("members.import_roster", args=[check.pk]).get(timeout=90)
        check.refresh_from_db()
        assert check.status == JobStatus.DONE, check.error
        assert (check.params["read"], check.params["validated"]) == (5, 5) and check.params["report"]["ok"]
        assert not Member.objects.exists()

        save = _job(user, token, dry_run=False)
        client.send_task("members.import_roster", args=[save.pk]).get(timeout=90)
        save.refresh_from_db()
        assert save.status == JobStatus.DONE and save.params["saved"] == 5
        assert Member.objects.filter(branch=tree["branch_a"]).count() == 5
        assert jobs.read_stash(token) is None
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        client.close()
