"""``manage.py check_org_tree [--fix]``: verify (and repair) the organization tree."""

from django.core.management.base import BaseCommand, CommandError

from organizations import services


class Command(BaseCommand):
    help = "Verify the nested sets of the organization tree; --fix rebuilds them from the parents."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Rebuild the nested sets.")

    def handle(self, *args, **options):
        problems = services.tree_problems()
        if not problems:
            self.stdout.write(self.style.SUCCESS("组织树检查通过：未发现问题。"))
            return
        for problem in problems[:200]:
            self.stdout.write(f"  组织 {problem.organization_id}: {problem.message}")
        self.stdout.write(f"共发现 {len(problems)} 个问题。")
        if not options["fix"]:
            raise CommandError("组织树有问题；使用 --fix 修复。")
        rewritten = services.organization_tree_rebuild()
        remaining = services.tree_problems()
        if remaining:
            for problem in remaining[:50]:
                self.stdout.write(f"  仍有问题 组织 {problem.organization_id}: {problem.message}")
            raise CommandError(f"已重建 {rewritten} 个节点，但仍有 {len(remaining)} 个问题需要人工处理。")
        self.stdout.write(self.style.SUCCESS(f"已修复：重建了 {rewritten} 个节点。"))
