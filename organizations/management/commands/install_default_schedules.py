"""``manage.py install_default_schedules``: the default beat schedules (django-celery-beat),
installed idempotently — existing tasks are found by name and left as staff edited them
unless ``--reset`` is given."""

import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

TZ = "Asia/Shanghai"

# (name, task, crontab (minute, hour, day_of_month, month_of_year, day_of_week), kwargs)
DEFAULT_SCHEDULES = [
    ("每晚提醒", "organizations.run_reminders", ("30", "1", "*", "*", "*"), {}),
    ("每晚积分", "members.award_points", ("0", "2", "*", "*", "*"), {}),
    ("月度评分", "organizations.score_previous_period", ("0", "3", "1", "*", "*"), {"kind": "month"}),
    ("季度评分", "organizations.score_previous_period", ("30", "3", "1", "1,4,7,10", "*"), {"kind": "quarter"}),
    ("年度评分", "organizations.score_previous_period", ("0", "4", "2", "1", "*"), {"kind": "year"}),
    ("每周组织树检查", "organizations.check_org_tree", ("0", "5", "*", "*", "1"), {}),
]


def install(reset: bool = False) -> tuple[int, int]:
    created = updated = 0
    with transaction.atomic():
        for name, task, (minute, hour, dom, moy, dow), kwargs in DEFAULT_SCHEDULES:
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
