"""Sessions that still owe the second factor reach only the two-factor pages (see
``core.auth.twofactor``)."""

from urllib.parse import quote

from django.http import JsonResponse
from django.shortcuts import redirect

from core.auth import accounts, twofactor

# Paths an unverified session may still reach: the two-factor pages themselves, logging out,
# the login pages, static files and the health check.
EXEMPT_PREFIXES = (
    "/account/2fa/",
    "/admin/logout/",
    "/admin/login/",
    "/admin/jsi18n/",
    "/branch/logout/",
    "/branch/login/",
    "/static/",
    "/healthz",
)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if not request.path.startswith(EXEMPT_PREFIXES) and twofactor.must_verify(user):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": twofactor.required_message()}, status=403)
            target = "core:2fa-verify" if twofactor.is_enrolled(user) else "core:2fa-setup"
            from django.urls import reverse

            return redirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


PASSWORD_CHANGE_PATHS = ("/admin/password_change/", "/account/password/")


class PasswordChangeRequiredMiddleware:
    """A user whose password an administrator set (new account, reset) changes it first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        path = request.path
        if (
            not path.startswith(EXEMPT_PREFIXES + PASSWORD_CHANGE_PATHS)
            and getattr(user, "is_authenticated", False)
            and accounts.must_change_password(user)
        ):
            if path.startswith("/api/"):
                return JsonResponse({"detail": accounts.must_change_message()}, status=403)
            return redirect("/account/password/")
        return self.get_response(request)
