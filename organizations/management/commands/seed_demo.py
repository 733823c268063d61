"""``manage.py seed_demo``: load the demo district (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.registry import DemoContext, demo_seeders
from organizations.demo.seed import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo district 南岸区 (running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, **options):
        ctx = DemoContext(today=timezone.localdate(), write=self.stdout.write)
        with transaction.atomic():
            for seeder in demo_seeders():
                seeder(ctx)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪：南岸区"))
        if not options["quiet_logins"]:
            self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
            for role, username, scope in ctx.logins:
                self.stdout.write(f"  {role:<12} {username:<20} {scope}")
