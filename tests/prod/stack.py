"""Helpers to run the real stack (gunicorn, Celery, Redis, PostgreSQL) from tests, bounded.

Every process is started in its own session (process group) and stopped by that group's id;
nothing here touches a process it did not start. PostgreSQL databases and the Redis db number
are the tests' own; a fault test that stops Redis starts a PRIVATE redis-server on another port.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
STACK_REDIS_DB = 11  # this topic's own Redis db number on the shared server
DEMO_PASSWORD = "Dangjian@2026"


def pg_url(dbname: str) -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{dbname}"


def base_db_name() -> str:
    url = os.environ.get("DATABASE_URL", "")
    name = url.rsplit("/", 1)[-1] if url.startswith("postgres") else "pb_local"
    return name or "pb_local"


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def pg_admin():
    import psycopg2

    conn = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", connect_timeout=5)
    conn.autocommit = True
    return conn


def _admin_sql(*statements: tuple[str, list]) -> None:
    conn = pg_admin()
    try:
        with conn.cursor() as cur:
            for sql, params in statements:
                cur.execute(sql, params)
    finally:
        conn.close()


def terminate_sql(name: str) -> tuple[str, list]:
    return (
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
        [name],
    )


def recreate_database(name: str) -> None:
    _admin_sql(terminate_sql(name), (f'DROP DATABASE IF EXISTS "{name}"', []), (f'CREATE DATABASE "{name}"', []))


def drop_database(name: str) -> None:
    _admin_sql(terminate_sql(name), (f'DROP DATABASE IF EXISTS "{name}"', []))


def query(dbname: str, sql: str, params=()):
    import psycopg2

    conn = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, connect_timeout=5)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if cur.description else None
    finally:
        conn.close()


def stack_env(database_url: str, redis_url: str, **extra) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    env.update(
        {
            "PATH": f"{BIN}:{env.get('PATH', '/usr/bin:/bin')}",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "stack-test-" + "k" * 60,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_TRUSTED_PROXY_COUNT": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PII_ENCRYPTION_KEYS": "Zm9yLWRldmVsb3BtZW50LW9ubHktMzJieXRlcy1rZXk=",
            "PII_HASH_KEY": "stack-test-hash-key",
            "WEB_CONCURRENCY": "2",
            "CELERY_CONCURRENCY": "1",
            "API_USER_RATE": "100000/min",
            # The drills log in the demo district administrator with a password through the token
            # endpoint; two-factor login has its own tests (tests/access/test_two_factor.py).
            "TWO_FACTOR_ENFORCE": "false",
        }
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env: dict, *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A process group we started, with its output in a log file."""

    def __init__(self, cmd: list[str], env: dict, log_path: Path, cwd: Path = BASE_DIR):
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self.popen = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def group_alive(self) -> bool:
        try:
            os.killpg(self.popen.pid, 0)
            return True
        except ProcessLookupError:
            return False

    def send(self, sig) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)

    def kill_group(self) -> None:
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(timeout=10)

    def stop(self, sig=signal.SIGTERM, timeout: float = 30) -> int | None:
        """Ask the group to stop; SIGKILL it after ``timeout``. Returns the leader's exit code."""
        try:
            os.killpg(self.popen.pid, sig) if sig != signal.SIGINT else self.popen.send_signal(sig)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (self.popen.poll() is None or self.group_alive()):
            time.sleep(0.2)
        code = self.popen.poll()
        if code is None or self.group_alive():
            self.kill_group()
        self._log.close()
        return code


class Http:
    """A tiny JSON client for the stack: every request says it came through the TLS proxy."""

    def __init__(self, base_url: str, token: str | None = None):
        self.base_url = base_url
        self.token = token

    def request(self, method: str, path: str, data=None, headers=None, timeout: float = 30):
        body = json.dumps(data).encode() if data is not None else None
        return self.request_raw(method, path, body, "application/json", headers=headers, timeout=timeout)

    def request_raw(self, method: str, path: str, body: bytes | None, content_type: str, headers=None, timeout=30):
        """``request`` with a body already encoded (e.g. multipart with a file)."""
        req = urllib.request.Request(self.base_url + path, data=body, method=method)
        req.add_header("X-Forwarded-Proto", "https")
        req.add_header("Accept", "application/json")
        if body is not None:
            req.add_header("Content-Type", content_type)
        if self.token:
            req.add_header("Authorization", f"Token {self.token}")
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw, status, resp_headers = resp.read(), resp.status, dict(resp.headers)
        except urllib.error.HTTPError as exc:
            raw, status, resp_headers = exc.read(), exc.code, dict(exc.headers)
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode(errors="replace")
        return status, payload, resp_headers

    def login(self, username: str, password: str = DEMO_PASSWORD) -> str:
        status, payload, _ = self.request("POST", "/api/v1/auth/token/", {"username": username, "password": password})
        assert status == 200, payload
        self.token = payload["token"]
        return self.token

    def wait_healthy(self, timeout: float = 60, proc: Proc | None = None) -> None:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if proc is not None and proc.popen.poll() is not None:
                raise AssertionError(f"process exited early:\n{proc.log()[-4000:]}")
            try:
                status, payload, _ = self.request("GET", "/healthz", timeout=3)
                if status == 200:
                    return
                last = (status, payload)
            except OSError as exc:
                last = exc
            time.sleep(0.3)
        raise AssertionError(f"not healthy after {timeout}s: {last}\n{proc.log()[-4000:] if proc else ''}")


def wait_for(predicate, timeout: float, interval: float = 0.3, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s: {message}")


def gunicorn_cmd(port: int, workers: int = 2) -> list[str]:
    return [
        str(BIN / "gunicorn"),
        "config.wsgi",
        "-c",
        "config/gunicorn.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
    ]


def worker_cmd() -> list[str]:
    return [str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "INFO", "--concurrency", "1",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
