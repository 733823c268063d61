"""Fault drills on loopback, each bounded: the broker (a PRIVATE Redis) stops under a running
app; the database cuts the app's connections; a worker dies mid-task."""

import signal
import subprocess
import sys
import uuid

import pytest

from tests.prod import stack

pytestmark = [pytest.mark.stack, pytest.mark.slow]


def test_redis_stopped_pages_and_api_keep_working(prod_database, private_redis, tmp_path):
    _dbname, db_url = prod_database
    redis_url, redis_proc = private_redis
    port = stack.free_port()
    web = stack.Proc(stack.gunicorn_cmd(port, workers=1), stack.stack_env(db_url, redis_url), tmp_path / "web.log")
    try:
        http = stack.Http(f"http://127.0.0.1:{port}")
        http.wait_healthy(timeout=60, proc=web)
        http.login("qu_admin")
        status, payload, _ = http.request("POST", "/api/v1/ops/probe/", {"key": "before-outage", "value": 1})
        assert status == 202, payload  # queued while Redis is up

        redis_proc.stop()  # our private Redis only
        assert not stack.port_open("127.0.0.1", int(redis_url.rsplit(":", 1)[1].split("/")[0]))

        for path in ("/healthz", "/api/v1/organizations/", "/api/v1/compounds/?page_size=5", "/admin/login/"):
            status, _body, _ = http.request("GET", path)
            assert status == 200, (path, status)
        status, created, _ = http.request(
            "POST", "/api/v1/compounds/", {"name": "断网小区", "community": _community(http)}
        )
        assert status == 201, created
        fresh = stack.Http(http.base_url)
        fresh.login("qu_admin")  # logging in needs no Redis (sessions and lockouts are in the database)

        status, payload, _ = http.request("POST", "/api/v1/ops/probe/", {"key": "during-outage", "value": 2})
        assert status == 503, payload  # a clear refusal, never a 500
        assert payload["code"] == "queue_unavailable"
        assert "任务队列暂时不可用" in payload["detail"]
    finally:
        web.stop()
    log = web.log()
    assert "could not be sent to the broker" in log  # the failure is logged
    assert '" 500 ' not in log


def _community(http):
    status, orgs, _ = http.request("GET", "/api/v1/organizations/?kind=community_committee&page_size=1")
    assert status == 200
    return orgs["results"][0]["id"]


def test_database_connections_cut_the_app_reconnects(prod_database, shared_redis, tmp_path):
    dbname, db_url = prod_database
    port = stack.free_port()
    env = stack.stack_env(db_url, shared_redis, DJANGO_CONN_MAX_AGE=600)
    web = stack.Proc(stack.gunicorn_cmd(port, workers=2), env, tmp_path / "web.log")
    try:
        http = stack.Http(f"http://127.0.0.1:{port}")
        http.wait_healthy(timeout=60, proc=web)
        http.login("qu_admin")
        for _ in range(10):  # warm up persistent connections in both workers
            assert http.request("GET", "/api/v1/organizations/?page_size=5")[0] == 200
        killed = stack.query(
            "postgres",
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [dbname],
        )[0][0]
        assert killed >= 1  # the app's persistent connections are gone
        statuses = [http.request("GET", "/api/v1/organizations/?page_size=5")[0] for _ in range(20)]
        assert statuses == [200] * 20
        status, _, _ = http.request(
            "POST", "/api/v1/compounds/", {"name": f"重连小区-{uuid.uuid4().hex[:6]}", "community": _community(http)}
        )
        assert status == 201
    finally:
        web.stop()
    assert '" 500 ' not in web.log()


def test_worker_killed_mid_task_the_task_reruns_and_applies_once(prod_database, shared_redis, tmp_path):
    dbname, db_url = prod_database
    # A short visibility timeout so the redelivery of the dead worker's message is quick.
    env = stack.stack_env(db_url, shared_redis, CELERY_VISIBILITY_TIMEOUT=3)
    first = stack.Proc(stack.worker_cmd(), env, tmp_path / "worker1.log")
    key = f"kill-{uuid.uuid4().hex[:8]}"
    try:
        stack.wait_for(lambda: "ready." in first.log(), 60, message="first worker ready")
        send = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             f"from core.health import probe; probe.apply_async(args=['{key}', 7, 120])"],
            cwd=stack.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert send.returncode == 0, send.stderr
        stack.wait_for(
            lambda: stack.query(dbname, "SELECT attempts FROM organizations_taskprobe WHERE key = %s", [key]) == [(1,)],
            60,
            message="task started",
        )
        first.kill_group()  # SIGKILL the whole worker mid-task: no ack, no cleanup
    finally:
        first.stop(timeout=5)
    # The dead worker's message stays in Redis' unacked set; a worker restores it once it is
    # older than the visibility timeout. Start the second worker only when that is true, so the
    # redelivery does not hinge on how fast the machine is.
    import time

    import redis

    client = redis.Redis.from_url(shared_redis)
    stack.wait_for(lambda: client.zcard("unacked_index") > 0, 30, message="message left unacked")
    stack.wait_for(
        lambda: min(score for _m, score in client.zrange("unacked_index", 0, 0, withscores=True)) + 4 < time.time(),
        30,
        message="unacked message older than the visibility timeout",
    )
    second = stack.Proc(stack.worker_cmd(), env, tmp_path / "worker2.log")
    try:
        row = stack.wait_for(
            lambda: stack.query(
                dbname,
                "SELECT attempts, completions, result FROM organizations_taskprobe WHERE key = %s AND completions > 0",
                [key],
            ),
            90,
            message="task re-run by the second worker",
        )
    finally:
        second.stop(signal.SIGTERM, timeout=20)
    attempts, completions, result = row[0]
    assert attempts == 2 and completions == 1 and result == 7
    assert stack.query(dbname, "SELECT count(*) FROM organizations_taskprobe WHERE key = %s", [key]) == [(1,)]
