"""Branch funds: allocations from the district or a street (returned dues 党费返还, start-up
grants, project support) and what the branch spent. Balance = allocations − spending, never
negative: every write locks the branch's fund row (select_for_update) and checks it there.

Higher apps (a joint-build project's 党费返还 funding) call ``fund_draw``; this app never
names them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.auth.accounts import recorded_user
from members.attachments import check_attachments
from members.dues.standards import money
from members.models import BranchFund, FundAllocation, FundKind, FundSpending
from organizations.models import Organization, OrganizationKind

ALLOCATING_KINDS = (OrganizationKind.DISTRICT, OrganizationKind.STREET)


def _positive(value, field: str) -> Decimal:
    amount = money(value, field)
    if amount <= 0:
        raise ValidationError({field: _("Enter an amount above zero.")})
    return amount


def _fund(branch: Organization, *, lock: bool) -> BranchFund:
    if branch.kind != OrganizationKind.BRANCH:
        raise ValidationError({"branch": _("Funds are kept per compound branch.")})
    fund, _created = BranchFund.objects.get_or_create(branch=branch)
    if lock:
        fund = BranchFund.objects.select_for_update().get(pk=fund.pk)
    return fund


def fund_balance(branch: Organization) -> Decimal:
    """The branch's current balance (0.00 when nothing was ever allocated)."""
    fund = BranchFund.objects.filter(branch=branch).first()
    return fund.balance if fund else Decimal("0.00")


@transaction.atomic
def allocation_create(
    *, branch, allocated_by_org, kind: str, amount, allocated_on: datetime.date, note: str = "", actor=None
) -> FundAllocation:
    """The district or a street above ``branch`` allocates ``amount`` to it."""
    if kind not in FundKind.values:
        raise ValidationError({"kind": _("Choose returned dues, start-up grant or project support.")})
    amount = _positive(amount, "amount")
    if allocated_by_org is None or allocated_by_org.kind not in ALLOCATING_KINDS:
        raise ValidationError({"allocated_by_org": _("Allocations come from the district or a street.")})
    # Fresh tree fields: objects held by the caller may predate later tree writes.
    if not branch.get_ancestors().filter(pk=allocated_by_org.pk).exists():
        raise ValidationError({"allocated_by_org": _("The allocating organization must be above the branch.")})
    fund = _fund(branch, lock=True)
    allocation = FundAllocation.objects.create(
        fund=fund,
        allocated_by_org=allocated_by_org,
        kind=kind,
        amount=amount,
        allocated_on=allocated_on,
        note=note,
        recorded_by=recorded_user(actor),
    )
    BranchFund.objects.filter(pk=fund.pk).update(balance=F("balance") + amount)
    return allocation


@transaction.atomic
def spending_create(
    *, branch, spent_on: datetime.date, purpose: str, amount, receipt=None, source_label: str = "", actor=None
) -> FundSpending:
    """Record what a branch spent. Refused when it would make the balance negative; the
    receipt (image or PDF/Office document) is judged by its bytes like meeting attachments."""
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Say what the money was spent on.")})
    amount = _positive(amount, "amount")
    checked = None
    if receipt:
        try:
            checked = check_attachments([receipt])[0]
        except ValidationError as exc:
            raise ValidationError({"receipt": exc.message_dict["attachments"]}) from None
    fund = _fund(branch, lock=True)
    if amount > fund.balance:
        raise ValidationError({"amount": _("The branch fund holds only %(balance)s yuan.") % {"balance": fund.balance}})
    spending = FundSpending(
        fund=fund,
        spent_on=spent_on,
        purpose=purpose.strip(),
        amount=amount,
        source_label=source_label,
        recorded_by=recorded_user(actor),
    )
    if checked:
        spending.receipt_name, spending.receipt_type = checked.name, checked.content_type
        spending.receipt.save(checked.name, ContentFile(checked.data), save=False)
    spending.save()
    BranchFund.objects.filter(pk=fund.pk).update(balance=F("balance") - amount)
    return spending


def fund_draw(*, branch, amount, spent_on: datetime.date, purpose: str, source_label: str, actor=None) -> FundSpending:
    """For higher apps: draw ``amount`` from the branch fund (e.g. a project funded by
    党费返还). Same rule as any spending: refused beyond the balance."""
    return spending_create(
        branch=branch, spent_on=spent_on, purpose=purpose, amount=amount, source_label=source_label, actor=actor
    )
