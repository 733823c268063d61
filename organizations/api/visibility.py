"""What an API representation may show of objects outside the user's subtree.

A record in scope can point to objects that are not (a member's home organization in another
community, a partner registered by a sibling community, the parent of the user's own top node).
Outside the scope an object does not exist, so its id never appears; per field, a model may let
the *name* of an outside organization show (``SCOPE_OUTSIDE_NAMES``: e.g. a member's home
organization — staff need to know where the organizational relationship sits); the user's own
ancestors show by name as well (the user knows the chain above them). Everything else vanishes:
an outside id becomes ``null`` (or leaves a list), an outside brief becomes ``null``.
The rules are written down in docs/security.md ("What shows of outside objects").

Checks of organizations are done in Python against the scope node's nested-set values (no
query; the viewsets ``select_related`` them). Other models are checked once per list and model
(``prime``), so list endpoints keep a constant number of queries.
"""

from __future__ import annotations

from django.db import models
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField

from organizations.scope import scope_node_for, user_sees_everything
from organizations.selectors import TREE_FIELDS, contains

_CACHE = "_visible_ids"


def _fresh_node(context, user):
    """The user's scope node with its nested-set values as they are now: after a write in the
    same request (a new child moves them) they are read again, once per response."""
    cache = context.setdefault(_CACHE, {})
    if "scope_node" not in cache:
        node = scope_node_for(user)  # loaded with the user, once per request
        request = context.get("request")
        if node is not None and getattr(request, "method", "GET") not in ("GET", "HEAD", "OPTIONS"):
            from organizations.models import Organization

            node = Organization.objects.filter(pk=node.pk).only(*NODE_FIELDS).first()
        cache["scope_node"] = node
    return cache["scope_node"]


def org_position(user, org, node=None) -> str:
    """``"inside"``, ``"ancestor"`` (above the user's scope node) or ``"outside"``."""
    node = node if node is not None else scope_node_for(user)
    if node is None:
        return "outside"
    if contains(node, org):
        return "inside"
    if contains(org, node):  # org is above the scope node (contains() includes the node itself)
        return "ancestor"
    return "outside"


def _related_model(serializer, field):
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    source = (field.source or field.field_name or "").split(".")[0]
    if model is None or not source or source == "*":
        return None, source
    try:
        model_field = model._meta.get_field(source)
    except Exception:  # noqa: BLE001 - a computed attribute: not a relation
        return None, source
    if not model_field.is_relation or model_field.related_model is None:
        return None, source
    return model_field.related_model, source


def _checked_fields(serializer):
    """``(name, field, related model, source, many, nested)`` of the fields that show related objects."""
    out = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        many = isinstance(field, ManyRelatedField)
        nested = isinstance(field, serializers.BaseSerializer) and not isinstance(field, serializers.ListSerializer)
        if not (many or nested or isinstance(field, RelatedField)):
            continue
        related, source = _related_model(serializer, field)
        if related is None or not hasattr(related._default_manager, "for_user"):
            continue
        out.append((name, field, related, source, many, nested))
    return out


def _ids(instance, source, many):
    if many:
        return [obj.pk for obj in getattr(instance, source).all()]
    value = getattr(instance, f"{source}_id", None)
    return [value] if value is not None else []


def prime(serializer, instances, user) -> None:
    """Look up, once per model, which related ids of ``instances`` the user may see."""
    from organizations.models import Organization

    cache = serializer.context.setdefault(_CACHE, {})
    wanted: dict[type, set] = {}
    nodes = cache.setdefault("nodes", {})
    for _name, _field, related, source, many, _nested in _checked_fields(serializer):
        if related is Organization:
            if not many:  # nodes not loaded with the row: their nested-set values, one query
                ids = {
                    getattr(i, f"{source}_id", None) for i in instances if source not in i._state.fields_cache
                } - set(nodes)
                ids.discard(None)
                if ids:
                    nodes.update({o.pk: o for o in Organization.objects.filter(pk__in=ids).only(*NODE_FIELDS)})
            continue
        for instance in instances:
            wanted.setdefault(related, set()).update(_ids(instance, source, many))
    for related, ids in wanted.items():
        known = cache.setdefault(related, {})
        missing = ids - set(known)
        if missing:
            visible = set(related._default_manager.for_user(user).filter(pk__in=missing).values_list("pk", flat=True))
            known.update({pk: pk in visible for pk in missing})


NODE_FIELDS = ("name", "kind", *TREE_FIELDS)


def _node(serializer, instance, source):
    if source in instance._state.fields_cache:
        return instance._state.fields_cache[source]
    pk = getattr(instance, f"{source}_id", None)
    if pk is None:
        return None
    from organizations.models import Organization

    nodes = serializer.context.setdefault(_CACHE, {}).setdefault("nodes", {})
    if pk not in nodes:
        nodes[pk] = Organization.objects.filter(pk=pk).only(*NODE_FIELDS).first()
    return nodes[pk]


def _visible(serializer, related, pk, user) -> bool:
    known = serializer.context.setdefault(_CACHE, {}).setdefault(related, {})
    if pk not in known:
        known[pk] = related._default_manager.for_user(user).filter(pk=pk).exists()
    return known[pk]


def hide_outside(serializer, instance, data: dict, user) -> dict:
    """Apply the rules above to one representation."""
    from organizations.models import Organization

    if user is None or user_sees_everything(user) or not isinstance(data, dict):
        return data
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    names_ok = set(getattr(model, "SCOPE_OUTSIDE_NAMES", ()))
    for name, _field, related, source, many, nested in _checked_fields(serializer):
        if name not in data or data[name] is None:
            continue
        if related is Organization:
            if many:
                continue
            org = _node(serializer, instance, source)
            if org is None:
                continue
            where = org_position(user, org, _fresh_node(serializer.context, user))
            if where == "inside":
                continue
            if nested and (where == "ancestor" or source in names_ok):
                data[name] = {**data[name], "id": None} if isinstance(data[name], dict) else None
            else:
                data[name] = None
            continue
        if many:
            data[name] = [pk for pk in data[name] if _visible(serializer, related, pk, user)]
            continue
        pk = getattr(instance, f"{source}_id", None)
        if pk is not None and not _visible(serializer, related, pk, user):
            data[name] = None
    return data


class ScopedListSerializer(serializers.ListSerializer):
    """Checks the related objects of a whole page at once before representing each row."""

    def to_representation(self, data):
        items = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and not user_sees_everything(user):
            prime(self.child, items, user)
            _prime_nested(self.child, items, user)
        return [self.child.to_representation(item) for item in items]


def _prime_nested(serializer, instances, user) -> None:
    """Prime the nested lists of a whole page at once (e.g. a post's holders), so each row's
    nested list finds its related ids known and asks nothing (constant queries per page)."""
    for field in getattr(serializer, "fields", {}).values():
        if not isinstance(field, ScopedListSerializer) or field.source == "*":
            continue
        nested = []
        for instance in instances:
            value = getattr(instance, field.source, None)
            if isinstance(value, models.manager.BaseManager):
                value = value.all()
            nested.extend(value or ())
        if nested:
            prime(field.child, nested, user)
