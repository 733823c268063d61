"""A short, bounded run of bench/load.py against gunicorn: 20 clients, zero errors, the data
afterwards equal what was written (the 60-second figures are in docs/benchmarks/prod.md)."""

import sys

import pytest

from tests.prod import stack

pytestmark = [pytest.mark.stack, pytest.mark.slow]

sys.path.insert(0, str(stack.BASE_DIR / "bench"))


def test_twenty_clients_zero_errors_data_equal(prod_database, shared_redis, tmp_path):
    import load

    _dbname, db_url = prod_database
    port = stack.free_port()
    web = stack.Proc(
        stack.gunicorn_cmd(port, workers=2), stack.stack_env(db_url, shared_redis, DJANGO_CONN_MAX_AGE=600),
        tmp_path / "web.log",
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        stack.Http(url).wait_healthy(timeout=60, proc=web)
        result = load.run(url, load.login(url, "qu_admin", stack.DEMO_PASSWORD), clients=20, duration=8)
    finally:
        web.stop()
    assert result["errors"] == 0, result["error_samples"]
    assert result["mismatches"] == 0
    assert result["compounds_written"] > 0 and result["by_kind"]["write"]["count"] > 0
    assert '" 500 ' not in web.log()
