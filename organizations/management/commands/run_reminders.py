"""``manage.py run_reminders [--today 2026-09-24] [--no-send]``: bring the reminders up to date."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from organizations.reminders import run_reminders


class Command(BaseCommand):
    help = "Open new reminders, keep the ones still due, close those whose cause is gone, and send."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="Date to evaluate (default today).")
        parser.add_argument("--no-send", action="store_true", help="Do not send notifications.")

    def handle(self, *args, **options):
        result = run_reminders(today=options["today"] or timezone.localdate(), send=not options["no_send"])
        self.stdout.write(
            self.style.SUCCESS(
                f"提醒：新增 {result.opened}，保留 {result.kept}，自动关闭 {result.closed}，发送 {result.sent}。"
            )
        )
