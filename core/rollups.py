"""Writing maintained summaries keyed by (owner, month): lock the keys, recompute, upsert.

A summary row is recomputed from the raw rows by the write that changed them, in its
transaction. The keys are locked first (rows created with zeros if new, then ``SELECT … FOR
UPDATE`` in key order), so the recomputation reads after any concurrent writer of the same keys
has committed and two writers never lose each other's change; one ``INSERT … ON CONFLICT … DO
UPDATE`` writes the results (PostgreSQL and SQLite alike).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

BATCH = 2000


def lock_keys(model, key_fields: tuple[str, str], keys: list[tuple]) -> None:
    """Create the missing rows of ``keys`` with their defaults, then lock them in key order."""
    owner, month = key_fields
    model.objects.bulk_create([model(**{owner: o, month: m}) for o, m in keys], ignore_conflicts=True)
    locked = model.objects.filter(
        **{f"{owner}__in": sorted({o for o, _m in keys}), f"{month}__in": sorted({m for _o, m in keys})}
    )
    list(locked.order_by(owner, month).select_for_update().values_list("pk", flat=True))


def refresh_keys(
    model,
    key_fields: tuple[str, str],
    figures: tuple[str, ...],
    keys: Iterable[tuple],
    compute: Callable[[set], dict],
    *,
    zero: tuple,
) -> int:
    """Recompute ``keys`` with ``compute(keys) -> {key: figures}`` (absent keys get ``zero``) and
    write them, a batch at a time, in the caller's transaction."""
    keys = sorted(set(keys))
    if not keys:
        return 0
    unique = [model._meta.get_field(f).name for f in key_fields]
    owner, month = key_fields
    with transaction.atomic():
        for i in range(0, len(keys), BATCH):
            batch = keys[i : i + BATCH]
            lock_keys(model, key_fields, batch)
            values = compute(set(batch))
            model.objects.bulk_create(
                [
                    model(**{owner: o, month: m}, **dict(zip(figures, values.get((o, m), zero), strict=True)))
                    for o, m in batch
                ],
                update_conflicts=True,
                unique_fields=unique,
                update_fields=list(figures),
            )
    return len(keys)
