"""A real Celery worker (solo pool) on Redis against the test database, for the ``worker`` tests:
``with running_worker(redis_db, "name", **env) as client: client.send_task(...)``. Skips (or
fails in CI) without PostgreSQL or Redis; the worker is always stopped, within bounds."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]


def redis_url(db: int) -> str:
    base = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    return base.rsplit("/", 1)[0] + f"/{db}"


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def require_postgres_and_redis(db: int) -> None:
    if connection.vendor != "postgresql":
        skip_or_fail("the worker test needs PostgreSQL (DATABASE_URL)")
    try:
        import redis

        redis.Redis.from_url(redis_url(db), socket_connect_timeout=1).flushdb()
    except Exception:  # noqa: BLE001 - any failure means no usable Redis
        skip_or_fail("Redis is not reachable")


@contextlib.contextmanager
def running_worker(db: int, name: str, **extra_env):
    """Start the worker, wait (60 s at most) until it answers a ping, yield a Celery client."""
    from celery import Celery

    require_postgres_and_redis(db)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url(db),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_LOG_LEVEL": "WARNING",
        **{k: str(v) for k, v in extra_env.items()},
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--loglevel=WARNING", "-n", f"{name}-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    # not the current app: the project's own (config.celery) stays the one shared tasks bind to
    client = Celery(broker=redis_url(db), backend=redis_url(db), set_as_current=False)
    try:
        deadline = time.monotonic() + 60
        while not client.control.ping(timeout=1):
            assert worker.poll() is None, worker.stdout.read().decode(errors="replace")
            assert time.monotonic() < deadline, "worker did not start within 60 s"
        yield client
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        client.close()
