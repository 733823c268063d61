"""The 党费 statistics block: due, paid, collection rate, members in arrears, and the branch
funds' allocations and spending, for any subtree and period (registered from contributions)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from members.dues.ledger import member_figures
from members.models import FundAllocation, FundSpending
from organizations.models import Organization, OrganizationKind
from organizations.selectors import contains, in_subtree, outermost
from organizations.statistics import Figure, StatBlock, rate, register_stat_block

ZERO = Decimal("0.00")
KEYS = (
    "dues.due",
    "dues.paid",
    "dues.due_months",
    "dues.paid_months",
    "dues.in_arrears",
    "dues.funds_allocated",
    "dues.funds_spent",
)


def _branches(nodes) -> dict[int, Organization]:
    """Every compound branch under the outermost of ``nodes``, by id (one query)."""
    q = Q(pk__in=[])
    for top in outermost(list(nodes)):
        q |= in_subtree("", top)
    return {b.pk: b for b in Organization.objects.filter(q, kind=OrganizationKind.BRANCH)}


def _add(out, nodes, branch, values: dict) -> None:
    for node in nodes:
        if node.pk == branch.pk or contains(node, branch):
            for key, value in values.items():
                out[node.pk][key] += value


def dues_part(nodes, period):
    """One ledger query for all the branches under the nodes asked for, two fund sums."""
    out = {n.pk: dict.fromkeys(KEYS, 0) for n in nodes}
    for values in out.values():
        for key in ("dues.due", "dues.paid", "dues.funds_allocated", "dues.funds_spent"):
            values[key] = ZERO
        values["dues.rate"] = None
    branches = _branches(nodes)
    if not branches:
        return out
    for _m, branch_id, due_m, due_amt, paid_m, paid_amt in member_figures(branches, period.start, period.end):
        _add(
            out,
            nodes,
            branches[branch_id],
            {
                "dues.due": due_amt,
                "dues.paid": paid_amt,
                "dues.due_months": due_m,
                "dues.paid_months": paid_m,
                "dues.in_arrears": int(paid_m < due_m),
            },
        )
    for model, date_field, key in (
        (FundAllocation, "allocated_on", "dues.funds_allocated"),
        (FundSpending, "spent_on", "dues.funds_spent"),
    ):
        rows = (
            model.objects.filter(fund__branch_id__in=branches, **{f"{date_field}__range": (period.start, period.end)})
            .values("fund__branch_id")
            .annotate(total=Sum("amount"))
        )
        for row in rows:
            _add(out, nodes, branches[row["fund__branch_id"]], {key: row["total"]})
    for values in out.values():
        values["dues.rate"] = rate(values["dues.paid_months"], values["dues.due_months"])
    return out


register_stat_block(
    StatBlock(
        name="dues",
        unaffected_by=frozenset({"members.meeting", "members.meetingrevision", "organizations.compound"}),
        label=_("Party dues and branch funds"),
        order=60,
        figures=[
            Figure(
                "dues.due", _("Dues due (yuan)"), _("Sum of the monthly amounts due in the period's months."), "amount"
            ),
            Figure(
                "dues.paid", _("Dues paid (yuan)"), _("Net payments for the months due (reversals deducted)."), "amount"
            ),
            Figure("dues.due_months", _("Member-months due"), _("Months with dues due, over all active members.")),
            Figure("dues.paid_months", _("Member-months paid"), _("Months due with a net payment.")),
            Figure(
                "dues.rate",
                _("Dues collection rate"),
                _("Member-months paid divided by member-months due."),
                "rate",
            ),
            Figure("dues.in_arrears", _("Members in arrears"), _("Active members with a month due and unpaid.")),
            Figure(
                "dues.funds_allocated",
                _("Fund allocations (yuan)"),
                _("Allocated to the branches in the period."),
                "amount",
            ),
            Figure("dues.funds_spent", _("Fund spending (yuan)"), _("Spent by the branches in the period."), "amount"),
        ],
        parts=[dues_part],
    )
)
