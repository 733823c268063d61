"""Worker tasks of the platform layer: notification deliveries."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="core.deliver_notification", acks_late=True, soft_time_limit=60, time_limit=90)
def deliver_notification_task(delivery_id: int) -> str:
    """One attempt at a delivery; a failure schedules the next attempt with backoff."""
    from core.notify.models import DeliveryStatus
    from core.notify.service import attempt, attempt_in_task

    return attempt_in_task(deliver_notification_task, attempt, delivery_id, retrying=DeliveryStatus.RETRYING)


@shared_task(name="core.retry_due_deliveries", acks_late=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def retry_due_deliveries_task() -> int:
    """The sweep: requeue deliveries whose task was lost (see ``core.notify.service``)."""
    from core.notify.service import due_for_retry

    ids = due_for_retry()
    for pk in ids:
        deliver_notification_task.delay(pk)
    return len(ids)
