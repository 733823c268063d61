"""The notification interface and its registry of adapters (by channel name)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class DeliveryFailed(Exception):
    """The channel did not accept the message; ``str(exc)`` is recorded as the last error
    (never the message body or a full address)."""


@dataclass(frozen=True)
class Recipient:
    """A staff user a notice is addressed to."""

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
    """A delivery channel. ``deliver`` sends ONE message to ONE address and returns, or raises
    ``DeliveryFailed``; it records nothing itself (``core.notify.service`` does).
    ``address`` is what the channel needs: a username (console), an email address, a mobile
    number (SMS) or a robot key / webhook URL (WeChat Work)."""

    name = "channel"
    label = _("Channel")
    # Whether the address is a user's own (email, console) or configured on a route (SMS, robot).
    per_user = True

    def deliver(self, *, address: str, subject: str, body: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def mask(self, address: str) -> str:
        """The address as delivery records and the admin show it."""
        from core.notify.masking import mask_address

        return mask_address(address)


CHANNELS: dict[str, type[Channel]] = {}


def register_channel(cls: type[Channel]) -> type[Channel]:
    """Class decorator: make an adapter available under ``cls.name``."""
    CHANNELS[cls.name] = cls
    return cls


def channel_for(name: str) -> Channel:
    # Adapters register on import; import them here so a caller needs only this module.
    import core.notify.adapters  # noqa: F401

    try:
        return CHANNELS[name]()
    except KeyError:
        raise DeliveryFailed(f"unknown channel {name!r}") from None


def channel_labels() -> list[tuple[str, str]]:
    import core.notify.adapters  # noqa: F401

    return [(name, cls.label) for name, cls in CHANNELS.items()]
