"""The real stack from the Procfile (gunicorn + Celery worker + beat under honcho) against the
machine's PostgreSQL and Redis: log in over HTTP, write and read through the API, run a task
through the worker, stop cleanly. Every wait is bounded.

At merge time (domain apps present) add: record a meeting through ``/api/v1/meetings/`` and
trigger scoring (``celery -A config call`` of the scoring task) — see ``MERGE_STEPS`` below.
"""

import signal
import uuid

import pytest

from tests.prod import stack

pytestmark = [pytest.mark.stack, pytest.mark.slow]


def test_procfile_stack_serves_api_runs_tasks_and_stops_cleanly(prod_database, shared_redis, tmp_path):
    dbname, db_url = prod_database
    port = stack.free_port()
    env = stack.stack_env(db_url, shared_redis)
    honcho = stack.Proc(
        [str(stack.BIN / "honcho"), "start", "-f", "Procfile", "-p", str(port)], env, tmp_path / "honcho.log"
    )
    try:
        http = stack.Http(f"http://127.0.0.1:{port}")
        http.wait_healthy(timeout=90, proc=honcho)
        http.login("qu_admin")

        # static files through whitenoise (collected, hashed, compressed)
        status, _body, headers = http.request("GET", "/static/admin/css/base.css")
        assert status == 200

        # create and read data through the API
        status, orgs, _ = http.request("GET", "/api/v1/organizations/?kind=community_committee")
        assert status == 200 and orgs["count"] > 0
        community = orgs["results"][0]["id"]
        name = f"栈测试小区-{uuid.uuid4().hex[:6]}"
        status, created, _ = http.request("POST", "/api/v1/compounds/", {"name": name, "community": community})
        assert status == 201, created
        status, read, headers = http.request("GET", f"/api/v1/compounds/{created['id']}/")
        assert status == 200 and read["name"] == name
        status, _, _ = http.request(
            "PATCH", f"/api/v1/compounds/{created['id']}/", {"households": 321}, headers={"If-Match": headers["ETag"]}
        )
        assert status == 200
        assert stack.query(dbname, "SELECT households FROM organizations_compound WHERE id = %s", [created["id"]]) == [
            (321,)
        ]
        audit = stack.query(
            dbname,
            "SELECT username, action FROM organizations_auditentry WHERE model = 'organizations.compound' "
            "AND object_id = %s ORDER BY id",
            [str(created["id"])],
        )
        assert audit == [("qu_admin", "create"), ("qu_admin", "update")]

        # a task through the broker and the worker, result checked in the database
        key = f"stack-{uuid.uuid4().hex[:8]}"
        status, payload, _ = http.request("POST", "/api/v1/ops/probe/", {"key": key, "value": 42})
        assert status == 202, payload
        row = stack.wait_for(
            lambda: stack.query(
                dbname,
                "SELECT result, completions FROM organizations_taskprobe WHERE key = %s AND completions > 0",
                [key],
            ),
            timeout=60,
            message=f"probe task not run by the worker\n{honcho.log()[-3000:]}",
        )
        assert row == [(42, 1)]

        # beat is up with the database scheduler
        stack.wait_for(lambda: "DatabaseScheduler" in honcho.log() or "beat: Starting" in honcho.log(), 30)
        http.redis_url = shared_redis
        for step in MERGE_STEPS:
            step(http, dbname)
    finally:
        code = honcho.stop(signal.SIGINT, timeout=40)
    log = honcho.log()
    assert code is not None, "honcho did not stop within 40 s"
    assert "Traceback" not in log, log[-5000:]
    for process in ("web.1", "worker.1", "beat.1"):
        assert process in log


def record_meeting_and_score(http, dbname):
    """A branch secretary records a 主题党日 over HTTP; scoring runs in the worker (sent through
    the broker with ``celery call``) and its result lands in PostgreSQL."""
    import datetime as dt
    import os
    import subprocess

    secretary = stack.Http(http.base_url)
    secretary.login("huacheng_secretary")
    branch_id, member_ids = None, []
    rows = stack.query(
        dbname,
        "SELECT o.id, m.id FROM organizations_organization o JOIN members_member m ON m.branch_id = o.id "
        "WHERE o.code = 'NA-HYL-JH-HC' AND m.status = 'active' ORDER BY m.id",
    )
    branch_id, member_ids = rows[0][0], [r[1] for r in rows]
    held = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).isoformat()
    payload = {
        "organization": branch_id,
        "kind": "theme_day",
        "held_at": held,
        "topic": f"栈测试主题党日-{uuid.uuid4().hex[:6]}",
        "attendance": [{"member": pk, "status": "present"} for pk in member_ids],
        "dedup_key": uuid.uuid4().hex,
    }
    status, body, _ = secretary.request("POST", "/api/v1/meetings/", payload)
    assert status == 201, body
    assert stack.query(dbname, "SELECT count(*) FROM members_attendance WHERE meeting_id = %s", [body["id"]]) == [
        (len(member_ids),)
    ]
    today = dt.date.today()
    period = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    stack.query(dbname, "DELETE FROM organizations_branchscore WHERE period = %s", [period])
    env = dict(os.environ, **stack.stack_env(stack.pg_url(dbname), http.redis_url))
    subprocess.run(
        [str(stack.BIN / "celery"), "-A", "config", "call", "organizations.score_branches", "--args", f'["{period}"]'],
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
    )
    scored = stack.wait_for(
        lambda: stack.query(
            dbname,
            "SELECT count(*) FROM organizations_branchscore s JOIN organizations_organization o ON o.id = s.branch_id "
            "WHERE s.period = %s AND o.code = 'NA-HYL-JH-HC'",
            [period],
        )[0][0],
        timeout=90,
        message="the worker did not score the period",
    )
    assert scored == 1


MERGE_STEPS: list = [record_meeting_and_score]
