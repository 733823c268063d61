"""API permissions: Django model permissions (including view) on top of the scope.

The scope itself is enforced by the viewsets' querysets (``for_user``), so an object outside
the user's subtree is a 404, never a 403 that would confirm it exists. The permission is
checked before anything else runs (no validation, no lookup), so a role without write rights
gets 403 on every write: create needs ``add``, update and every custom action that writes
(``POST`` on a detail or list action) need ``change``, delete needs ``delete``.
"""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions

ACTION_PERMISSIONS = {
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


class ScopedModelPermissions(DjangoModelPermissions):
    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if getattr(view, "_ignore_model_permissions", False):
            return True
        model = self._queryset(view).model
        return request.user.has_perms(required_permissions(request.method, getattr(view, "action", None), model))


def required_permissions(method: str, action: str | None, model) -> list[str]:
    """The permissions a request needs: ``view`` to read; to write, the permission of the
    action (a custom action such as ``dismiss`` or ``claim`` changes the record)."""
    opts = model._meta
    if method in SAFE_METHODS:
        return [] if method == "OPTIONS" else [f"{opts.app_label}.view_{opts.model_name}"]
    verb = ACTION_PERMISSIONS.get(action or "", "change")
    if action is None:
        verb = {"POST": "add", "DELETE": "delete"}.get(method, "change")
    return [f"{opts.app_label}.{verb}_{opts.model_name}"]
