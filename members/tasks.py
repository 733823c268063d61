"""Periodic jobs of the members app: award points. Thin, idempotent, time-limited."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import OperationalError

logger = logging.getLogger(__name__)


@shared_task(
    name="members.award_points",
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
    acks_late=True,
)
def award_points_task(since: str | None = None) -> dict:
    """Add the points earned by events since ``since`` (ISO date) or ever; logs counts only."""
    from members.points import award_points

    created = award_points(since=datetime.date.fromisoformat(since) if since else None)
    logger.info("task award_points: since=%s created=%s", since, created)
    return {str(k): v for k, v in created.items()}


@shared_task(name="members.build_ledgers", soft_time_limit=25 * 60, time_limit=30 * 60, acks_late=True)
def build_ledgers_task(job_id: int) -> None:
    """Build a background ledger ZIP (``members.ledgers.service.run_ledger_job``)."""
    from members.ledgers.service import run_ledger_job

    run_ledger_job(job_id)
    logger.info("task build_ledgers: job=%s", job_id)


@shared_task(name="members.import_roster", soft_time_limit=25 * 60, time_limit=30 * 60, acks_late=True)
def import_roster_task(job_id: int) -> None:
    """Check or save a large roster import (``members.roster.jobs.run_import_job``)."""
    from members.roster.jobs import run_import_job

    run_import_job(job_id)
    logger.info("task import_roster: job=%s", job_id)


@shared_task(name="members.export_roster", soft_time_limit=25 * 60, time_limit=30 * 60, acks_late=True)
def export_roster_task(job_id: int) -> None:
    """Build a large roster export (``members.roster.jobs.run_export_job``)."""
    from members.roster.jobs import run_export_job

    run_export_job(job_id)
    logger.info("task export_roster: job=%s", job_id)


@shared_task(name="members.expire_transfers", soft_time_limit=5 * 60, time_limit=10 * 60, acks_late=True)
def expire_transfers_task() -> int:
    """Mark issued transfer letters past their validity as expired (组织关系介绍信 有效期)."""
    from members.transfers.services import transfer_expire_overdue

    count = transfer_expire_overdue()
    logger.info("task expire_transfers: expired=%s", count)
    return count
