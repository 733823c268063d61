"""Rate limits of the public resident pages, in the shared cache (fixed windows).

- placing a request: at most ``IP_PER_HOUR`` per client address an hour and ``PHONE_PER_DAY``
  per contact phone a day (keyed by the phone's keyed hash, never the number);
- opening a tracking link or rating: at most ``TRACK_PER_HOUR`` per client address an hour.
"""

from __future__ import annotations

import time

from django.core.cache import cache

IP_PER_HOUR = 5
PHONE_PER_DAY = 3
TRACK_PER_HOUR = 60
HOUR, DAY = 3600, 86400


def _key(kind: str, who: str, window: int) -> str:
    return f"residents:{kind}:{who}:{int(time.time()) // window}"


def used(kind: str, who: str, window: int) -> int:
    return cache.get(_key(kind, who, window), 0)


def hit(kind: str, who: str, window: int) -> int:
    key = _key(kind, who, window)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def over(kind: str, who: str, window: int, limit: int) -> bool:
    return used(kind, who, window) >= limit
