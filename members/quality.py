"""The members app's 数据质量 checks and the 完整率 per branch (registered in ``members.contributions``).

完整率 of a branch: the share of its active members (正常 and 预备) whose record has every required
field — ID number, phone, compound (小区), and a building group (楼栋党小组) when the branch has
groups. The same fields the member checks count as missing, so the figure and the lists agree.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core import registry
from members import selectors
from members.models import Member, MemberStatus, Position, PositionKind
from organizations.models import Organization, OrganizationKind

RATE_DEFINITION = _(
    "Share of a branch's active members (full and probationary) whose record has an ID number, a phone, "
    "a compound and, when the branch has building groups, a building group."
)


def _branch_has_groups(path: str = "branch_id") -> Exists:
    return Exists(
        Organization.objects.filter(parent_id=OuterRef(path), kind=OrganizationKind.GROUP, dissolved_on__isnull=True)
    )


def _active(queryset):
    return queryset.filter(status=MemberStatus.ACTIVE)


def without_id_number(queryset, today):
    return _active(queryset).filter(id_number_encrypted="")


def without_phone(queryset, today):
    return _active(queryset).filter(phone_encrypted="")


def without_compound(queryset, today):
    return _active(queryset).filter(compound__isnull=True)


def without_group(queryset, today):
    """Active members of a branch that has building groups, assigned to none of them."""
    return _active(queryset).filter(group__isnull=True).filter(_branch_has_groups())


def probation_overdue(queryset, today):
    return selectors.probation_overdue(queryset, today=today)


def branches_without_secretary(queryset, today):
    """Compound branches (not dissolved) with no secretary in office today."""
    current = Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    secretary = Position.objects.filter(current, organization_id=OuterRef("pk"), kind=PositionKind.SECRETARY)
    return queryset.filter(kind=OrganizationKind.BRANCH, dissolved_on__isnull=True).filter(~Exists(secretary))


def incomplete_q() -> Q:
    """A member record missing a required field (the 完整率 definition above)."""
    return (
        Q(id_number_encrypted="")
        | Q(phone_encrypted="")
        | Q(compound__isnull=True)
        | (Q(group__isnull=True) & Q(has_groups=True))
    )


def completeness(branch_ids: list[int], today) -> dict[int, tuple[int, int]]:
    """{branch id: (complete records, active members)}: one grouped query."""
    rows = (
        _active(Member.objects.filter(branch_id__in=branch_ids))
        .annotate(has_groups=_branch_has_groups())
        .order_by()
        .values("branch_id")
        .annotate(total=Count("id"), incomplete=Count("id", filter=incomplete_q()))
    )
    return {r["branch_id"]: (r["total"] - r["incomplete"], r["total"]) for r in rows}


CHECKS = (
    ("members.without_id_number", _("Members without an ID number"), "members.member", without_id_number),
    ("members.without_phone", _("Members without a phone"), "members.member", without_phone),
    ("members.without_compound", _("Members without a compound"), "members.member", without_compound),
    ("members.without_group", _("Members without a building group"), "members.member", without_group),
    (
        "members.probation_overdue",
        _("Probationary members past their due date"),
        "members.member",
        probation_overdue,
    ),
    (
        "members.branch_without_secretary",
        _("Branches without a current secretary"),
        "organizations.organization",
        branches_without_secretary,
    ),
)


def register() -> None:
    for order, (key, label, model, rows) in enumerate(CHECKS, start=100):
        registry.register_quality_check(registry.QualityCheck(key, label, model, order, rows))
    registry.register_quality_rate(registry.QualityRate(_("Completeness rate"), RATE_DEFINITION, completeness))
