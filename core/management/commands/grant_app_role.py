"""Give the application's database role what it needs and no more (PostgreSQL).

Run by the owner role (the one that runs ``migrate``) after every migration::

    DATABASE_URL=postgres://partybuilding_owner@db/partybuilding manage.py grant_app_role partybuilding_app

The application role gets SELECT/INSERT/UPDATE/DELETE on the tables and the sequences, except
on the append-only logs (the audit trail, the personal-data access log, django_admin_log:
``core.audit.registry.APPEND_ONLY_MODELS``), where it may only INSERT and SELECT. Not owning
the tables, it can never TRUNCATE them, ALTER them or DISABLE their triggers. The retention
purge runs through ``core_audit_purge(days)`` (SECURITY DEFINER, refuses fewer than 180 days).
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.audit.registry import APPEND_ONLY_MODELS


def append_only_tables() -> list[str]:
    tables = []
    for label in sorted(APPEND_ONLY_MODELS):
        try:
            tables.append(apps.get_model(label)._meta.db_table)
        except LookupError:  # an app not installed in this deployment
            continue
    return tables


def grant_statements(role: str) -> list[str]:
    quote = connection.ops.quote_name
    who = quote(role)
    protected = ", ".join(quote(t) for t in append_only_tables())
    return [
        f"GRANT USAGE ON SCHEMA public TO {who}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {who}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {protected} FROM {who}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {protected} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION core_audit_purge(integer) TO {who}",
    ]


class Command(BaseCommand):
    help = "Grant the application database role its privileges; the append-only logs stay insert-only."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the application's PostgreSQL role (it must not own the tables)")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL (SQLite has no roles).")
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolname FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"No such role: {role}")
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s", [role])
            if cursor.fetchone()[0]:
                raise CommandError(f"{role} owns tables: the application role must not own them.")
            for statement in grant_statements(role):
                cursor.execute(statement)
        self.stdout.write(f"Granted {role}: {len(append_only_tables())} append-only tables protected.")
