"""Sidebar filters of the member list: the API's ``MemberFilterSet`` filters, plus the 转正 lists."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import FilterSetListFilter
from members import selectors
from members.filtersets import MemberFilterSet
from members.models import ManagementMode, MemberStatus, OccupationStatus, PartyStatus
from organizations.models import Organization, OrganizationKind
from organizations.selectors import in_subtree, scope_tree_choices, tree_order


class _MemberFilter(FilterSetListFilter):
    """A sidebar filter of the member list: one ``MemberFilterSet`` filter (same code, same meaning)."""

    filterset_class = MemberFilterSet
    options: list = []

    def lookups(self, request, model_admin):
        return self.options


def _member_filter(name: str, title, choices) -> type[_MemberFilter]:
    return type(
        f"Member{name.title().replace('_', '')}Filter",
        (_MemberFilter,),
        {
            "parameter_name": name,
            "title": title,
            "options": choices,
        },
    )


YES_NO = [("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]


class MemberSubtreeFilter(_MemberFilter):
    """Members anywhere under a street or community (by branch or home organization)."""

    title = gettext_lazy("organization subtree")
    parameter_name = "org"

    def lookups(self, request, model_admin):
        return scope_tree_choices(request)


class MemberBranchFilter(_MemberFilter):
    """Compound branches of the scope, narrowed to the chosen subtree."""

    title = gettext_lazy("compound branch")
    parameter_name = "branch_id"

    def lookups(self, request, model_admin):
        branches = Organization.objects.for_user(request.user).filter(kind=OrganizationKind.BRANCH)
        org = request.GET.get("org", "")
        node = Organization.objects.for_user(request.user).filter(pk=org).first() if org.isdigit() else None
        if node is not None:
            branches = branches.filter(in_subtree("", node))
        return [(o.pk, o.name) for o in branches.order_by(*tree_order()).only("name")[:500]]


class MemberGroupFilter(_MemberFilter):
    """The building groups of the chosen branch (shown once a branch is chosen)."""

    title = gettext_lazy("building group")
    parameter_name = "group_id"

    def lookups(self, request, model_admin):
        branch = request.GET.get("branch_id", "")
        if not branch.isdigit():
            return []
        groups = Organization.objects.for_user(request.user).filter(parent_id=branch, kind=OrganizationKind.GROUP)
        return [(o.pk, o.name) for o in groups.order_by(*tree_order()).only("name")]


MEMBER_LIST_FILTERS = (
    MemberSubtreeFilter,
    MemberBranchFilter,
    MemberGroupFilter,
    _member_filter("party_status", gettext_lazy("party status"), PartyStatus.choices),
    _member_filter("occupation_status", gettext_lazy("occupation status"), OccupationStatus.choices),
    _member_filter("floating", gettext_lazy("floating"), YES_NO),
    _member_filter("reported", gettext_lazy("Reported to the compound"), YES_NO),
    _member_filter("lost_contact", gettext_lazy("lost contact"), YES_NO),
    _member_filter("management_mode", gettext_lazy("management mode"), ManagementMode.choices),
    _member_filter("status", gettext_lazy("status"), MemberStatus.choices),
)


class ProbationFilter(admin.SimpleListFilter):
    title = gettext_lazy("Probation")
    parameter_name = "probation"

    def lookups(self, request, model_admin):
        days = settings.PROBATION_DUE_SOON_DAYS  # the one 即将转正 window
        return (("due", _("Due for full membership within %(days)d days") % {"days": days}), ("overdue", _("Overdue")))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due":
            return selectors.probation_due_soon(queryset, today=today)
        if self.value() == "overdue":
            return selectors.probation_overdue(queryset, today=today)
        return queryset
