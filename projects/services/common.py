"""Helpers shared by the writes of joint building and service."""

from __future__ import annotations

from organizations.models import Organization
from organizations.selectors import is_inside

IN_SERVICE = "in_service"


def _inside(node: Organization | None, root: Organization | None) -> bool:
    """``node`` lies in ``root``'s subtree (inclusive). Reads the tree fresh (one query):
    instances held by callers may predate later tree writes."""
    if node is None or root is None:
        return False
    return is_inside(node.pk, root.pk)


def _save(obj, fields: dict, *, exclude=None):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


def _locked(model, obj):
    """Re-read ``obj`` with a row lock (PostgreSQL; SQLite serializes writes anyway)."""
    return model.objects.select_for_update().get(pk=obj.pk)
