"""The current request (user, client address, request id) for code far from the view.

``RequestContextMiddleware`` puts the request into a context variable; the audit trail reads the
user lazily at write time, because DRF's token authentication only sets ``request.user`` inside
the view, after every middleware ran. Celery tasks and management commands have no request:
their audit entries name their source instead.
"""

from __future__ import annotations

import contextvars
import re
import uuid

from django.conf import settings

_current_request: contextvars.ContextVar = contextvars.ContextVar("current_request", default=None)
_current_source: contextvars.ContextVar = contextvars.ContextVar("current_source", default="")

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request():
    return _current_request.get()


def set_source(source: str):
    """Label writes outside a request (``task:<name>``, ``command:<name>``); returns a token
    for ``reset_source``."""
    return _current_source.set(source)


def reset_source(token) -> None:
    _current_source.reset(token)


def current_source() -> str:
    return _current_source.get()


def client_address(request) -> str | None:
    """The client's IP address. Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (nginx appends
    ``$remote_addr`` to ``X-Forwarded-For``) the address is taken that many hops from the right
    of the header, which a client cannot forge; with no proxy, ``REMOTE_ADDR``."""
    meta = getattr(request, "META", {}) or {}
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops] or None
    return meta.get("REMOTE_ADDR") or None


def request_id_of(request) -> str:
    return getattr(request, "request_id", "")


class RequestContextMiddleware:
    """Give every request an id (kept from a well-formed ``X-Request-ID`` set by the proxy,
    else a new one), echo it in the response, and expose the request to the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response["X-Request-ID"] = request.request_id
        return response
