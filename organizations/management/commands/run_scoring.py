"""``manage.py run_scoring --period 2026-Q3 [--org ID]``: score the branches now."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization
from organizations.scoring import score_branches


class Command(BaseCommand):
    help = "Score every branch (under --org) for a period: 2026-05, 2026-Q3 or 2026. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2026-05, 2026-Q3 or 2026")
        parser.add_argument("--org", type=int, help="Only branches under this organization id.")

    def handle(self, *args, **options):
        org = None
        if options["org"]:
            org = Organization.objects.filter(pk=options["org"]).first()
            if org is None:
                raise CommandError(f"组织 {options['org']} 不存在。")
        try:
            result = score_branches(period=options["period"], org=org)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{result.period}：已评分 {result.branches} 个支部，移除 {result.removed} 条过期评分。")
        )
