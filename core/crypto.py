"""Encryption at rest for personal data (PIPL, GB/T 35273) with ``settings.PII_ENCRYPTION_KEYS``
(Fernet keys, newest first). The platform layer owns it so that every app (members' ID numbers
and phones, the notification deliveries' addresses) encrypts with the same keys.

Two token formats, both authenticated encryption:

- ``v2:`` + base64url(nonce ‖ ciphertext ‖ tag): AES-256-GCM with a random 96-bit nonce, the
  AES key derived from the configured key by HKDF-SHA256 (its own ``info``, so the bytes are
  never used as both an HMAC and a cipher key), the prefix bound as associated data. Every
  new value is written so: one C call per value instead of Fernet's cipher context, HMAC and
  padding, which matters when an import encrypts 200,000 values.
- A Fernet token (AES-128-CBC + HMAC-SHA256): what earlier versions wrote. Still read.

A new key is added at the front; ``manage.py rotate_pii_keys`` re-encrypts every value (either
format) as ``v2:`` with it, after which the old keys can be removed. The encrypted files kept for
a while (import stashes) use ``fernet()`` directly, for its expiry timestamp.
"""

from __future__ import annotations

import base64
import binascii
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "v2:"
_AAD = PREFIX.encode()
_NONCE = 12
_HKDF_INFO = b"pii-at-rest aes-256-gcm v2"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PII_ENCRYPTION_KEYS))


def derive_key(key: str | bytes) -> bytes:
    """The AES-256 key of a configured (Fernet) key: HKDF-SHA256 over its 32 bytes."""
    raw = base64.urlsafe_b64decode(key.encode() if isinstance(key, str) else key)
    if len(raw) != 32:
        raise ValueError("a PII encryption key is 32 url-safe base64-encoded bytes (a Fernet key)")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(raw)


@lru_cache(maxsize=4)
def _aeads(keys: tuple[str, ...]) -> tuple[AESGCM, ...]:
    return tuple(AESGCM(derive_key(k)) for k in keys)


def aeads() -> tuple[AESGCM, ...]:
    """One AES-GCM cipher per configured key, newest first."""
    return _aeads(tuple(settings.PII_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    """Encrypt with the newest key (``v2:``); ``""`` stays ``""``."""
    return encrypt_many([value])[0]


def encrypt_many(values: list[str]) -> list[str]:
    """``encrypt`` of each value (``""`` stays ``""``), with one ``urandom`` call for all nonces."""
    if not values:
        return []
    seal = aeads()[0].encrypt
    b64 = base64.urlsafe_b64encode
    nonces = os.urandom(_NONCE * len(values))
    tokens = []
    for i, value in enumerate(values):
        if not value:
            tokens.append("")
            continue
        nonce = nonces[_NONCE * i : _NONCE * i + _NONCE]
        tokens.append(PREFIX + b64(nonce + seal(nonce, value.encode(), _AAD)).decode())
    return tokens


def _open(token: str) -> bytes:
    try:
        body = base64.urlsafe_b64decode(token[len(PREFIX) :])
    except (binascii.Error, ValueError):
        raise InvalidToken from None
    nonce, sealed = body[:_NONCE], body[_NONCE:]
    for aead in aeads():
        try:
            return aead.decrypt(nonce, sealed, _AAD)
        except (InvalidTag, ValueError):
            continue
    raise InvalidToken


def decrypt(token: str) -> str:
    """Decrypt a ``v2:`` or Fernet token with whichever configured key matches; ``""`` stays ``""``."""
    if not token:
        return ""
    try:
        if token.startswith(PREFIX):
            return _open(token).decode()
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a key was removed before rotation finished
        raise ValueError("PII token cannot be decrypted with the configured keys") from exc


def rotate(token: str) -> str:
    """Re-encrypt ``token`` (either format) as ``v2:`` with the newest key."""
    if not token:
        return ""
    return encrypt(decrypt(token))
