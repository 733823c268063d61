"""A small idempotent task for the deployment drills (the stack test, the worker-kill drill).

``probe(key, value)`` counts its attempts in one transaction, optionally holds (so a drill can
kill the worker mid-task), then applies its result in a second transaction only if no earlier
attempt applied it. With ``acks_late`` a killed worker's message is redelivered; the result is
applied exactly once however often the task runs.
"""

import time

from celery import shared_task
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskProbe(models.Model):
    """Result of the idempotent drill task ``core.health.probe``: how often it
    started (``attempts``) and that its result was applied exactly once (``completions``)."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    completions = models.PositiveIntegerField(_("completions"), default=0)
    result = models.IntegerField(_("result"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("task probe")
        verbose_name_plural = _("task probes")
        db_table = "organizations_taskprobe"

    def __str__(self) -> str:
        return self.key


@shared_task(name="core.health.probe", acks_late=True)
def probe(key: str, value: int, hold_seconds: float = 0.0) -> int:
    with transaction.atomic():
        TaskProbe.objects.get_or_create(key=key)
        TaskProbe.objects.filter(key=key).update(attempts=F("attempts") + 1)
    row = TaskProbe.objects.get(key=key)
    if hold_seconds and row.attempts == 1:
        time.sleep(min(hold_seconds, 600))
    with transaction.atomic():
        row = TaskProbe.objects.select_for_update().get(key=key)
        if row.completed_at is None:
            row.result = value
            row.completed_at = timezone.now()
            row.completions += 1
            row.save(update_fields=["result", "completed_at", "completions"])
    return row.result
