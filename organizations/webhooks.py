"""Events for REST clients (webhooks): registering a webhook, the ONE event function domain apps
call (``emit``), and delivering a signed payload.

Rules:
- a webhook sees events about objects inside its scope only: the object's organization(s) must lie
  in the webhook's scope node's subtree AND in the client user's current scope (a client moved or
  deactivated stops receiving at once);
- personal data fields of an event type (``core.registry.EVENT_TYPES[...].masked``) are masked with
  ``organizations.masks`` unless the client holds the type's unmask permission; the payload is
  stored exactly as sent;
- the body is signed: ``X-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>``
  with ``X-Timestamp`` and ``X-Event-Id`` headers; each attempt is recorded, failures retried with
  backoff up to ``NOTIFY_MAX_ATTEMPTS`` and then recorded as failed (``docs/api.md``).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import time
import uuid

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notify import DeliveryFailed, http
from core.notify.service import claim_attempt, max_attempts, next_attempt_at
from core.registry import EVENT_TYPES
from organizations import masks
from organizations.models import Organization, Webhook, WebhookDelivery, WebhookDeliveryStatus
from organizations.scope import scope_node_for, user_sees_everything
from organizations.selectors import containing_q

logger = logging.getLogger(__name__)

MASKS = {"phone": masks.mask_phone, "id_number": masks.mask_id_number, "name": masks.mask_name}
WEBHOOK_FIELDS = ("name", "url", "secret", "event_types", "is_active")
# What a delivery record shows, in the admin and the API alike (both read-only: the worker writes it).
DELIVERY_FIELDS = (
    "webhook",
    "event_id",
    "event_type",
    "payload",
    "status",
    "attempts",
    "response_status",
    "last_error",
    "created_at",
    "last_attempt_at",
    "next_attempt_at",
    "delivered_at",
)
_MIN_SECRET = 16


def validate_webhook(webhook: Webhook) -> None:
    """URL http(s), a secret of 16+ characters, at least one registered event type."""
    if not str(webhook.url).lower().startswith(("http://", "https://")):
        raise ValidationError({"url": _("Enter an http(s) URL.")})
    if len(webhook.secret or "") < _MIN_SECRET:
        raise ValidationError({"secret": _("The secret must be at least 16 characters long.")})
    types = webhook.event_types
    if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
        raise ValidationError({"event_types": _("Choose at least one event type.")})
    unknown = sorted(set(types) - set(EVENT_TYPES))
    if unknown:
        raise ValidationError({"event_types": _("Unknown event type(s): %(types)s.") % {"types": ", ".join(unknown)}})
    webhook.event_types = sorted(set(types))


@transaction.atomic
def webhook_create(*, user, organization: Organization | None = None, **fields) -> Webhook:
    """Register a webhook for ``user`` (the REST client). Its scope is ``organization`` if given
    (inside the user's scope) or the user's scope node."""
    node = scope_node_for(user)
    if organization is None:
        organization = node
    if organization is None:
        raise ValidationError({"organization": _("Choose the organization whose events this webhook receives.")})
    if not Organization.objects.for_user(user).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("This organization is outside your scope.")})
    webhook = Webhook(user=user, organization=organization, **{k: v for k, v in fields.items() if k in WEBHOOK_FIELDS})
    validate_webhook(webhook)
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def webhook_update(*, webhook: Webhook, **fields) -> Webhook:
    """Change a webhook's URL, secret, event types or active flag (not its owner or scope)."""
    for name, value in fields.items():
        if name in WEBHOOK_FIELDS:
            setattr(webhook, name, value)
    validate_webhook(webhook)
    webhook.full_clean()
    webhook.save()
    return webhook


def _covering(org_ids: list[int]) -> Q:
    """Webhooks whose scope node, and whose user's scope node, contain one of the organizations
    (part of the one query that finds the subscribers)."""
    user_inside = Q(user__is_superuser=True) | containing_q("user__access_scope__organization", org_ids)
    return containing_q("organization", org_ids) & user_inside


def _masked(data: dict, event, user) -> dict:
    if not event.masked or (
        event.unmask_permission and (user_sees_everything(user) or user.has_perm(event.unmask_permission))
    ):
        return data
    out = dict(data)
    for key, kind in event.masked.items():
        if out.get(key):
            out[key] = MASKS[kind](str(out[key]))
    return out


def _wanting(queryset, event_type: str) -> list:
    """The webhooks of ``queryset`` subscribed to ``event_type``. PostgreSQL tests the JSON list in
    SQL; SQLite (the embedded default of ``make run``) has no JSON containment, and a laptop holds
    a handful of webhooks, so there the list is read in Python."""
    if connection.features.supports_json_field_contains:
        return list(queryset.filter(event_types__contains=[event_type]))
    return [hook for hook in queryset if event_type in (hook.event_types or [])]


def has_subscribers(event_type: str) -> bool:
    """Whether any active webhook wants ``event_type`` (lets a bulk job skip building payloads)."""
    hooks = Webhook.objects.filter(is_active=True)
    if connection.features.supports_json_field_contains:
        return hooks.filter(event_types__contains=[event_type]).exists()
    return bool(_wanting(hooks.only("id", "event_types"), event_type))


def emit(event_type: str, *, organizations, object_id, data: dict, occurred_at=None) -> int:
    """Queue ``event_type`` about an object in ``organizations`` (ids or Organization objects:
    every organization the object belongs to) for every subscribed webhook whose scope covers
    it. Call it inside the service's transaction: the deliveries commit (and go out) with the
    change, or not at all. Returns how many deliveries were queued."""
    event = EVENT_TYPES.get(event_type)
    if event is None:
        raise ValueError(f"unregistered event type {event_type!r}")
    org_ids = sorted({getattr(o, "pk", o) for o in organizations if o})
    if not org_ids:
        return 0
    hooks = _wanting(
        Webhook.objects.filter(_covering(org_ids), is_active=True, user__is_active=True)
        .select_related("user")
        .distinct(),
        event_type,
    )
    if not hooks:
        return 0
    occurred = (occurred_at or timezone.now()).isoformat()
    rows = []
    for hook in hooks:
        event_id = uuid.uuid4()
        payload = {
            "id": str(event_id),
            "type": event_type,
            "occurred_at": occurred,
            "organization_ids": org_ids,
            "object_id": object_id,
            "data": _masked(data, event, hook.user),
        }
        payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
        rows.append(WebhookDelivery(webhook=hook, event_id=event_id, event_type=event_type, payload=payload))
    created = WebhookDelivery.objects.bulk_create(rows)
    ids = [d.pk for d in created]
    transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)


def _enqueue(ids: list[int]) -> None:
    from organizations.tasks import deliver_webhook_task

    for pk in ids:
        deliver_webhook_task.delay(pk)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Signature`` value: ``sha256=`` + hex HMAC-SHA256 over ``timestamp.body``."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def request_for(delivery: WebhookDelivery, *, timestamp: str | None = None) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a delivery's POST."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    timestamp = timestamp or str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "dangjian-webhooks/1",
        "X-Event-Id": str(delivery.event_id),
        "X-Event-Type": delivery.event_type,
        "X-Timestamp": timestamp,
        "X-Signature": sign(delivery.webhook.secret, timestamp, body),
    }
    return body, headers


def attempt_delivery(delivery_id: int, *, now: datetime.datetime | None = None) -> WebhookDelivery | None:
    """POST a delivery once and record the outcome (a delivery already done, or locked by
    another worker, is left alone: ``None``). An inactive webhook's deliveries fail at once."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = claim_attempt(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",)).select_related("webhook"),
            delivery_id,
            open_statuses=(WebhookDeliveryStatus.PENDING, WebhookDeliveryStatus.RETRYING),
            now=now,
        )
        if delivery is None:
            return None
        try:
            if not delivery.webhook.is_active:
                raise DeliveryFailed("webhook deactivated")
            body, headers = request_for(delivery)
            delivery.response_status, _text = http.post(delivery.webhook.url, body, headers)
        except DeliveryFailed as exc:
            delivery.response_status = getattr(exc, "status", None)
            delivery.last_error = str(exc)[:300]
            final = delivery.attempts >= max_attempts() or not delivery.webhook.is_active
            delivery.status = WebhookDeliveryStatus.FAILED if final else WebhookDeliveryStatus.RETRYING
            delivery.next_attempt_at = None if final else next_attempt_at(now, delivery.attempts)
            logger.warning("webhook delivery %s attempt %d failed: %s", delivery.pk, delivery.attempts, exc)
        else:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = WebhookDeliveryStatus.SENT, now, None
            delivery.last_error = ""
        fields = ["attempts", "last_attempt_at", "response_status", "last_error", "status", "next_attempt_at"]
        # The worker's bookkeeping on a log row: a plain UPDATE (the row itself is the record).
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            delivered_at=delivery.delivered_at, **{f: getattr(delivery, f) for f in fields}
        )
    return delivery
