"""Periodic jobs of the organizations app. Thin: take a period / ids, call a service, log counts.

Every task has time limits and retries itself on ``OperationalError`` (a dropped connection, a
deadlock victim): the services are idempotent and transactional, so a retry is always safe.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 30,
    "retry_kwargs": {"max_retries": 5},
    "acks_late": True,
}


@shared_task(name="organizations.score_branches", soft_time_limit=20 * 60, time_limit=25 * 60, **RETRY)
def score_branches_task(period: str, org_id: int | None = None) -> dict:
    """Score every branch (under ``org_id``) for ``period`` ("2026-05", "2026-Q3", "2026")."""
    from organizations.models import Organization
    from organizations.scoring import score_branches

    org = Organization.objects.get(pk=org_id) if org_id else None
    result = score_branches(period=period, org=org)
    logger.info("task score_branches: period=%s org=%s branches=%d", result.period, org_id, result.branches)
    return {"period": result.period, "branches": result.branches, "removed": result.removed}


@shared_task(name="organizations.score_previous_period", soft_time_limit=20 * 60, time_limit=25 * 60, **RETRY)
def score_previous_period_task(kind: str = "quarter", today: str | None = None) -> dict:
    """Score the last complete month / quarter / year (what the beat schedule runs)."""
    from organizations.scoring import Period

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return score_branches_task.run(period=Period.previous(day, kind).label)


@shared_task(name="organizations.run_reminders", soft_time_limit=10 * 60, time_limit=15 * 60, **RETRY)
def run_reminders_task(today: str | None = None) -> dict:
    """Open, keep and close reminders for ``today`` (ISO date; default the local date) and send."""
    from organizations.reminders import run_reminders

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    result = run_reminders(today=day)
    return {"opened": result.opened, "kept": result.kept, "closed": result.closed, "sent": result.sent}


@shared_task(name="organizations.check_org_tree", soft_time_limit=10 * 60, time_limit=15 * 60, **RETRY)
def check_org_tree_task() -> int:
    """Verify the organization tree; logs the number of problems (fixing stays a human decision)."""
    from organizations import services

    problems = services.tree_problems()
    if problems:
        logger.error("task check_org_tree: %d problem(s)", len(problems))
    else:
        logger.info("task check_org_tree: ok")
    return len(problems)


@shared_task(name="organizations.deliver_webhook", acks_late=True, soft_time_limit=60, time_limit=90)
def deliver_webhook_task(delivery_id: int) -> str:
    """One attempt at a webhook delivery; a failure schedules the next with backoff."""
    from core.notify.service import attempt_in_task
    from organizations.models import WebhookDeliveryStatus
    from organizations.webhooks import attempt_delivery

    return attempt_in_task(deliver_webhook_task, attempt_delivery, delivery_id, retrying=WebhookDeliveryStatus.RETRYING)


@shared_task(name="organizations.retry_due_webhooks", acks_late=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def retry_due_webhooks_task() -> int:
    """Requeue webhook deliveries whose task was lost (a dead worker, a broker down at commit)."""
    from django.db.models import Q

    from organizations.models import WebhookDelivery, WebhookDeliveryStatus

    stale = timezone.now() - datetime.timedelta(minutes=15)
    ids = list(
        WebhookDelivery.objects.filter(
            Q(status=WebhookDeliveryStatus.RETRYING, next_attempt_at__lte=stale)
            | Q(status=WebhookDeliveryStatus.PENDING, created_at__lte=stale)
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        deliver_webhook_task.delay(pk)
    return len(ids)
