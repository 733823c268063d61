"""A real Celery worker (solo pool) on Redis runs the scoring task against the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from organizations.models import BranchScore
from tests.conftest import skip_or_fail
from tests.scoring.conftest import Q3, build_world

REDIS_DB = 5  # this suite's own Redis database number
ROOT = Path(__file__).resolve().parents[2]


def _redis_url() -> str:
    base = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    return base.rsplit("/", 1)[0] + f"/{REDIS_DB}"


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_scores_branches():
    if connection.vendor != "postgresql":
        skip_or_fail("the worker test needs PostgreSQL (DATABASE_URL)")
    try:
        import redis

        redis.Redis.from_url(_redis_url(), socket_connect_timeout=1).flushdb()
    except Exception:  # noqa: BLE001 - any failure means no usable Redis
        skip_or_fail("Redis is not reachable")
    from celery import Celery

    world = build_world()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": _redis_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            "-n",
            f"scoring-test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    client = Celery(broker=_redis_url(), backend=_redis_url())
    try:
        deadline = time.monotonic() + 60
        while not client.control.ping(timeout=1):
            assert worker.poll() is None, worker.stdout.read().decode(errors="replace")
            assert time.monotonic() < deadline, "worker did not start within 60 s"
        result = client.send_task("organizations.score_branches", kwargs={"period": Q3})
        assert result.get(timeout=90) == {"period": Q3, "branches": 2, "removed": 0}
        score = BranchScore.objects.get(branch=world["branch_a"], period=Q3)
        assert str(score.total) == "58.9"  # the hand numbers of test_scoring.EXPECTED
        assert BranchScore.objects.filter(period=Q3).count() == 2
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        client.close()
