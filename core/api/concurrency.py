"""Optimistic concurrency for the API: no lost updates between two editors.

``GET`` of a record returns an ``ETag`` derived from its version field (``updated_at`` by
default, or an integer ``version``). A ``PUT``/``PATCH`` that sends ``If-Match`` with an older
ETag is refused with 412 and a message telling the editor to reload; nothing is written. The
check and the write happen in one transaction with the row locked, so two editors racing with
the same ETag cannot both win. Without ``If-Match`` the write goes through (old clients), unless
the viewset sets ``require_if_match = True`` (then 428).

Use: ``class CompoundViewSet(OptimisticConcurrencyMixin, ScopedModelViewSet)``.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale"

    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this record after you opened it. "
                "Reload it to see their changes, then make yours again."
            ),
            code="stale",
        )


class PreconditionRequired(APIException):
    status_code = 428
    default_code = "if_match_required"

    def __init__(self):
        super().__init__(_("Send the ETag you read in an If-Match header."), code="if_match_required")


def etag_for(obj, value) -> str:
    raw = f"{obj._meta.label_lower}:{obj.pk}:{value.isoformat() if hasattr(value, 'isoformat') else value}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:24] + '"'


def _parse_if_match(header: str) -> list[str]:
    tags = []
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        if part:
            tags.append(part)
    return tags


class OptimisticConcurrencyMixin:
    version_field = "updated_at"
    require_if_match = False

    def lock_for_update(self, instance) -> None:
        """Serialize writers of ``instance`` until the transaction ends: a row lock by default.
        A viewset whose service takes a broader lock first (the organization tree's advisory
        lock) overrides this to take that lock, so the two never wait on each other."""
        type(instance)._base_manager.select_for_update().filter(pk=instance.pk).values_list("pk").first()

    def _current_version(self, instance, *, lock: bool):
        if lock:
            self.lock_for_update(instance)
        manager = type(instance)._base_manager
        return manager.filter(pk=instance.pk).values_list(self.version_field, flat=True).first()

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance)
        return Response(serializer.data, headers={"ETag": etag_for(instance, getattr(instance, self.version_field))})

    def update(self, request, *args, **kwargs):
        header = request.headers.get("If-Match")
        if header is None and self.require_if_match:
            raise PreconditionRequired()
        with transaction.atomic():
            instance = self.get_object()
            current = self._current_version(instance, lock=True)
            if header is not None:
                tags = _parse_if_match(header)
                if "*" not in tags and etag_for(instance, current) not in tags:
                    raise PreconditionFailed()
            response = super().update(request, *args, **kwargs)
            if response.status_code == status.HTTP_200_OK:
                response["ETag"] = etag_for(instance, self._current_version(instance, lock=False))
        return response
