"""Fixed-window counters in the shared cache (rate limits): ``count(prefix, who, window)``."""

from __future__ import annotations

import time

from django.core.cache import cache


def count(prefix: str, who, window: int, *, add: bool) -> int:
    """Uses by ``who`` under ``prefix`` in the current window of ``window`` seconds; ``add``
    counts one more use first."""
    key = f"{prefix}:{who}:{int(time.time()) // window}"
    if not add:
        return cache.get(key, 0)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1
