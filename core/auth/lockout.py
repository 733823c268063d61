"""Login lockout, counted three ways so that an office behind one NAT address is not locked out
by a few typos of its other users:

- per (account, address): 5 failures (``LOGIN_MAX_FAILURES``) lock that account from that address;
- per account, from any address: ``LOGIN_ACCOUNT_MAX_FAILURES`` (10) — a guesser rotating
  addresses still stops;
- per address, over every account: ``LOGIN_ADDRESS_MAX_FAILURES`` (100), much higher — only a
  password spray from one address reaches it.

A locked key refuses further attempts for a delay that doubles with every further failure
(1 minute, 2, 4, ... at most 1 hour). A success clears the (account, address) and the account
counters, never the address one. Failures older than a day are forgotten.

The check sits in the authentication backend (``core.auth.backends``), so every login
path — admin, ``/branch/login/``, the API token endpoint, anything calling ``authenticate`` —
is covered without touching the views. Counters live in the database (``LoginThrottle``).
"""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import LoginThrottle


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_failures() -> int:
    return _setting("LOGIN_MAX_FAILURES", 5)


def limit_for(key: str) -> int:
    """The number of failures that locks ``key`` (its kind is the prefix)."""
    if key.startswith("user:"):
        return _setting("LOGIN_ACCOUNT_MAX_FAILURES", 10)
    if key.startswith("addr:"):
        return _setting("LOGIN_ADDRESS_MAX_FAILURES", 100)
    return max_failures()


def now() -> datetime.datetime:
    """The clock (a function so tests can move it)."""
    return timezone.now()


def keys_for(username: str | None, address: str | None) -> list[str]:
    """The counters one attempt touches: (account, address), account, address."""
    keys = []
    if username and address:
        keys.append(f"pair:{address}|{username}"[:200])
    if username:
        keys.append(f"user:{username}"[:200])
    if address:
        keys.append(f"addr:{address}")
    return keys


def success_keys(username: str, address: str | None) -> list[str]:
    """The counters a successful login clears: never the address-wide one (other users' typos)."""
    return [key for key in keys_for(username, address) if not key.startswith("addr:")]


def delay_after(failures: int, limit: int | None = None) -> datetime.timedelta:
    base = _setting("LOGIN_LOCKOUT_BASE_SECONDS", 60)
    cap = _setting("LOGIN_LOCKOUT_MAX_SECONDS", 3600)
    extra = failures - (max_failures() if limit is None else limit)
    return datetime.timedelta(seconds=min(base * 2 ** max(extra, 0), cap))


def check(keys: list[str]) -> None:
    """Raise a ValidationError naming the wait when any key is locked."""
    if not keys:
        return
    current = now()
    until = (
        LoginThrottle.objects.filter(key__in=keys, locked_until__gt=current)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    if until is not None:
        minutes = max(1, math.ceil((until - current).total_seconds() / 60))
        raise ValidationError(
            _("Too many failed login attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes},
            code="login_locked",
        )


def record_failure(keys: list[str]) -> None:
    current = now()
    window = datetime.timedelta(hours=24)
    for key in keys:
        with transaction.atomic():
            row = LoginThrottle.objects.select_for_update().filter(key=key).first()
            if row is None:
                try:
                    with transaction.atomic():
                        row = LoginThrottle.objects.create(key=key)
                except IntegrityError:  # created by a concurrent attempt
                    row = LoginThrottle.objects.select_for_update().get(key=key)
            if row.last_failure_at is not None and current - row.last_failure_at > window:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = current
            limit = limit_for(key)
            if row.failures >= limit:
                row.locked_until = current + delay_after(row.failures, limit)
            row.save()


def record_success(username: str, address: str | None = None) -> None:
    LoginThrottle.objects.filter(key__in=success_keys(username, address)).delete()
