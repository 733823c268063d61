"""Fixtures of the production-readiness tests: a PostgreSQL database of their own with the demo
district, migrated and with static files collected for the production settings."""

import shutil

import pytest

from tests.conftest import skip_or_fail
from tests.prod import stack


@pytest.fixture(scope="session")
def prod_database():
    """``<test db>_prod``: migrated with the production settings, the demo seeded, static files
    collected. Yields ``(dbname, database_url)``; dropped at the end of the session."""
    if not stack.port_open(stack.PG_HOST, stack.PG_PORT):
        skip_or_fail("PostgreSQL is not answering on 127.0.0.1:5432")
    name = f"{stack.base_db_name()}_prod"
    stack.recreate_database(name)
    env = stack.stack_env(stack.pg_url(name), f"redis://127.0.0.1:6379/{stack.STACK_REDIS_DB}")
    stack.manage(env, "migrate", "--noinput")
    stack.manage(env, "seed_demo")
    stack.manage(env, "collectstatic", "--noinput")
    yield name, stack.pg_url(name)
    stack.drop_database(name)


@pytest.fixture
def shared_redis():
    """The machine's Redis, db 11 (this topic's own number), flushed before use."""
    if not stack.port_open("127.0.0.1", 6379):
        skip_or_fail("Redis is not answering on 127.0.0.1:6379")
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=stack.STACK_REDIS_DB)
    client.flushdb()
    yield f"redis://127.0.0.1:6379/{stack.STACK_REDIS_DB}"
    client.flushdb()


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of our own on a free port (the fault test stops it; the shared one is
    never touched). Yields ``(url, Proc)``."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("redis-server is not installed")
    port = stack.free_port()
    proc = stack.Proc(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        env={"PATH": "/usr/bin:/bin"},
        log_path=tmp_path / "redis.log",
    )
    stack.wait_for(lambda: stack.port_open("127.0.0.1", port), 15, message="private redis")
    yield f"redis://127.0.0.1:{port}/0", proc
    proc.stop()
