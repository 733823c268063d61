"""``manage.py install_default_schedules``: the default beat schedules (django-celery-beat),
each app declares its own in ``contributions.py``; installed idempotently — existing tasks are found by name and left as staff edited them
unless ``--reset`` is given."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.registry import DEFAULT_SCHEDULES

TZ = "Asia/Shanghai"


def install(reset: bool = False) -> tuple[int, int]:
    created = updated = 0
    with transaction.atomic():
        for schedule in DEFAULT_SCHEDULES.values():
            name, task, kwargs = schedule.name, schedule.task, schedule.kwargs
            minute, hour, dom, moy, dow = schedule.crontab
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute, hour=hour, day_of_month=dom, month_of_year=moy, day_of_week=dow, timezone=TZ
            )
            defaults = {"task": task, "crontab": crontab, "kwargs": json.dumps(kwargs), "enabled": True}
            existing = PeriodicTask.objects.filter(name=name).first()
            if existing is None:
                PeriodicTask.objects.create(name=name, **defaults)
                created += 1
            elif reset:
                for field, value in defaults.items():
                    setattr(existing, field, value)
                existing.save()
                updated += 1
    return created, updated


class Command(BaseCommand):
    help = "Install the default periodic tasks (reminders, points, scoring, tree check). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Restore edited defaults.")

    def handle(self, *args, **options):
        created, updated = install(reset=options["reset"])
        self.stdout.write(self.style.SUCCESS(f"定时任务：新增 {created}，重置 {updated}。"))
