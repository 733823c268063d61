"""Personal data protection: encryption at rest, keyed hashes, masking and validation.

Resident ID numbers and phone numbers are never stored in plain text (PIPL, GB/T 35273):
- ``encrypt``/``encrypt_many``/``decrypt``/``rotate``: the platform's (``core.crypto``: AES-256-GCM
  ``v2:`` tokens with keys derived from ``settings.PII_ENCRYPTION_KEYS``; older Fernet tokens read).
- ``keyed_hash``: HMAC-SHA256 with ``settings.PII_HASH_KEY`` for exact lookups and duplicate
  detection (a plain hash of an 18-digit ID could be brute-forced; a keyed one cannot).
- ``mask_id_number`` / ``mask_phone``: the forms shown everywhere by default (from the one mask
  module, ``organizations.masks``; re-exported here for the callers of this module).
- ``validate_id_number`` (GB 11643-1999) and ``validate_mobile``.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import operator
import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.crypto import decrypt, encrypt, encrypt_many, fernet, rotate  # noqa: F401  (re-exported for the members app)
from organizations.masks import mask_id_number, mask_phone

__all__ = ["mask_id_number", "mask_phone"]  # the rest is imported by name

# GB 11643-1999: weights of the first 17 digits and the check character for (sum mod 11).
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_RE = re.compile(r"^[1-9]\d{16}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


@lru_cache(maxsize=4)
def _hash_key(key: str) -> bytes:
    return key.encode()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 hex digest of the normalized value (64 chars)."""
    return hmac.digest(_hash_key(settings.PII_HASH_KEY), value.encode(), hashlib.sha256).hex()


def keyed_hasher():
    """``keyed_hash`` with the key read once: for a loop over many values (an import)."""
    key, digest = _hash_key(settings.PII_HASH_KEY), hmac.digest

    def hashed(value: str) -> str:
        return digest(key, value.encode(), "sha256").hex()

    return hashed


def normalize_id_number(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def normalize_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "").replace("-", "")
    if value.startswith("+86"):
        value = value[3:]
    return value


def id_check_char(first17: str) -> str:
    total = sum(map(operator.mul, map(int, first17), ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def id_birth_date(value: str) -> datetime.date | None:
    """The birth date encoded in digits 7–14, or ``None`` when it is not a real date."""
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_gender(value: str) -> str:
    """``male`` / ``female`` from the 17th digit (odd = male)."""
    return "male" if int(value[16]) % 2 else "female"


def id_number_errors(
    value: str, birth_date: datetime.date | None = None, *, today: datetime.date | None = None
) -> list[str]:
    """Chinese-translatable messages of everything wrong with ``value`` (normalized)."""
    if not ID_RE.match(value):
        return [_("A resident ID number has 18 characters: 17 digits and a digit or X.")]
    born = id_birth_date(value)
    if born is None or born.year < 1900 or born > (today or datetime.date.today()):
        return [_("The birth date in the ID number is not a real date.")]
    if id_check_char(value[:17]) != value[17]:
        return [_("The check digit of the ID number is wrong.")]
    if birth_date is not None and birth_date != born:
        return [_("The birth date does not match the ID number.")]
    return []


def validate_id_number(value: str, birth_date: datetime.date | None = None) -> str:
    """Return the normalized ID number or raise ValidationError (GB 11643)."""
    value = normalize_id_number(value)
    errors = id_number_errors(value, birth_date)
    if errors:
        raise ValidationError({"id_number": errors})
    return value


def validate_mobile(value: str) -> str:
    """Return the normalized mobile number or raise ValidationError."""
    value = normalize_phone(value)
    if not MOBILE_RE.match(value):
        raise ValidationError({"phone": [_("Enter a valid mobile phone number (11 digits starting with 1).")]})
    return value


def make_id_number(area: str, birth: datetime.date, sequence: int) -> str:
    """A valid ID number (for demo and scale data): 6-digit area, birth date, 3-digit sequence."""
    first17 = f"{area}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_check_char(first17)
