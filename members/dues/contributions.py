"""What the dues package plugs in (imported from ``members.contributions``)."""

from django.utils.translation import gettext_lazy as _

from core import registry
from core.audit.registry import register_append_only_model, register_audited_app
from core.auth.roles import Role, grant_role_permissions
from members.dues import reminder_rules, statistics  # noqa: F401
from members.dues.demo.seed import seed as demo_seed
from members.dues.printable import dues_ledger
from members.dues.scale import generate as scale_generate
from organizations.files import register_file_field

# The standard's rows come with the migration; scale data bulk-inserts bases and payments.
register_audited_app("members", bulk_created=["duesstandard", "duesbracket", "duesbase", "duespayment"])
for _label in ("duespayment", "fundallocation", "fundspending"):
    register_append_only_model(f"members.{_label}")

# Secretaries record their branch's dues, bases, reasons and spending; the district and
# streets record allocations.
registry.grant_role_permissions(
    "branch_secretary",
    *(
        f"members.{action}_{model}"
        for model in ("duespayment", "duesbase", "duesarrearsreason", "fundspending")
        for action in ("view", "add")
    ),
    "members.view_branchfund",
    "members.view_fundallocation",
)
grant_role_permissions(
    Role.SYSTEM_ADMIN, *(f"members.{a}_{m}" for m in ("duesstandard", "duesbracket") for a in ("view", "add", "change"))
)

register_file_field(
    "members.FundSpending", "receipt", prefix="funds/", name_field="receipt_name", type_field="receipt_type"
)

registry.register_demo_seeder(demo_seed, order=240)
registry.register_scale_generator(scale_generate, order=260)

# The 党费收缴 section of the branch's yearly ledger (after the roster).
registry.register_ledger_section(registry.LedgerSection("dues", _("Dues collection ledger"), 300, dues_ledger))
