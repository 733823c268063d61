"""Cached figures: the overview, breakdown and trend payloads keyed by (scope node, period,
language, data version).

The data version is a token in the cache that every audited write replaces. Every write of the
project is audited, per row (``core.audit.trail.record``) or in bulk (``audit_bulk``), and both
end in one ``AuditEntry`` insert, so one ``post_save`` hook on that model covers them all (tree
moves, imports, archiving included). The token is replaced at once (the writing request reads
fresh figures) and again when the transaction commits (a reader that computed from the
pre-commit snapshot in between stored its figures under a token nobody asks for any more).

The key names the node the caller resolved inside the user's scope (``resolve_node``), and the
payloads depend on nothing else of the user, so two users of different subtrees never share an
entry unless they ask for the same node. Redis in production (``REDIS_URL``), local memory in the
embedded default: both are Django's cache.
"""

from __future__ import annotations

import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

VERSION_KEY = "figures:data-version"
# A safety net only: entries are invalidated by the version, not by age.
TIMEOUT = 15 * 60
# How long others wait for one request computing the same entry, and how often they look.
LOCK_SECONDS = 20
WAIT_STEP = 0.05


def data_version() -> str:
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(VERSION_KEY) or "uncached"
    return token


def bump_data_version() -> None:
    """Make every cached figure stale (now and again when the current transaction commits)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def cached_payload(kind: str, node_id: int, period, compute, *parts):
    """``compute()`` cached under (kind, node, period, language, data version, parts)."""
    version = data_version()
    if version == "uncached":
        return compute()
    key = ":".join(
        str(p)
        for p in (
            "figures",
            kind,
            node_id,
            period.start.isoformat(),
            period.end.isoformat(),
            translation.get_language() or "",
            version,
            *parts,
        )
    )
    found = cache.get(key)
    if found is not None:
        return found
    # One computation per key: under load many requests miss the same key right after a write;
    # the first computes, the others wait for its result (the same data version, so the same
    # figures) instead of each spending the same CPU. A computation that dies leaves the lock to
    # expire; a waiter that gives up computes itself.
    lock = f"{key}:computing"
    if not cache.add(lock, 1, LOCK_SECONDS):
        deadline = time.monotonic() + LOCK_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            found = cache.get(key)
            if found is not None:
                return found
            if cache.get(lock) is None:
                break
    try:
        value = compute()
        cache.set(key, value, TIMEOUT)
    finally:
        cache.delete(lock)
    return value


def _on_audit_entry(sender, created=False, **kwargs):
    if created:
        bump_data_version()


def connect() -> None:
    from django.db.models.signals import post_save

    from core.audit.models import AuditEntry

    post_save.connect(_on_audit_entry, sender=AuditEntry, dispatch_uid="figures_data_version")
