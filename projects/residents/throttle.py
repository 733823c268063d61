"""Rate limits of the public resident pages, in the shared cache (fixed windows).

- placing a request: at most ``IP_PER_HOUR`` per client address an hour and ``PHONE_PER_DAY``
  per contact phone a day (keyed by the phone's keyed hash, never the number);
- opening a tracking link or rating: at most ``TRACK_PER_HOUR`` per client address an hour.
"""

from __future__ import annotations

from core import ratelimit

IP_PER_HOUR = 5
PHONE_PER_DAY = 3
TRACK_PER_HOUR = 60
HOUR, DAY = 3600, 86400


def hit(kind: str, who: str, window: int) -> int:
    return ratelimit.count(f"residents:{kind}", who, window, add=True)


def over(kind: str, who: str, window: int, limit: int) -> bool:
    return ratelimit.count(f"residents:{kind}", who, window, add=False) >= limit
