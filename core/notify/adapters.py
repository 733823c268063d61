"""The adapters: console (embedded default), email, HTTP SMS gateway, WeChat Work group robot."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.utils.translation import gettext_lazy as _

from core.notify import http
from core.notify.base import Channel, DeliveryFailed, register_channel

logger = logging.getLogger("core.notify")


@register_channel
class ConsoleChannel(Channel):
    """Logs a one-line summary (masked address and the message's size only, no content): what
    the embedded default does instead of reaching anyone."""

    name = "console"
    label = _("Console (log only)")

    def deliver(self, *, address: str, subject: str, body: str) -> None:
        logger.info("notify-console: to=%s lines=%d", self.mask(address), len(body.splitlines()))


@register_channel
class EmailChannel(Channel):
    """One email through the configured Django email backend."""

    name = "email"
    label = _("Email")

    def deliver(self, *, address: str, subject: str, body: str) -> None:
        if not address or "@" not in address:
            raise DeliveryFailed("no email address")
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=get_connection())
        except Exception as exc:  # noqa: BLE001 - any backend error is a failed attempt, recorded
            raise DeliveryFailed(f"email backend: {type(exc).__name__}") from None


def sms_signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 (hex) over ``timestamp`` + ``.`` + the body, as the gateway checks it."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


@register_channel
class SmsGatewayChannel(Channel):
    """A generic HTTP SMS gateway: ``POST NOTIFY_SMS["URL"]`` with JSON
    ``{"phone", "sign_name", "content"}``, the API key in ``X-Api-Key``, a ``X-Timestamp`` and
    ``X-Signature`` (HMAC-SHA256 over timestamp.body with ``NOTIFY_SMS["SECRET"]``). A 2xx answer
    whose JSON ``code`` is absent or 0 counts as accepted."""

    name = "sms"
    label = _("SMS")
    per_user = False

    def deliver(self, *, address: str, subject: str, body: str) -> None:
        conf = getattr(settings, "NOTIFY_SMS", {}) or {}
        if not conf.get("URL"):
            raise DeliveryFailed("SMS gateway not configured (NOTIFY_SMS URL)")
        payload = {"phone": address, "sign_name": conf.get("SIGN_NAME", ""), "content": f"{subject}\n{body}"}
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Api-Key": conf.get("KEY", ""),
            "X-Timestamp": timestamp,
            "X-Signature": sms_signature(conf.get("SECRET", ""), timestamp, data),
        }
        _status, text = http.post(conf["URL"], data, headers)
        _check_code(text, "code")


@register_channel
class WeComRobotChannel(Channel):
    """企业微信 group robot: ``POST <NOTIFY_WECOM_URL><key>`` with
    ``{"msgtype": "text", "text": {"content": ...}}``; the robot answers ``{"errcode": 0}``.
    The address is the robot's key (or a full webhook URL)."""

    name = "wecom"
    label = _("WeChat Work group robot")
    per_user = False

    def deliver(self, *, address: str, subject: str, body: str) -> None:
        if not address:
            raise DeliveryFailed("no robot key")
        base = getattr(settings, "NOTIFY_WECOM_URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=")
        url = address if "://" in address else base + address
        payload = {"msgtype": "text", "text": {"content": f"{subject}\n{body}"}}
        data = json.dumps(payload, ensure_ascii=False).encode()
        _status, text = http.post(url, data, {"Content-Type": "application/json; charset=utf-8"})
        _check_code(text, "errcode")


def _check_code(text: str, key: str) -> None:
    """A gateway may answer 200 with an error code in the body."""
    try:
        answer = json.loads(text) if text.strip() else {}
    except ValueError:
        return
    if isinstance(answer, dict) and answer.get(key) not in (None, 0, "0"):
        raise DeliveryFailed(
            f"{key} {answer.get(key)}: {str(answer.get('errmsg') or answer.get('message') or '')[:80]}"
        )
