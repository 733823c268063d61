"""Session timeouts and security headers for every response."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout

IDLE_KEY = "_auth_last_seen"
START_KEY = "_auth_started"
# Refresh the idle stamp at most once a minute: a session write per request is not needed.
TOUCH_EVERY_SECONDS = 60


def clock() -> float:
    """Seconds since the epoch (a function so tests can move it)."""
    return time.time()


def mark_session_start(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: stamp the start of the session."""
    if hasattr(request, "session"):
        stamp = clock()
        request.session[START_KEY] = stamp
        request.session[IDLE_KEY] = stamp


class SessionTimeoutMiddleware:
    """Log a session out after ``SESSION_IDLE_TIMEOUT`` seconds without a request (30 minutes)
    or ``SESSION_ABSOLUTE_TIMEOUT`` seconds after login (12 hours), whatever the cookie says.
    Applies to every session login (staff and secretaries); token clients have no session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = clock()
            started = session.get(START_KEY)
            last_seen = session.get(IDLE_KEY)
            idle = getattr(settings, "SESSION_IDLE_TIMEOUT", 30 * 60)
            absolute = getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", 12 * 3600)
            if started is None or last_seen is None:
                session[START_KEY] = started or now
                session[IDLE_KEY] = now
            elif now - last_seen > idle or now - started > absolute:
                logout(request)  # flushes the session: the old cookie is worthless from now on
            elif now - last_seen > TOUCH_EVERY_SECONDS:
                session[IDLE_KEY] = now
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (X-Content-Type-Options,
    Referrer-Policy and Cross-Origin-Opener-Policy come from Django's SecurityMiddleware).

    Our pages load scripts only from our own origin; the API docs (Swagger UI, ReDoc) carry an
    inline bootstrap script, so they get the relaxed ``CSP_RELAXED_POLICY``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            relaxed = any(request.path.startswith(p) for p in getattr(settings, "CSP_RELAXED_PATHS", ()))
            policy = settings.CSP_RELAXED_POLICY if relaxed else settings.CONTENT_SECURITY_POLICY
            if policy:
                response["Content-Security-Policy"] = policy
        if getattr(settings, "PERMISSIONS_POLICY", "") and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response
