"""Encryption at rest for personal data (PIPL, GB/T 35273): MultiFernet over
``settings.PII_ENCRYPTION_KEYS`` (newest first). A new key is added at the front;
``manage.py rotate_pii_keys`` re-encrypts every row with it, after which the old key can be
removed. The platform layer owns it so that every app (members' ID numbers and phones, the
notification deliveries' addresses) encrypts with the same keys."""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PII_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    """Encrypt with the newest key; ``""`` stays ``""``."""
    if not value:
        return ""
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt with whichever configured key matches; ``""`` stays ``""``."""
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key was removed before rotation finished
        raise ValueError("PII token cannot be decrypted with the configured keys") from exc


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the newest key (MultiFernet.rotate)."""
    if not token:
        return ""
    return fernet().rotate(token.encode()).decode()
