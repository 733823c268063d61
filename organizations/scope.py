"""The one scoping mechanism: every model filters to a user's subtree through ``for_user``.

A model declares ``SCOPE_PATHS``: lookups from it to an ``Organization`` (``""`` when the model
is the organization itself). An object is in a user's scope when any of its paths points inside
the user's scope node's subtree (``tree_id`` equal and ``lft``/``rght`` within the range).
Admin, API, pages, exports and statistics all call ``for_user``; outside the scope an object
does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Lookup, Q, Subquery

if TYPE_CHECKING:
    from organizations.models import Organization

_CACHE_ATTR = "_scope_node_cache"


def scope_node_for(user) -> Organization | None:
    """The organization whose subtree ``user`` may see, or ``None`` (nothing, or everything for
    a superuser; check ``user.is_superuser`` first). Cached on the user object per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, _CACHE_ATTR):
        return getattr(user, _CACHE_ATTR)
    from organizations.models import AccessScope

    scope = AccessScope.objects.select_related("organization").filter(user_id=user.pk).first()
    node = scope.organization if scope else None
    setattr(user, _CACHE_ATTR, node)
    return node


def forget_scope(user) -> None:
    """Drop the cached scope node (after the user's scope changed)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def subtree_q(path: str, node: Organization) -> Q:
    """A Q object matching rows whose ``path`` organization lies in ``node``'s subtree."""
    prefix = f"{path}__" if path else ""
    return Q(
        **{
            f"{prefix}tree_id": node.tree_id,
            f"{prefix}lft__gte": node.lft,
            f"{prefix}rght__lte": node.rght,
        }
    )


def subtree_filter(model, node: Organization) -> Q:
    """Q for ``model`` rows inside ``node``'s subtree along any of its scope paths."""
    q = Q()
    for path in model.SCOPE_PATHS:
        q |= subtree_q(path, node)
    return q


class InArray(Lookup):
    """``column = ANY(ARRAY(subquery))`` on PostgreSQL, ``column IN (subquery)`` elsewhere.

    The array is computed once (an InitPlan) and the outer row estimate is the planner's guess
    for an array parameter, not the product of three range selectivities over scalar subqueries
    (which misestimated a district's 100k members as 10k and picked nested loops)."""

    lookup_name = "in_array"

    def _parts(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return lhs, rhs, (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._parts(compiler, connection)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._parts(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", params


models.Field.register_lookup(InArray)
models.ForeignObject.register_lookup(InArray)


def _live_range(node_id: int) -> Q:
    """Nodes (an Organization filter) inside ``node_id``'s nested-set range, read in the same
    statement, so a tree write earlier in the same request can never leave it stale."""
    from organizations.models import Organization

    node = Organization.objects.filter(pk=node_id).order_by()
    return Q(
        tree_id=Subquery(node.values("tree_id")[:1]),
        lft__gte=Subquery(node.values("lft")[:1]),
        rght__lte=Subquery(node.values("rght")[:1]),
    )


def live_subtree_ids(node_id: int):
    """The ids of ``node_id``'s subtree as a subquery (``_live_range``)."""
    from organizations.models import Organization

    return Subquery(Organization.objects.filter(_live_range(node_id)).order_by().values("pk"))


def live_subtree_filter(model, node_id: int) -> Q:
    """Like ``subtree_filter`` but through ``live_subtree_ids``: each scope path's key is tested
    against the subtree's id array (``= ANY(ARRAY(...))``), one index probe per path. The nodes
    themselves (path ``""``) are tested against the range: the ``(tree_id, lft)`` index then
    serves a list in tree order, so a page reads its own rows, not the whole subtree."""
    ids = live_subtree_ids(node_id)
    q = Q()
    for path in model.SCOPE_PATHS:
        q |= _live_range(node_id) if path == "" else Q(**{f"{path}__in_array": ids})
    return q


def user_sees_everything(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


class ScopedQuerySet(models.QuerySet):
    """QuerySet with the scope filters. Models set ``SCOPE_PATHS``."""

    def for_user(self, user) -> ScopedQuerySet:
        """Only the rows ``user`` may see: everything for an active superuser, the scope node's
        subtree for staff with an ``AccessScope``, nothing otherwise."""
        if user_sees_everything(user):
            return self.all()
        node = scope_node_for(user)
        if node is None:
            return self.none()
        return self.filter(live_subtree_filter(self.model, node.pk))

    def in_subtree(self, node: Organization) -> ScopedQuerySet:
        """Rows under ``node`` (inclusive), along any scope path."""
        return self.filter(subtree_filter(self.model, node))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


# --- Writes -------------------------------------------------------------------------------------
# Reading needs one link inside the subtree; writing needs every link inside it (docs/security.md,
# "Writes"). A model may narrow which paths count for writing (``SCOPE_WRITE_PATHS``, e.g. a
# resident request is placed "in" the community above the branch that handles it) and may split
# its fields by side (``SCOPE_SIDE_FIELDS``: path -> field and action names that belong to the
# organization on that path), so each side of a shared record changes only its own part.


def write_paths(model) -> tuple[str, ...]:
    return tuple(getattr(model, "SCOPE_WRITE_PATHS", None) or model.SCOPE_PATHS)


def linked_organization_ids(obj) -> dict[str, set[int]]:
    """For a saved ``obj``: every organization id it links to, per write path (nulls left out)."""
    model = type(obj)
    links: dict[str, set[int]] = {}
    for path in write_paths(model):
        if path == "":
            links[path] = {obj.pk}
            continue
        rows = (
            model._default_manager.filter(pk=obj.pk)
            .exclude(**{f"{path}__isnull": True})
            .values_list(f"{path}__pk", flat=True)
        )
        links[path] = set(rows)
    return links


def ids_inside(user, org_ids) -> set[int]:
    """The subset of ``org_ids`` that lies inside ``user``'s subtree."""
    from organizations.models import Organization

    org_ids = {i for i in org_ids if i is not None}
    if not org_ids:
        return set()
    if user_sees_everything(user):
        return org_ids
    return set(Organization.objects.for_user(user).filter(pk__in=org_ids).values_list("pk", flat=True))


def shared_write_refusal(user, obj, *, changing: set[str]) -> list[str]:
    """The names in ``changing`` (payload fields, or an action name) that ``user`` may not change
    on ``obj`` because the record also belongs to organizations outside the user's subtree.
    Empty when the write is allowed: the user covers every link, or only touches fields of the
    side(s) they cover (``SCOPE_SIDE_FIELDS``)."""
    if user_sees_everything(user):
        return []
    model = type(obj)
    links = linked_organization_ids(obj)
    inside = ids_inside(user, set().union(*links.values()) if links else set())
    # Paths through the same first relation describe one place (``compound__community`` and
    # ``compound__branch``: the compound's community and the branch covering it); the place is
    # the user's when one of them is fully inside. Separate relations are separate owners.
    groups: dict[str, list[str]] = {}
    for path in links:
        groups.setdefault(path.split("__")[0], []).append(path)
    covered: set[str] = set()
    for paths in groups.values():
        if any(links[p] <= inside for p in paths):
            covered |= set(paths)
    if len(covered) == len(links):
        return []
    sides = getattr(model, "SCOPE_SIDE_FIELDS", {}) or {}
    allowed: set[str] = set()
    for path in covered:
        allowed |= set(sides.get(path, ()))
    refused = sorted(set(changing) - allowed)
    if not changing:
        return ["non_field_errors"]
    return refused
