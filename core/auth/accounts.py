"""Account services of the platform layer: passwords set by an administrator (which the user must
change at the next login), deactivation, second-factor reset. Audited through the user model's
own audit entries (``auth.user`` is audited; the password is logged only as changed)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.auth import twofactor
from core.auth.models import AccountState

_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"


def recorded_user(actor):
    """The account to store as a record's author: ``None`` for a system call (no actor) or an
    anonymous user, who has no row to point at."""
    return actor if getattr(actor, "pk", None) else None


def temporary_password() -> str:
    """A random 16-character password (meets the 12-character minimum), shown to the admin once."""
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(16))


def must_change_password(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return AccountState.objects.filter(user_id=user.pk, must_change_password=True).exists()


@transaction.atomic
def password_set_by_admin(*, user, password: str, actor) -> None:
    """Set ``user``'s password on an administrator's behalf; the user must change it at the
    next login. Ends the user's sessions and API tokens (``core.auth.sessions``)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    AccountState.objects.update_or_create(
        user=user,
        defaults={
            "must_change_password": True,
            "password_set_by": actor.get_username() if actor is not None else "",
            "password_set_at": timezone.now(),
        },
    )


def password_changed_by_user(*, user) -> None:
    """The user chose a new password: the administrator's one is gone (the change itself is in
    the user's audit entry)."""
    AccountState.objects.filter(user_id=user.pk, must_change_password=True).update(must_change_password=False)


@transaction.atomic
def account_deactivate(*, user) -> None:
    """No more logins, no more API access; the account and its history stay."""
    from rest_framework.authtoken.models import Token

    user.is_active = False
    user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()


@transaction.atomic
def second_factor_reset(*, user) -> None:
    """Remove the user's authenticator and recovery codes (a lost phone): they enrol again."""
    twofactor.reset(user)
    audit.record(user, "update", {"second_factor": [audit.CHANGED_MARKER, "reset"]})


def must_change_message() -> str:
    return _("Your password was set by an administrator: change it before going on.")
