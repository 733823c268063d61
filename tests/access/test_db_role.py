"""In production the application connects as a role that does not own the tables: it may write
the append-only logs but never rewrite, delete, truncate or alter them (PostgreSQL only)."""

import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from core import audit
from core.models import AuditEntry

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")

PROTECTED = ("organizations_auditentry", "members_sensitiveaccesslog", "django_admin_log")


@pytest.fixture
def app_role(db):
    """A fresh non-owner role with the grants of ``manage.py grant_app_role`` (created inside the
    test transaction, so it disappears with it)."""
    name = f"pb_app_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" NOLOGIN')
    call_command("grant_app_role", name, stdout=open("/dev/null", "w"))
    return name


def _as(role, sql, params=None):
    """Run ``sql`` as ``role`` in a savepoint; returns None or the database error."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'SET LOCAL ROLE "{role}"')
            cursor.execute(sql, params)
            cursor.execute("RESET ROLE")
    except DatabaseError as exc:
        return exc
    return None


@pytest.mark.parametrize("table", PROTECTED)
def test_app_role_cannot_truncate_delete_update_or_alter_the_logs(app_role, table):
    for sql in (
        f"TRUNCATE {table}",
        f"DELETE FROM {table}",
        f"UPDATE {table} SET id = id",
        f"ALTER TABLE {table} DISABLE TRIGGER USER",
        f"ALTER TABLE {table} DISABLE TRIGGER ALL",
        f"DROP TABLE {table}",
    ):
        error = _as(app_role, sql)
        assert error is not None, sql
        assert "permission denied" in str(error) or "must be owner" in str(error), (sql, str(error))


def test_app_role_still_writes_entries_and_the_domain(app_role, tree):
    assert (
        _as(
            app_role,
            "INSERT INTO organizations_auditentry (at, username, model, object_id, object_repr, action, changes, request_id, source) VALUES (now(), 'x', 'x.y', '1', '', 'create', '{}', '', 'test')",
        )
        is None
    )
    assert _as(app_role, "SELECT count(*) FROM organizations_auditentry") is None
    assert _as(app_role, "UPDATE organizations_organization SET name = name") is None
    assert _as(app_role, "DELETE FROM organizations_compound WHERE false") is None


def test_retention_purge_runs_for_the_app_role_through_the_definer_function(app_role):
    import datetime

    from django.utils import timezone

    old = AuditEntry.objects.create(
        model="x.y", object_id="1", action="update", at=timezone.now() - datetime.timedelta(days=400)
    )
    recent = AuditEntry.objects.create(model="x.y", object_id="2", action="update")
    assert _as(app_role, "SELECT core_audit_purge(179)") is not None  # below the minimum
    assert _as(app_role, "SELECT core_audit_purge(180)") is None
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert audit.purge_older_than(180) == 0


def test_grant_refuses_a_role_that_owns_the_tables(db):
    from django.core.management.base import CommandError

    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'organizations_auditentry'")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError):
        call_command("grant_app_role", owner)
