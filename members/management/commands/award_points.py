"""``manage.py award_points [--since 2026-01-01]``: add the points earned by verified events."""

import datetime

from django.core.management.base import BaseCommand

from members.points import award_points


class Command(BaseCommand):
    help = "Award member points from attendance, micro-wishes and resolved requests (never twice)."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=datetime.date.fromisoformat, help="Only events on or after this date.")

    def handle(self, *args, **options):
        created = award_points(since=options["since"])
        detail = "，".join(f"{kind} {n}" for kind, n in created.items()) or "无"
        self.stdout.write(self.style.SUCCESS(f"积分：新增记录 {sum(created.values())} 条（{detail}）。"))
