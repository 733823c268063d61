"""Reads of the organization tree. MPTT stays behind these functions.

The nested-set fields (``tree_id``, ``lft``, ``rght``) are read here, in the scope mechanism
(``scope.py``), the tree writes (``services.py``) and the set-based subtree aggregation
(``statistics/aggregates.py``) only; everything else asks these functions, so the tree could move to
another encoding (ltree, closure table) by changing this module (tests/test_layers.py keeps it so).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from django.apps import apps
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.registry import CUMULATIVE_COUNTS
from organizations.models import Organization, OrganizationKind
from organizations.scope import subtree_q

# Depth-first (pre-order) order of the whole forest: a parent before its children, siblings in
# their tree order. Also the ``ordering`` names the organization API accepts.
TREE_ORDER = ("tree_id", "lft")
# The nested-set bookkeeping columns: they shift on every tree write and say nothing to a reader.
NESTED_SET_FIELDS = ("lft", "rght", "tree_id", "level")


def tree_order(path: str = "") -> tuple[str, ...]:
    """``order_by(*tree_order("branch"))``: rows in the tree order of their ``path`` organization."""
    prefix = f"{path}__" if path else ""
    return tuple(prefix + name for name in TREE_ORDER)


def in_subtree(path: str, node: Organization) -> Q:
    """Rows whose ``path`` organization lies in ``node``'s subtree (``node`` included)."""
    return subtree_q(path, node)


def in_span(path: str, nodes) -> Q:
    """Rows whose ``path`` organization lies in the smallest range holding all of ``nodes`` (nodes
    of one tree, see ``tree_key``): one range scan for several subtrees, which ``spans`` then
    splits without a query."""
    prefix = f"{path}__" if path else ""
    return Q(
        **{
            f"{prefix}tree_id": nodes[0].tree_id,
            f"{prefix}lft__gte": min(n.lft for n in nodes),
            f"{prefix}rght__lte": max(n.rght for n in nodes),
        }
    )


def tree_position(path: str = "") -> F:
    """A row's position in its tree, for ``values(position=tree_position())``: what ``spans``
    takes to place the row under any node without a query."""
    return F(f"{path}__lft" if path else "lft")


def positions(queryset: QuerySet[Organization]) -> dict[int, int]:
    """``{id: tree position}`` of the organizations of ``queryset`` (one query)."""
    return dict(queryset.values_list("pk", "lft"))


def fresh(node: Organization) -> Organization:
    """``node``'s current tree bounds (one query): nested-set values held in memory since a tree
    write are stale."""
    return Organization.objects.only("tree_id", "lft", "rght").get(pk=node.pk)


# The columns a node object needs for ``contains`` / ``spans`` (load them with ``.only()``).
TREE_FIELDS = ("tree_id", "lft", "rght")


def contains(node: Organization, other: Organization) -> bool:
    """Whether ``other`` lies in ``node``'s subtree (``node`` itself included); no query."""
    return node.tree_id == other.tree_id and node.lft <= other.lft and other.rght <= node.rght


def tree_key(node: Organization) -> int:
    """Which tree of the forest ``node`` belongs to (nodes of one tree share it)."""
    return node.tree_id


def spans(node: Organization, position: int) -> bool:
    """Whether the tree position ``position`` (a ``lft`` read with a row) lies in ``node``'s subtree."""
    return node.lft <= position <= node.rght


def is_inside(node_id: int | None, root_id: int | None) -> bool:
    """Whether organization ``node_id`` lies in ``root_id``'s subtree (one query)."""
    if node_id is None or root_id is None:
        return False
    rows = {o.pk: o for o in Organization.objects.filter(pk__in=(node_id, root_id)).only("tree_id", "lft", "rght")}
    node, root = rows.get(node_id), rows.get(root_id)
    return bool(node and root and contains(root, node))


def outermost(nodes) -> list[Organization]:
    """The nodes no other of ``nodes`` contains (per tree), in the order given; no query."""
    return [n for n in nodes if not any(m is not n and m.pk != n.pk and contains(m, n) for m in nodes)]


def first_root() -> Organization | None:
    """The first top-level organization in tree order."""
    return Organization.objects.filter(parent__isnull=True).order_by(*TREE_ORDER).first()


def root_of(node: Organization) -> Organization:
    """The top-level organization of ``node``'s tree (one query)."""
    return Organization.objects.get(tree_id=node.tree_id, parent__isnull=True)


def subtree_of(node: Organization) -> QuerySet[Organization]:
    """``node`` and all its descendants."""
    return Organization.objects.filter(tree_id=node.tree_id, lft__gte=node.lft, rght__lte=node.rght)


def _merged_ranges(positions) -> list[tuple[int, int, int]]:
    """(tree_id, lft, rght) of the given nodes merged into disjoint ranges (a node inside another
    adds nothing): the part of the forest whose rows a count over these nodes has to read."""
    merged: list[list[int]] = []
    for tree_id, lft, rght in sorted(positions):
        if merged and merged[-1][0] == tree_id and lft <= merged[-1][2]:
            merged[-1][2] = max(merged[-1][2], rght)
        else:
            merged.append([tree_id, lft, rght])
    return [tuple(r) for r in merged]


def _ranges_q(prefix: str, ranges) -> Q:
    q = Q()
    for tree_id, lft, rght in ranges:
        q |= Q(**{f"{prefix}tree_id": tree_id, f"{prefix}lft__gte": lft, f"{prefix}lft__lte": rght})
    return q


def _owner_rows(spec, ranges):
    """(tree_id, lft, count) per owning node of ``spec``'s rows owned inside ``ranges``.

    Only rows owned inside the asked nodes' subtrees are read, so a page of small nodes costs
    what their subtrees hold, not the whole forest. For a direct foreign key the rows are counted
    per key first (the key tested against the ranges' id array) and only the (few) owners are
    joined to the tree, the cheapest plan: grouping each row by its owner's (tree_id, lft) would
    join every row. A longer path needs the join anyway."""
    if not ranges:
        return []
    model = apps.get_model(spec.model)
    if spec.path and "__" not in spec.path:
        attname = model._meta.get_field(spec.path).attname
        ids = Subquery(Organization.objects.filter(_ranges_q("", ranges)).order_by().values("pk"))
        owner, inside = F(attname), Q(**{f"{attname}__in_array": ids})
        if spec.finer_path:  # placed at the finer node when it has one (it lies inside ``path``'s subtree)
            finer = model._meta.get_field(spec.finer_path).attname
            owner = Coalesce(F(finer), F(attname))
            inside |= Q(**{f"{finer}__in_array": ids})
        counted = (
            model._default_manager.filter(inside, **spec.filters)
            .order_by()
            .values(count_owner=owner)
            .annotate(n=Count("*"))
        )
        inner, params = counted.query.sql_with_params()
        table = Organization._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT o.tree_id, o.lft, c.n FROM ({inner}) c JOIN {table} o ON o.id = c.count_owner",
                params,
            )
            return cursor.fetchall()
    prefix = f"{spec.path}__" if spec.path else ""
    return (
        model._default_manager.filter(_ranges_q(prefix, ranges), **spec.filters)
        .order_by()
        .values_list(f"{prefix}tree_id", f"{prefix}lft")
        .annotate(n=Count("*"))
    )


def _owner_index(spec, ranges) -> dict[int, tuple[list[int], list[int]]]:
    """One GROUP BY query: rows of ``spec.model`` per owning node, as per-tree sorted lft lists
    with prefix sums, so that any node's subtree total is two bisections away."""
    owners: dict[int, list[tuple[int, int]]] = {}
    for tree_id, lft, n in _owner_rows(spec, ranges):
        owners.setdefault(tree_id, []).append((lft, n))
    index = {}
    for tree_id, items in owners.items():
        items.sort()
        sums = [0]
        for _lft, n in items:
            sums.append(sums[-1] + n)
        index[tree_id] = ([lft for lft, _n in items], sums)
    return index


def _subtree_total(index, tree_id: int, lft: int, rght: int) -> int:
    lfts, sums = index.get(tree_id, ((), (0,)))
    return sums[bisect_right(lfts, rght)] - sums[bisect_left(lfts, lft)]


def _specs(attrs):
    return [(attr, spec) for attr, spec in CUMULATIVE_COUNTS.items() if attrs is None or attr in attrs]


def attach_cumulative_counts(nodes, attrs: list[str] | None = None) -> list[Organization]:
    """Set the registered subtree counts (``compound_count``, ``member_count``, ...) as attributes
    on already-fetched organizations, with one GROUP BY query per count whatever the number of
    nodes.

    Each query counts rows per owning node (tree_id, lft); prefix sums over the owners sorted by
    lft then give any node's subtree total as the sum over the owners with lft in [lft, rght].
    The scope holds automatically: a visible node's subtree lies inside the user's scope.
    """
    nodes = list(nodes)
    if not nodes:
        return nodes
    ranges = _merged_ranges((node.tree_id, node.lft, node.rght) for node in nodes)
    for attr, spec in _specs(attrs):
        index = _owner_index(spec, ranges)
        for node in nodes:
            setattr(node, attr, _subtree_total(index, node.tree_id, node.lft, node.rght))
    return nodes


def cumulative_counts(nodes: QuerySet[Organization], attrs: list[str] | None = None) -> dict[int, dict[str, int]]:
    """``{node_id: {attr: count}}`` for every node of ``nodes`` (e.g. a whole subtree), without
    building model instances: 1 + one query per count."""
    rows = list(nodes.order_by().values_list("id", "tree_id", "lft", "rght"))
    result: dict[int, dict[str, int]] = {pk: {} for pk, *_rest in rows}
    ranges = _merged_ranges(row[1:] for row in rows)
    for attr, spec in _specs(attrs):
        index = _owner_index(spec, ranges)
        for pk, tree_id, lft, rght in rows:
            result[pk][attr] = _subtree_total(index, tree_id, lft, rght)
    return result


def organization_path(node: Organization) -> list[Organization]:
    """Ancestors from the root down to ``node`` (one query)."""
    return list(node.get_ancestors(include_self=True))


def scope_tree_choices(request, kinds=None, *, limit: int = 300) -> list[tuple[int, str]]:
    """(id, indented name) of the nodes of ``kinds`` (default: district, street, community) in
    the user's scope, in tree order: the choices of a sidebar "subtree" filter."""
    kinds = kinds or [OrganizationKind.DISTRICT, OrganizationKind.STREET, OrganizationKind.COMMUNITY]

    nodes = list(
        Organization.objects.for_user(request.user)
        .filter(kind__in=kinds)
        .order_by(*TREE_ORDER)
        .only("name", "level")[:limit]
    )
    top = min((o.level for o in nodes), default=0)  # indent below the user's own top node
    return [(o.pk, ("　" * (o.level - top)) + o.name) for o in nodes]


def containing_q(path: str, org_ids) -> Q:
    """Rows whose ``path`` organization contains (is, or is above) one of ``org_ids``: a
    correlated subquery, so the check adds no query of its own."""
    from django.db.models import Exists, OuterRef

    return Q(
        Exists(
            Organization.objects.filter(
                pk__in=list(org_ids),
                tree_id=OuterRef(f"{path}__tree_id"),
                lft__gte=OuterRef(f"{path}__lft"),
                rght__lte=OuterRef(f"{path}__rght"),
            )
        )
    )


def nearest_containing(candidates, node: Organization):
    """Of ``candidates`` (objects with an ``organization``), those whose organization is the
    deepest one containing ``node`` (``node`` itself first); no query. Empty when none does."""
    above = [c for c in candidates if contains(c.organization, node)]
    if not above:
        return []
    nearest = max(above, key=lambda c: c.organization.lft).organization.pk
    return [c for c in above if c.organization.pk == nearest]
