"""The retention purge as a SECURITY DEFINER function owned by the migration (owner) role, so the
application role — which has no DELETE on the audit table — can still apply the retention policy
and nothing more: entries younger than 180 days are never deleted (the row trigger of
organizations 0004 refuses them too)."""

from django.db import migrations

PURGE_SQL = """
CREATE OR REPLACE FUNCTION core_audit_purge(days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    deleted bigint;
BEGIN
    IF days < 180 THEN
        RAISE EXCEPTION 'audit entries are kept for at least 180 days';
    END IF;
    DELETE FROM organizations_auditentry WHERE at < now() - make_interval(days => days);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$;
REVOKE ALL ON FUNCTION core_audit_purge(integer) FROM PUBLIC;
"""
DROP_SQL = "DROP FUNCTION IF EXISTS core_audit_purge(integer);"


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PURGE_SQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_secaudit_account_state")]

    operations = [migrations.RunPython(install, drop)]
