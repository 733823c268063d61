"""``manage.py import_members PATH [--dry-run] [--org ID] [--user USERNAME] [--update]``."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from members.roster import ImportFileError, import_members
from organizations.models import Organization


class Command(BaseCommand):
    help = "Import party members from an .xlsx or .csv roster (all-or-nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count only; save nothing.")
        parser.add_argument("--org", type=int, help="Limit the import to this organization's subtree.")
        parser.add_argument("--user", help="Import as this user (their scope applies).")
        parser.add_argument("--update", action="store_true", help="Update members whose ID number exists.")

    def handle(self, *args, path, dry_run, org, user, update, **options):
        translation.activate("zh-hans")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{path}")
        node = None
        if org is not None:
            node = Organization.objects.filter(pk=org).first()
            if node is None:
                raise CommandError(f"组织不存在：{org}")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"用户不存在：{user}")
        try:
            report = import_members(
                data=file.read_bytes(),
                filename=file.name,
                user=actor,
                org=node,
                dry_run=dry_run,
                update_existing=update,
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"共 {report.total} 行，{len(report.errors)} 处错误，未保存任何数据。")
        for notice in report.notices:
            self.stdout.write(notice)
        verb = "将新增" if dry_run else "已新增"
        self.stdout.write(
            f"共 {report.total} 行：{verb} {report.created} 名，"
            f"{'将更新' if dry_run else '已更新'} {report.updated} 名。" + ("（试运行，未保存）" if dry_run else "")
        )
