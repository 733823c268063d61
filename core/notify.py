"""Reminder delivery channels: email (Django email backend) and an adapter interface for SMS /
WeChat, with a console implementation. ``settings.REMINDER_CHANNELS`` lists channel classes
(default: email only). Messages carry no personal data beyond what the addressed scope sees."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = ["core.notify.EmailChannel"]


@dataclass(frozen=True)
class Recipient:
    user_id: int
    username: str
    email: str


@dataclass(frozen=True)
class Notice:
    """What one recipient gets: the reminders addressed to their organization."""

    recipient: Recipient
    organization_name: str
    lines: tuple[str, ...]


class Channel:
    """A delivery channel. ``send`` takes many notices at once and returns how many went out."""

    name = "channel"

    def send(self, notices: list[Notice]) -> int:  # pragma: no cover - interface
        raise NotImplementedError


class EmailChannel(Channel):
    """One email per recipient through the configured Django email backend (one connection)."""

    name = "email"

    def send(self, notices: list[Notice]) -> int:
        messages = []
        for notice in notices:
            if not notice.recipient.email:
                continue
            subject = _("[Party building] %(count)d reminder(s) for %(org)s") % {
                "count": len(notice.lines),
                "org": notice.organization_name,
            }
            body = "\n".join(f"· {line}" for line in notice.lines)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [notice.recipient.email]))
        if not messages:
            return 0
        return send_mass_mail(messages, fail_silently=False, connection=get_connection())


class ConsoleSmsChannel(Channel):
    """The SMS / WeChat adapter's console implementation: logs a one-line summary per recipient
    (user id and count only). A real gateway subclasses ``Channel`` and is listed in
    ``settings.REMINDER_CHANNELS``."""

    name = "sms-console"

    def send(self, notices: list[Notice]) -> int:
        for notice in notices:
            logger.info("sms-console: user=%s reminders=%d", notice.recipient.user_id, len(notice.lines))
        return len(notices)


def channels() -> list[Channel]:
    return [import_string(path)() for path in getattr(settings, "REMINDER_CHANNELS", DEFAULT_CHANNELS)]
