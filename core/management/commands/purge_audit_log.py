"""Delete audit entries older than the retention period (at least 180 days)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core import audit


class Command(BaseCommand):
    help = "Delete audit entries older than --days (default AUDIT_RETENTION_DAYS; never below 180)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days=None, **options):
        days = audit.retention_days() if days is None else days
        try:
            deleted = audit.purge_older_than(days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Deleted {deleted} audit entries older than {days} days.")
