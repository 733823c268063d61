"""ETags and conditional GET for every API read.

The ETag is a hash of the rendered body (so it changes whenever anything shown changes, including
the cumulative counts and the caller's scope); ``If-None-Match`` with a matching tag gets a 304
with no body. It saves bandwidth for clients that poll (dashboards, city platforms), not
database work — the figures are computed to know whether they changed.
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

from core.api.renderers import is_xlsx


class ConditionalGetMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or is_xlsx(request):
            return response
        if getattr(response, "streaming", False):
            return response
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        # A view that versions its records (optimistic concurrency) has already set the ETag
        # that If-Match must echo; keep it so GET and PUT/PATCH agree on one tag.
        tag = response.get("ETag") or f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        response["ETag"] = tag
        # Per caller: a shared cache must never hand one scope's data to another.
        patch_cache_control(response, private=True, no_cache=True)
        wanted = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
        if tag in wanted or "*" in wanted:
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = tag
            patch_cache_control(not_modified, private=True, no_cache=True)
            return not_modified
        return response
