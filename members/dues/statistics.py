"""The 党费 statistics block: due, paid, collection rate, members in arrears, and the branch
funds' allocations and spending, for any subtree and period (registered from contributions).

The dues figures are read from the maintained summaries (``members.dues.rollup``), never from
the ledger: per branch, the monthly amount due is the sum of its changes up to a month, so the
amount due over the months ``[s, e]`` is ``Σ change × (e − max(month, s) + 1)`` over the rows up
to ``e``; paid is the rows of ``[s, e]``; members in arrears are those with a run of unpaid
months overlapping the period. Equal to ``ledger.member_figures`` over the raw rows (tested)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, Q, Sum, Value
from django.db.models.functions import ExtractMonth, ExtractYear, Greatest
from django.utils.translation import gettext_lazy as _

from members.models import DuesArrearsSpan, DuesRollup, FundAllocation, FundSpending
from members.statistics import COMPOUND_WRITES, MEETING_WRITES
from organizations.models import Organization, OrganizationKind
from organizations.selectors import contains, in_subtree, outermost
from organizations.statistics import Figure, StatBlock, rate, register_stat_block, subtree_rows_q

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
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


def _index(month) -> int:
    return month.year * 12 + month.month - 1


def _grouped(qs, by: str | None, aggregates: dict) -> list[tuple]:
    """``[(group, *aggregates)]``: grouped by the ``by`` column, or one row (group ``None``)."""
    if by is None:
        row = qs.aggregate(**aggregates)
        return [(None, *(row[k] for k in aggregates))]
    return list(qs.values(by).annotate(**aggregates).values_list(by, *aggregates))


def _zero() -> dict:
    return {"dues.due": ZERO, "dues.paid": ZERO, "dues.due_months": 0, "dues.paid_months": 0, "dues.in_arrears": 0}


def branch_dues(where: Q, start, end, *, by_branch: bool = True) -> dict[int | None, dict]:
    """``dues.*`` figures over the months of ``[start, end]`` from the summaries of the branches
    ``where`` (a filter on ``branch``) selects: per branch, or in total (key ``None``); two
    aggregate queries."""
    first, last = _index(start), _index(end)
    start, end = start.replace(day=1), end.replace(day=1)
    index = ExtractYear("month") * 12 + ExtractMonth("month") - 1
    months = Value(last + 1) - Greatest(index, Value(first), output_field=IntegerField())
    in_period = Q(month__gte=start)
    by = "branch_id" if by_branch else None
    out: dict[int | None, dict] = {}
    rows = _grouped(
        DuesRollup.objects.filter(where, month__lte=end),
        by,
        {
            "due": Sum(F("due_amount_change") * months, output_field=DecimalField(max_digits=20, decimal_places=2)),
            "due_months": Sum(F("due_months_change") * months),
            "paid": Sum("paid_amount", filter=in_period),
            "paid_months": Sum("paid_months", filter=in_period),
        },
    )
    for key, due, due_months, paid, paid_months in rows:
        out[key] = _zero() | {
            "dues.due": Decimal(due or 0).quantize(CENT),
            "dues.paid": Decimal(paid or 0).quantize(CENT),
            "dues.due_months": due_months or 0,
            "dues.paid_months": paid_months or 0,
        }
    overlapping = Q(first_month__lte=end) & (Q(last_month__isnull=True) | Q(last_month__gte=start))
    spans = DuesArrearsSpan.objects.filter(where, overlapping)
    for key, n in _grouped(spans, by, {"n": Count("member_id", distinct=True)}):
        out.setdefault(key, _zero())["dues.in_arrears"] = n or 0
    return out


def _funds(where: Q, period, by: str | None):
    for model, date_field, key in (
        (FundAllocation, "allocated_on", "dues.funds_allocated"),
        (FundSpending, "spent_on", "dues.funds_spent"),
    ):
        qs = model.objects.filter(where, **{f"{date_field}__range": (period.start, period.end)})
        for group, total in _grouped(qs, by, {"total": Sum("amount")}):
            yield group, {key: total or ZERO}


def _empty(nodes) -> dict:
    out = {n.pk: dict.fromkeys(KEYS, 0) for n in nodes}
    for values in out.values():
        for key in ("dues.due", "dues.paid", "dues.funds_allocated", "dues.funds_spent"):
            values[key] = ZERO
    return out


def dues_part(nodes, period):
    """Two summary queries and two fund sums for all the branches under the nodes asked for (one
    node: summed in the database; several: per branch, then added up the tree)."""
    nodes = list(nodes)
    out = _empty(nodes)
    if len(nodes) == 1:
        node = nodes[0]
        # The branch key probed with the subtree's ids when small, a join on the range when large.
        parts = [branch_dues(subtree_rows_q("branch", node), period.start, period.end, by_branch=False)[None]]
        parts += [v for _g, v in _funds(in_subtree("fund__branch", node), period, None)]
        for values in parts:
            for key, value in values.items():
                out[node.pk][key] += value
    else:
        branches = _branches(nodes)
        if branches:
            for branch_id, values in branch_dues(Q(branch_id__in=list(branches)), period.start, period.end).items():
                _add(out, nodes, branches[branch_id], values)
            for branch_id, values in _funds(Q(fund__branch_id__in=list(branches)), period, "fund__branch_id"):
                _add(out, nodes, branches[branch_id], values)
    for values in out.values():
        values["dues.rate"] = rate(values["dues.paid_months"], values["dues.due_months"])
    return out


register_stat_block(
    StatBlock(
        name="dues",
        unaffected_by=MEETING_WRITES | COMPOUND_WRITES,
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
