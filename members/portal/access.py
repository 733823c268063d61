"""Who reaches the member portal, and where a member login may not go.

``member_required``: the view runs only for a signed-in member login (others are sent to the
member login page, or get 403 when signed in as staff); the view receives the member, and
every portal query starts from it — never from a URL id. ``MemberBoundaryMiddleware`` keeps
member logins out of the staff tools (admin, secretary pages, dashboard, ledgers)."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from members.portal.accounts import member_of

LOGIN_URL = "/me/login/"
STAFF_PREFIXES = ("/admin/", "/branch/", "/dashboard/", "/ledgers/")
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/branch/login/", "/branch/logout/")


def member_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{LOGIN_URL}?next={quote(request.get_full_path())}")
        member = member_of(request.user)
        if member is None:
            raise PermissionDenied
        return view(request, member, *args, **kwargs)

    return wrapper


class MemberBoundaryMiddleware:
    """A member login never reaches the staff pages: 403 there (one lookup, only on those paths)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = getattr(request, "user", None)
        if (
            path.startswith(STAFF_PREFIXES)
            and not path.startswith(OPEN_PATHS)
            and getattr(user, "is_authenticated", False)
            and not user.is_staff
            and member_of(user) is not None
        ):
            raise PermissionDenied
        return self.get_response(request)
