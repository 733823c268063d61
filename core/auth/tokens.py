"""API tokens that expire (``API_TOKEN_TTL_DAYS``, 90 by default) and can be rotated.

A token is a per-client credential (``rest_framework.authtoken``); its age is counted from its
creation, so rotating (a new key) restarts the clock. An expired token is refused with a
Chinese message and replaced on the next successful ``POST /api/v1/auth/token/``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from core import audit


def ttl() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "API_TOKEN_TTL_DAYS", 90)))


def expires_at(token) -> datetime.datetime:
    return token.created + ttl()


def is_expired(token, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF token authentication that refuses tokens past their lifetime."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise exceptions.AuthenticationFailed(
                _("The API token has expired. Request a new one or rotate it."), code="token_expired"
            )
        return user, token


def _audit_token(user, what: str) -> None:
    # The key itself never reaches the log (nor does the Token row: its primary key is the key).
    audit.record(user, "update", {"api_token": [audit.CHANGED_MARKER, what]})


@transaction.atomic
def token_for(*, user):
    """The user's valid token: the current one, or a new one when there is none or it expired."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not is_expired(token):
        return token
    if token is not None:
        token.delete()
    _audit_token(user, "issued")
    return Token.objects.create(user=user)


@transaction.atomic
def token_rotate(*, user):
    """Replace the user's token with a new key (the old one stops working at once)."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    _audit_token(user, "rotated")
    return Token.objects.create(user=user)
