"""Dues standards and each member's dues base.

Per 《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号): in service, of the after-tax
monthly salary: ≤3000 yuan 0.5%, 3000–5000 1%, 5000–10000 1.5%, >10000 2%; retired, of the
pension received: ≤5000 0.5%, >5000 1%; farmers 0.2–1 yuan a month; students 0.2 yuan;
laid-off / unemployed / on relief or 低保: 0.2 yuan or exempt. Each bracket includes its upper
bound; members may pay more than the standard, never less.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.auth.accounts import recorded_user
from members.dues import rollup
from members.models import DuesBase, DuesBracket, DuesCategory, DuesStandard, Member

CENT = Decimal("0.01")
RATE_CATEGORIES = (DuesCategory.IN_SERVICE, DuesCategory.RETIRED)


def money(value, field: str) -> Decimal:
    """``value`` as yuan with two decimals, or a ValidationError naming ``field``."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 12.50.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in yuan, e.g. 12.50.")})
    if amount < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("At most two decimal places (fen).")})
    return amount.quantize(CENT)


def standard_in_force(on: datetime.date) -> DuesStandard:
    """The newest standard in force on ``on``."""
    standard = DuesStandard.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if standard is None:
        raise ValidationError({"valid_from": _("No dues standard is in force on this date.")})
    return standard


def bracket_for(standard: DuesStandard, category: str, income_base: Decimal) -> DuesBracket:
    """The bracket of ``category`` whose range holds ``income_base`` (upper bound included)."""
    brackets = [b for b in standard.brackets.all() if b.category == category]
    brackets.sort(key=lambda b: (b.upper_bound is None, b.upper_bound or 0))
    for bracket in brackets:
        if bracket.upper_bound is None or income_base <= bracket.upper_bound:
            return bracket
    raise ValidationError({"category": _("The dues standard has no bracket for this category.")})


def compute_monthly(standard: DuesStandard, category: str, income_base: Decimal) -> tuple[Decimal, DuesBracket]:
    """The monthly amount the standard asks for (rounded half up to the fen), and its bracket.
    For the fixed-amount categories (farmers, students, hardship) it is the bracket's minimum."""
    if category not in DuesCategory.values:
        raise ValidationError({"category": _("Choose a dues category.")})
    bracket = bracket_for(standard, category, income_base)
    if bracket.rate is not None:
        return (income_base * bracket.rate).quantize(CENT, rounding=ROUND_HALF_UP), bracket
    return bracket.min_amount, bracket


def _check_amount(monthly_amount, computed: Decimal, bracket: DuesBracket, category: str) -> Decimal:
    if monthly_amount in (None, ""):
        return computed
    amount = money(monthly_amount, "monthly_amount")
    if amount < computed:
        raise ValidationError(
            {"monthly_amount": _("The standard asks for at least %(amount)s yuan a month.") % {"amount": computed}}
        )
    return amount


@transaction.atomic
def dues_base_set(
    *,
    member: Member,
    valid_from: datetime.date,
    category: str,
    income_base=0,
    monthly_amount=None,
    exempt: bool = False,
    actor=None,
) -> DuesBase:
    """Record a member's dues base from ``valid_from`` (the month it starts) on.

    The amount is computed from the standard in force; a member may pay more (``monthly_amount``
    above the computed figure), never less. Exemption only where the standard allows it
    (laid-off, unemployed, relief, 低保), decided by the branch. A base for a month that already
    has one is refused: a change is a new base from a later month.
    """
    valid_from = valid_from.replace(day=1)
    income = money(income_base if income_base not in (None, "") else 0, "income_base")
    if category in RATE_CATEGORIES and income == 0:
        raise ValidationError({"income_base": _("Enter the monthly income the dues are computed from.")})
    standard = standard_in_force(valid_from)
    computed, bracket = compute_monthly(standard, category, income)
    if exempt:
        if not bracket.exempt_allowed:
            raise ValidationError({"exempt": _("The standard allows no exemption for this category.")})
        amount = Decimal("0.00")
    else:
        amount = _check_amount(monthly_amount, computed, bracket, category)
    if DuesBase.objects.filter(member=member, valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("The member already has a dues base from this month.")})
    base = DuesBase.objects.create(
        member=member,
        valid_from=valid_from,
        category=category,
        income_base=income,
        standard=standard,
        computed_amount=computed,
        monthly_amount=amount,
        exempt=exempt,
        created_by=recorded_user(actor),
    )
    rollup.members_changed([member.pk])
    return base


def base_for_month(member: Member, month: datetime.date) -> DuesBase | None:
    """The base in force in ``month`` (the latest one starting on or before it)."""
    return DuesBase.objects.filter(member=member, valid_from__lte=month.replace(day=1)).order_by("-valid_from").first()
