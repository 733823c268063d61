"""Notifications: ONE interface (``Channel.deliver``) with adapters — console (the embedded
default), email, an HTTP SMS gateway and the WeChat Work (企业微信) group robot.

Every send is a ``Delivery`` row (``core.notify.models``): ``queue`` records it and hands it to the
worker, ``attempt`` tries once and records the outcome; a failure is retried with backoff until
``NOTIFY_MAX_ATTEMPTS`` and then recorded as failed — never lost silently. Who is reached through
which channel is the domain's decision (``organizations.notify_routes``); core stays domain-free.
"""

from core.notify.base import (
    CHANNELS,
    Channel,
    DeliveryFailed,
    Notice,
    Recipient,
    channel_for,
    channel_labels,
    register_channel,
)
from core.notify.service import attempt, backoff_seconds, queue, queue_many

__all__ = [
    "CHANNELS",
    "Channel",
    "DeliveryFailed",
    "Notice",
    "Recipient",
    "attempt",
    "backoff_seconds",
    "channel_for",
    "channel_labels",
    "queue",
    "queue_many",
    "register_channel",
]
