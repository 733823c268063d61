"""Rules for personal data (ID number, phone) beyond encryption: who may look a member up by a
full ID number or phone, what the duplicate-ID message may say, and who sees a birth date.

No user without ``members.view_sensitive_data`` may confirm a full ID number or phone by any
combination of masked output, search, sort or error message (docs/security.md):
- exact-value search (``?q=<full id or phone>``, the admin search box) is for holders of the
  permission only, limited per user and hour, and every member it finds is recorded in the
  sensitive-access log;
- the duplicate-ID message names the other record only when the user can see it, and a user
  without the permission who keeps hitting registered numbers is stopped for an hour;
- the birth date is shown as the year only to users without the permission (with the masked
  ID number, the full date would leave only three area digits to guess).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from core import ratelimit
from core.request_context import current_request
from members import crypto
from organizations.masks import birth_year
from organizations.scope import user_sees_everything

logger = logging.getLogger(__name__)
_CURRENT = object()
WINDOW_SECONDS = 3600


class PersonalDataRefused(Exception):
    """An exact-value lookup the user may not make (``throttled``: the hourly limit is used up)."""

    def __init__(self, message: str, *, throttled: bool = False):
        super().__init__(message)
        self.message = message
        self.throttled = throttled


def can_unmask(user) -> bool:
    return bool(user is not None and getattr(user, "is_active", False) and user.has_perm("members.view_sensitive_data"))


def _request_user():
    request = current_request()
    user = getattr(request, "user", None) if request is not None else None
    return user if getattr(user, "is_authenticated", False) else None


def _count(kind: str, user, *, add: bool) -> int:
    """Uses of ``kind`` by ``user`` in the current hour (a fixed window in the shared cache)."""
    return ratelimit.count(f"pii:{kind}", user.pk, WINDOW_SECONDS, add=add)


def exact_lookup(value: str) -> tuple[str, str] | None:
    """``(hash field, keyed hash)`` when ``value`` is a full ID number or mobile number."""
    value = (value or "").strip()
    as_id = crypto.normalize_id_number(value)
    if crypto.ID_RE.match(as_id):
        return "id_number_hash", crypto.keyed_hash(as_id)
    as_phone = crypto.normalize_phone(value)
    if crypto.MOBILE_RE.match(as_phone):
        return "phone_hash", crypto.keyed_hash(as_phone)
    return None


def member_search_q(value: str, *, user=None, channel: str = "admin", strict: bool = False) -> Q:
    """The member search: name contains ``value``; a full ID number / mobile number matches by
    keyed hash for holders of the unmask permission only (limited, and logged per member found).
    Anyone else matches nothing with it (``strict``: raise ``PersonalDataRefused`` instead, so the
    API can say why)."""
    value = (value or "").strip()
    if not value:
        return Q()
    lookup = exact_lookup(value)
    if lookup is None:
        return Q(name__icontains=value)
    nothing = Q(pk__in=[])
    if not can_unmask(user):
        if strict:
            raise PersonalDataRefused(
                _("Searching by a full ID number or phone needs the permission to view personal data.")
            )
        return nothing
    limit = getattr(settings, "PII_EXACT_SEARCHES_PER_HOUR", 30)
    if _count("search", user, add=True) > limit:
        if strict:
            raise PersonalDataRefused(
                _("Too many searches by ID number or phone; try again in an hour."), throttled=True
            )
        return nothing
    from members.models import Member, SensitiveAccessAction
    from members.services import log_sensitive_access

    field, digest = lookup
    found = Member.objects.for_user(user).filter(**{field: digest})
    ids = list(found.values_list("pk", flat=True)[:50])
    log_sensitive_access(user=user, member_ids=ids, action=SensitiveAccessAction.SEARCH, channel=channel)
    return Q(pk__in=ids)


def guard_duplicate_probe(*, user=_CURRENT) -> None:
    """Before a uniqueness check of an ID number: a user without the unmask permission who hit
    registered numbers too often this hour may not enter ID numbers until it is over (else the
    duplicate message would confirm guesses one by one)."""
    from django.core.exceptions import ValidationError

    user = _request_user() if user is _CURRENT else user
    if user is None or can_unmask(user):
        return
    if _count("duplicate", user, add=False) >= getattr(settings, "PII_DUPLICATE_HITS_PER_HOUR", 10):
        raise ValidationError(
            {"id_number": _("Too many ID numbers entered were already registered; try again in an hour.")}
        )


def duplicate_id_message(other, *, user=_CURRENT, count: bool = True) -> str:
    """What to say when an ID number is already registered to ``other``: the record by name,
    number and branch only if ``user`` can see it; otherwise only that it is registered (outside
    the scope a record does not exist). ``user=None`` is the system itself (a command run by the
    operator). The API, admin, pages and the roster importer all use this one message."""
    user = _request_user() if user is _CURRENT else user
    if user is not None and not can_unmask(user):
        if count:
            _count("duplicate", user, add=True)
        logger.warning("duplicate ID number refused for user %s (member %s)", user.pk, other.pk)
    visible = (
        user is None or user_sees_everything(user) or type(other).objects.for_user(user).filter(pk=other.pk).exists()
    )
    if not visible:
        return _("This ID number is already registered.")
    return _("This ID number is already registered: %(name)s (record %(id)s, %(branch)s).") % {
        "name": other.name,
        "id": other.pk,
        "branch": other.branch.name,
    }


def shown_birth_date(member, *, user) -> dict:
    """``birth_date`` in full for holders of the unmask permission, else only ``birth_year``."""
    year = birth_year(member.birth_date)
    if can_unmask(user):
        return {"birth_date": member.birth_date.isoformat() if member.birth_date else None, "birth_year": year}
    return {"birth_date": None, "birth_year": year}
