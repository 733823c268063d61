"""The backup and restore drill on the demo data: dump, restore into a fresh database, row
counts and checksums equal (scripts/backup_drill.sh)."""

import shutil
import subprocess

import pytest

from tests.conftest import skip_or_fail
from tests.prod import stack

pytestmark = [pytest.mark.stack]


def test_backup_drill_restores_an_identical_database(prod_database, tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        skip_or_fail("PostgreSQL client tools (pg_dump, pg_restore, psql) are not installed")
    dbname, db_url = prod_database
    result = subprocess.run(
        ["bash", "scripts/backup_drill.sh", db_url, str(tmp_path / "backups")],
        cwd=stack.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "OK:" in out
    assert "organizations_organization:" in out and "organizations_auditentry:" in out
    organizations = stack.query(dbname, "SELECT count(*) FROM organizations_organization")[0][0]
    assert f"organizations_organization: {organizations}:" in out
    assert list((tmp_path / "backups").glob(f"{dbname}-*.dump"))
    # the restored copy is dropped after the drill
    leftovers = stack.query("postgres", "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{dbname}_drill_%"])
    assert leftovers == []


def test_backup_drill_fails_on_a_difference(prod_database, tmp_path):
    """A drill that cannot dump its source fails (non-zero exit), never reports OK."""
    _dbname, db_url = prod_database
    result = subprocess.run(
        ["bash", "scripts/backup_drill.sh", db_url + "_does_not_exist", str(tmp_path)],
        cwd=stack.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
