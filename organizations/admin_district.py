"""District-wide configuration in the admin (term lengths, meeting requirements, the negative
list of committee candidates): every staff user reads it, only district-level staff change it."""

from organizations.scope import scope_node_for, user_sees_everything


def district_level(user) -> bool:
    """A superuser, or staff scoped at a tree root (the district): the one level whose rules
    apply to every community below it."""
    if user_sees_everything(user):
        return True
    node = scope_node_for(user)
    return node is not None and node.parent_id is None


class DistrictDataAdminMixin:
    """Adding and changing only for district-level staff (``district_level``)."""

    def has_add_permission(self, request):
        return district_level(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return district_level(request.user) and super().has_change_permission(request, obj)
