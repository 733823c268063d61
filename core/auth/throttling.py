"""Per-token throttling. Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` read at
request time (DRF reads them once at import), so deployments and tests can change them.

A token authenticates one user, so "per user" is "per token"; anonymous callers are keyed by IP.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _LiveRates:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenRateThrottle(_LiveRates, UserRateThrottle):
    """Every API request of one token (``user`` rate)."""

    scope = "user"


class AnonymousRateThrottle(_LiveRates, AnonRateThrottle):
    scope = "anon"


class StatsRateThrottle(_LiveRates, UserRateThrottle):
    """Statistics requests of one token (``stats`` rate): heavier than list reads."""

    scope = "stats"
