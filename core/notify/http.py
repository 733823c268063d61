"""One small HTTP client for the adapters and the webhooks: POST a body, raise ``DeliveryFailed``
on anything but a 2xx answer. Standard library only, with a timeout from the settings."""

from __future__ import annotations

import urllib.error
import urllib.request

from django.conf import settings

from core.notify.base import DeliveryFailed


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST ``body`` to ``url``; ``(status, response text)`` for a 2xx answer."""
    if not url.lower().startswith(("http://", "https://")):
        raise DeliveryFailed("only http(s) URLs are allowed")
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    timeout = getattr(settings, "NOTIFY_HTTP_TIMEOUT", 5)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(4096).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        failure = DeliveryFailed(f"HTTP {exc.code}")
        failure.status = exc.code
        raise failure from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryFailed(f"connection failed: {reason}"[:200]) from None
