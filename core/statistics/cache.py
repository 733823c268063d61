"""Cached figures: the overview, breakdown and trend payloads keyed by (scope node, period,
language, data version).

The data version is a token in the cache that every audited write replaces. Every write of the
project is audited, per row (``core.audit.trail.record``) or in bulk (``audit_bulk``), and both
end in one ``AuditEntry`` insert, so one ``post_save`` hook on that model covers them all (tree
moves, imports, archiving included). The token is replaced at once (the writing request reads
fresh figures) and again when the transaction commits (a reader that computed from the
pre-commit snapshot in between stored its figures under a token nobody asks for any more).

Each part of a statistics block is also kept on its own (``part_values``), under a version of
its own that a write replaces unless the part declares writes of that model cannot change it
(``StatPart.unaffected_by``, the block's included): after a write the whole overview is
recomputed, but only from the parts that read what the write changed; the others are read back.
A block has a version too (``block_version``), replaced whenever one of its parts' is, for the
payloads built from one block's data outside the overview (a per-branch list, a dashboard panel).

The key names the node the caller resolved inside the user's scope (``resolve_node``), and the
payloads depend on nothing else of the user, so two users of different subtrees never share an
entry unless they ask for the same node. Redis in production (``REDIS_URL``), local memory in the
embedded default: both are Django's cache.
"""

from __future__ import annotations

import hashlib
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

VERSION_KEY = "figures:data-version"
PART_VERSION_KEY = "figures:part-version:"
BLOCK_VERSION_KEY = "figures:block-version:"
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


def _stale_keys(label: str | None) -> list[str]:
    """The version keys a write of ``label`` (``app.model`` of its audit entry) makes stale:
    the whole payloads', each part's that does not declare itself unaffected by it, and the
    blocks' of those parts."""
    from core.statistics.framework import STAT_BLOCKS

    keys = [VERSION_KEY]
    for name, block in STAT_BLOCKS.items():
        stale = [spec.key for spec in block.specs() if label is None or label not in spec.unaffected_by]
        keys += [PART_VERSION_KEY + key for key in stale]
        if stale:
            keys.append(BLOCK_VERSION_KEY + name)
    return keys


def bump_data_version(label: str | None = None) -> None:
    """Make cached figures stale (now and again when the current transaction commits): all of
    them, but for blocks that declare writes of ``label`` cannot change their figures."""
    keys = _stale_keys(label)

    def bump():
        cache.set_many({key: uuid.uuid4().hex for key in keys}, None)

    bump()
    transaction.on_commit(bump)


def _tokens(keys: list[str]) -> dict[str, str]:
    """The current token of each version key (one round trip; a missing one is created)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    return found


def block_version(name: str) -> str:
    """A token replaced by every write that can change a figure of block ``name``."""
    version = data_version()
    if version == "uncached":
        return version
    return _tokens([BLOCK_VERSION_KEY + name]).get(BLOCK_VERSION_KEY + name) or "uncached"


def part_values(specs, nodes, period) -> dict[int, dict]:
    """Each part's figures for ``nodes`` (``{node id: {figure: value}}``, merged in order), every
    part cached under its own version. The key holds today's date too: some figures are judged
    as of today."""
    merged: dict[int, dict] = {}
    if data_version() == "uncached":  # no cache to keep figures in (or switched off)
        for spec in specs:
            _merge(merged, spec(nodes, period))
        return merged
    tokens = _tokens([PART_VERSION_KEY + spec.key for spec in specs])
    ids = ",".join(str(node.pk) for node in nodes)
    nodes_key = ids if len(ids) <= 200 else hashlib.sha256(ids.encode()).hexdigest()
    today = timezone.localdate().isoformat()
    for spec in specs:
        token = tokens.get(PART_VERSION_KEY + spec.key)
        if token is None:
            _merge(merged, spec(nodes, period))
            continue
        # Periods with the same key (the part says what of the period it reads) share one entry.
        shared = spec.period_key(period) if spec.period_key else (period.start, period.end)
        compute = lambda spec=spec: spec(nodes, period)  # noqa: E731
        _merge(merged, _cached(f"part:{spec.key}", nodes_key, shared, compute, today, version=token))
    return merged


def _merge(into: dict[int, dict], values: dict[int, dict]) -> None:
    for pk, figures in values.items():
        into.setdefault(pk, {}).update(figures)


def cached_payload(kind: str, node_id: int, period, compute, *parts, version: str | None = None):
    """``compute()`` cached under (kind, node, period, language, data version, parts); the
    version is the global one unless the caller names another (a block's: ``block_version``)."""
    version = version or data_version()
    if version == "uncached":
        return compute()
    return _cached(kind, node_id, (period.start, period.end), compute, *parts, version=version)


def _cached(kind: str, node_id, period_parts: tuple, compute, *parts, version: str):
    key = ":".join(
        str(p)
        for p in (
            "figures",
            kind,
            node_id,
            *period_parts,
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


def _on_audit_entry(sender, instance=None, created=False, **kwargs):
    if created:
        bump_data_version(getattr(instance, "model", None) or None)


def connect() -> None:
    from django.db.models.signals import post_save

    from core.audit.models import AuditEntry

    post_save.connect(_on_audit_entry, sender=AuditEntry, dispatch_uid="figures_data_version")
