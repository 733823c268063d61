"""Queue and attempt deliveries. The rules:

- every send is a ``Delivery`` row written before anything goes out (``queue``);
- the worker task (``core.deliver_notification``) makes ONE attempt per run (``attempt``) and
  schedules the next with exponential backoff (``backoff_seconds``);
- after ``NOTIFY_MAX_ATTEMPTS`` failed attempts the delivery is ``failed``: recorded, logged as an
  error, never dropped; the sweep (``core.retry_due_deliveries``) picks up any delivery whose task
  was lost (a worker that died, a broker that was down when it was queued).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import crypto
from core.notify.base import DeliveryFailed, channel_for
from core.notify.models import Delivery, DeliveryStatus

logger = logging.getLogger("core.notify")


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFY_MAX_ATTEMPTS", 5))


def backoff_seconds(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failure: base · 2^(attempts-1), capped at 6 h."""
    base = int(getattr(settings, "NOTIFY_RETRY_BASE_SECONDS", 60))
    return min(base * 2 ** max(attempts - 1, 0), 6 * 3600)


def next_attempt_at(now: datetime.datetime, attempts: int) -> datetime.datetime:
    return now + datetime.timedelta(seconds=backoff_seconds(attempts))


def claim_attempt(queryset, pk: int, *, open_statuses, now: datetime.datetime):
    """Inside a transaction: the delivery record ``pk`` locked for one attempt, counted, or
    ``None`` when it is done already (not in ``open_statuses``) or another worker holds it.
    Shared by the notification deliveries and the webhook deliveries."""
    delivery = queryset.filter(pk=pk, status__in=list(open_statuses)).first()
    if delivery is None:
        return None
    delivery.attempts += 1
    delivery.last_attempt_at = now
    return delivery


def attempt_in_task(task, attempt, delivery_id: int, *, retrying: str) -> str:
    """The body of a delivery task: one ``attempt``; while the delivery is ``retrying``, ``task``
    runs again after the backoff. Shared by the notification and the webhook tasks."""
    delivery = attempt(delivery_id)
    if delivery is None:
        return "skipped"
    if delivery.status == retrying:
        task.apply_async((delivery_id,), countdown=backoff_seconds(delivery.attempts))
    return delivery.status


def _enqueue(ids: list[int]) -> None:
    from core.tasks import deliver_notification_task

    for pk in ids:
        deliver_notification_task.delay(pk)


def queue_many(rows: list[dict]) -> list[Delivery]:
    """Record many deliveries (each a dict of ``channel``, ``address``, ``subject``, ``body`` and
    optionally ``source``, ``organization_id``) in one insert and hand them to the worker once the
    transaction commits."""
    deliveries = []
    for row in rows:
        channel = channel_for(row["channel"])
        deliveries.append(
            Delivery(
                channel=row["channel"],
                address=crypto.encrypt(row["address"][:500]),
                recipient=channel.mask(row["address"])[:120],
                subject=row["subject"][:200],
                body=row["body"],
                source=row.get("source", "")[:60],
                organization_id=row.get("organization_id"),
            )
        )
    created = Delivery.objects.bulk_create(deliveries, batch_size=500)
    ids = [d.pk for d in created]
    transaction.on_commit(lambda: _enqueue(ids))
    return created


def queue(*, channel: str, address: str, subject: str, body: str, source: str = "", organization_id=None) -> Delivery:
    """Record one delivery and hand it to the worker (see ``queue_many``)."""
    row = {"channel": channel, "address": address, "subject": subject, "body": body, "source": source}
    return queue_many([{**row, "organization_id": organization_id}])[0]


def attempt(delivery_id: int, *, now: datetime.datetime | None = None) -> Delivery | None:
    """Try ``delivery_id`` once and record the outcome. A delivery already sent or failed, or
    locked by another worker, is left alone (``None``): a task run twice sends once."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = claim_attempt(
            Delivery.objects.select_for_update(skip_locked=True),
            delivery_id,
            open_statuses=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING),
            now=now,
        )
        if delivery is None:
            return None
        try:
            channel_for(delivery.channel).deliver(
                address=crypto.decrypt(delivery.address), subject=delivery.subject, body=delivery.body
            )
        except DeliveryFailed as exc:
            delivery.last_error = str(exc)[:300]
            if delivery.attempts >= max_attempts():
                delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
                logger.error("notify: delivery %s via %s failed for good: %s", delivery.pk, delivery.channel, exc)
            else:
                delivery.status = DeliveryStatus.RETRYING
                delivery.next_attempt_at = next_attempt_at(now, delivery.attempts)
                logger.warning(
                    "notify: delivery %s via %s failed (attempt %d): %s",
                    delivery.pk,
                    delivery.channel,
                    delivery.attempts,
                    exc,
                )
        else:
            delivery.status, delivery.sent_at, delivery.next_attempt_at = DeliveryStatus.SENT, now, None
            delivery.last_error = ""
        delivery.save()
    return delivery


def due_for_retry(*, now: datetime.datetime | None = None, stale_minutes: int = 15) -> list[int]:
    """Deliveries whose task was lost: retrying and past their next attempt, or still pending
    ``stale_minutes`` after they were queued."""
    now = now or timezone.now()
    from django.db.models import Q

    stale = now - datetime.timedelta(minutes=stale_minutes)
    q = Q(status=DeliveryStatus.RETRYING, next_attempt_at__lte=stale) | Q(
        status=DeliveryStatus.PENDING, created_at__lte=stale
    )
    return list(Delivery.objects.filter(q).order_by("id").values_list("pk", flat=True)[:1000])
