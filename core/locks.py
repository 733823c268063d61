"""PostgreSQL advisory lock keys, one enum for the whole project. Never renumber a key."""

import enum

from django.db import connection


class LockKey(enum.IntEnum):
    ORGANIZATION_TREE = 730_001
    SCORING = 730_002
    POINTS = 730_003
    REMINDERS = 730_004


def advisory_xact_lock(key: LockKey, sub_key: int | None = None) -> None:
    """Take a transaction-scoped advisory lock (released at commit/rollback).

    Must be called inside ``transaction.atomic``. A no-op on SQLite, where writes are already
    serialized by the database file lock.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if sub_key is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(key)])
        else:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [int(key), int(sub_key)])
