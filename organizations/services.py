"""Writes to the organization tree, compounds, buildings and access scopes.

Every tree write goes through this module: it takes the tree's advisory lock inside the
transaction, re-reads the nodes it touches (their nested-set values may have moved while it
waited), checks the kind rules and only then lets django-mptt shift the nested sets.
django-mptt itself races under concurrent writes; the lock is what makes it safe.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.locks import LockKey, advisory_xact_lock
from organizations.models import (
    PARENT_KIND,
    ROOT_KINDS,
    AccessScope,
    Building,
    Compound,
    Formation,
    Organization,
    OrganizationKind,
    Role,
)
from organizations.models.access import ROLE_GROUP_NAMES
from organizations.scope import forget_scope, ids_inside, user_sees_everything

MOVE_POSITIONS = ("last-child", "first-child", "left", "right")


def lock_tree() -> None:
    """Serialize tree writers; call inside ``transaction.atomic``."""
    advisory_xact_lock(LockKey.ORGANIZATION_TREE)


def _kind_label(kind: str) -> str:
    return str(OrganizationKind(kind).label)


def validate_parent(*, node_name: str, kind: str, parent: Organization | None) -> None:
    """Refuse a parent whose kind does not fit ((city →) district → street → community → branch → group)."""
    expected = PARENT_KIND.get(kind)
    if expected is None:
        if parent is not None:
            raise ValidationError(
                {
                    "parent": _(
                        "“%(node)s” is a %(kind)s and must be the root of its own tree; "
                        "it cannot be placed under “%(parent)s”."
                    )
                    % {"node": node_name, "kind": _kind_label(kind), "parent": parent.name}
                }
            )
        return
    if parent is None:
        if kind in ROOT_KINDS:
            return
        raise ValidationError(
            {
                "parent": _("“%(node)s” is a %(kind)s and needs a parent %(parent_kind)s.")
                % {
                    "node": node_name,
                    "kind": _kind_label(kind),
                    "parent_kind": _kind_label(expected),
                }
            }
        )
    if parent.kind != expected:
        raise ValidationError(
            {
                "parent": _(
                    "Cannot place “%(node)s” (%(kind)s) under “%(parent)s” (%(actual)s): "
                    "the parent of a %(kind)s must be a %(parent_kind)s."
                )
                % {
                    "node": node_name,
                    "kind": _kind_label(kind),
                    "parent": parent.name,
                    "actual": _kind_label(parent.kind),
                    "parent_kind": _kind_label(expected),
                }
            }
        )
    if parent.dissolved_on is not None:
        raise ValidationError(
            {"parent": _("“%(parent)s” has been dissolved; nothing can be placed under it.") % {"parent": parent.name}}
        )


def _fresh(pk: int) -> Organization:
    return Organization.objects.get(pk=pk)


def check_parent_in_scope(*, actor, parent: Organization | None, field: str = "parent") -> None:
    """A node created or moved by ``actor`` lands inside the actor's subtree: its new parent
    must lie in it, and no parent (a new tree root) is for a superuser only. ``actor=None`` is
    the system itself (migrations, seeding, the tree checker)."""
    if actor is None or user_sees_everything(actor):
        return
    if parent is None:
        raise ValidationError(
            {field: _("Only a superuser can create a top-level organization; choose a parent inside your scope.")}
        )
    if not ids_inside(actor, {parent.pk}):
        raise ValidationError({field: _("Choose an organization inside your scope.")})


@transaction.atomic
def organization_create(
    *,
    name: str,
    code: str,
    kind: str,
    parent: Organization | None = None,
    formation: str = "",
    established_on: datetime.date | None = None,
    elected_on: datetime.date | None = None,
    term_ends_on: datetime.date | None = None,
    phone: str = "",
    address: str = "",
    actor=None,
) -> Organization:
    """Create a node as the last child of ``parent`` (or a new tree for a district, superuser
    only when an ``actor`` is given)."""
    lock_tree()
    parent = _fresh(parent.pk) if parent is not None else None
    check_parent_in_scope(actor=actor, parent=parent)
    validate_parent(node_name=name, kind=kind, parent=parent)
    if kind == OrganizationKind.BRANCH and not formation:
        formation = Formation.STANDALONE
    node = Organization(
        name=name,
        code=code,
        kind=kind,
        parent=parent,
        formation=formation,
        established_on=established_on,
        elected_on=elected_on,
        term_ends_on=term_ends_on,
        phone=phone,
        address=address,
    )
    node.full_clean(exclude=["lft", "rght", "tree_id", "level"])
    node.save()
    return node


UPDATABLE_FIELDS = (
    "name",
    "code",
    "formation",
    "established_on",
    "dissolved_on",
    "elected_on",
    "term_ends_on",
    "phone",
    "address",
)


@transaction.atomic
def organization_update(*, organization: Organization, **changes) -> Organization:
    """Change the plain fields of a node (rename etc.); never the tree position."""
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(unknown))
    lock_tree()
    node = _fresh(organization.pk)
    if "elected_on" in changes and "term_ends_on" not in changes:
        changes["term_ends_on"] = None  # a new election: the term end is derived again (organizations.terms)
    for field, value in changes.items():
        setattr(node, field, value)
    node.full_clean(exclude=["lft", "rght", "tree_id", "level", "parent"])
    node.save(update_fields=[*changes.keys(), "updated_at"])
    return node


@transaction.atomic
def organization_move(
    *, organization: Organization, target: Organization | None, position: str = "last-child", actor=None
) -> Organization:
    """Move ``organization`` relative to ``target``.

    ``last-child``/``first-child`` put it under ``target``; ``left``/``right`` make it a sibling
    of ``target``. A district moved with ``target=None`` stays a root. Refused, with both nodes
    named, when the kind order breaks or the node would land inside its own subtree.
    """
    if position not in MOVE_POSITIONS:
        raise ValidationError({"position": _("Unknown move position: %s") % position})
    lock_tree()
    node = _fresh(organization.pk)
    target = _fresh(target.pk) if target is not None else None
    if target is None:
        new_parent = None
    elif position in ("left", "right"):
        new_parent = _fresh(target.parent_id) if target.parent_id else None
    else:
        new_parent = target
    # Beside the actor's own top node would put the node above the actor's subtree.
    check_parent_in_scope(actor=actor, parent=new_parent, field="target")
    if target is not None and node.tree_id == target.tree_id and node.lft <= target.lft <= node.rght:
        raise ValidationError(
            {
                "parent": _("Cannot move “%(node)s” into “%(target)s”: it lies inside “%(node)s” itself.")
                % {"node": node.name, "target": target.name}
            }
        )
    validate_parent(node_name=node.name, kind=node.kind, parent=new_parent)
    if target is None:
        if node.parent_id is not None:
            node.move_to(None)
    else:
        node.move_to(target, position)
    return _fresh(node.pk)


@transaction.atomic
def organization_dissolve(*, organization: Organization, dissolved_on: datetime.date) -> Organization:
    """Mark a node dissolved (history is kept; nothing is deleted). Refused while it still has
    active sub-organizations."""
    lock_tree()
    node = _fresh(organization.pk)
    active_children = node.get_descendants().filter(dissolved_on__isnull=True).count()
    if active_children:
        raise ValidationError(
            {
                "dissolved_on": _(
                    "“%(node)s” still has %(count)d active sub-organizations; dissolve or move them first."
                )
                % {"node": node.name, "count": active_children}
            }
        )
    return organization_update(organization=node, dissolved_on=dissolved_on)


@transaction.atomic
def organization_restore(*, organization: Organization) -> Organization:
    """Undo a dissolution. Refused while the parent is itself dissolved (restore it first)."""
    lock_tree()
    node = _fresh(organization.pk)
    if node.parent_id is not None and _fresh(node.parent_id).dissolved_on is not None:
        raise ValidationError(
            {
                "dissolved_on": _("“%(node)s” cannot be restored while “%(parent)s” is dissolved; restore it first.")
                % {"node": node.name, "parent": node.parent.name}
            }
        )
    return organization_update(organization=node, dissolved_on=None)


# --- Nested-set verification and repair -------------------------------------------------


@dataclass(frozen=True)
class TreeProblem:
    """One thing wrong with the stored tree."""

    organization_id: int
    message: str


def _expected_nested_sets(rows) -> tuple[dict[int, tuple[int, int, int, int]], list[int]]:
    """Compute (tree_id, lft, rght, level) for every node from the parent pointers alone.

    Roots keep their order by current tree_id; children their order by current lft. Returns the
    expected values and the ids no root reaches (cycles)."""
    children: dict[int | None, list] = {}
    for row in rows:
        children.setdefault(row[1], []).append(row)
    for siblings in children.values():
        siblings.sort(key=lambda r: (r[2], r[3], r[0]))  # tree_id, lft, id
    expected: dict[int, tuple[int, int, int, int]] = {}
    for tree_no, root in enumerate(children.get(None, []), start=1):
        counter = 1
        # Iterative DFS: (node_id, level, entering?)
        stack = [(root[0], 0, True)]
        lft_of: dict[int, int] = {}
        while stack:
            node_id, level, entering = stack.pop()
            if entering:
                lft_of[node_id] = counter
                counter += 1
                stack.append((node_id, level, False))
                for child in reversed(children.get(node_id, [])):
                    if child[0] not in lft_of:
                        stack.append((child[0], level + 1, True))
            else:
                expected[node_id] = (tree_no, lft_of[node_id], counter, level)
                counter += 1
    unreachable = [row[0] for row in rows if row[0] not in expected]
    return expected, unreachable


def _load_tree_rows():
    return list(
        Organization.objects.order_by("tree_id", "lft", "id").values_list(
            "id", "parent_id", "tree_id", "lft", "rght", "level", "kind"
        )
    )


def tree_problems() -> list[TreeProblem]:
    """Everything wrong with the stored tree: nested sets that disagree with the parent
    pointers, cycles, and parent/child kinds out of order. Empty when the tree is sound."""
    rows = _load_tree_rows()
    expected, unreachable = _expected_nested_sets(rows)
    kind_of = {row[0]: row[6] for row in rows}
    problems = [
        TreeProblem(pk, _("Node is not reachable from any root (cycle in the parent pointers).")) for pk in unreachable
    ]
    # tree_id numbers may differ from a fresh numbering; only equality with the parent matters.
    root_tree_ids = {row[0]: row[2] for row in rows if row[1] is None}
    tree_id_of = {row[0]: row[2] for row in rows}
    for row in rows:
        if row[0] not in expected:
            continue
        _exp_tree, exp_lft, exp_rght, exp_level = expected[row[0]]
        actual = (row[3], row[4], row[5])
        if actual != (exp_lft, exp_rght, exp_level):
            problems.append(
                TreeProblem(
                    row[0],
                    _("Nested set is (lft=%(a)s, rght=%(b)s, level=%(c)s), expected (%(x)s, %(y)s, %(z)s).")
                    % {"a": row[3], "b": row[4], "c": row[5], "x": exp_lft, "y": exp_rght, "z": exp_level},
                )
            )
        if row[1] is not None and row[2] != tree_id_of.get(row[1]):
            problems.append(TreeProblem(row[0], _("Node's tree_id differs from its parent's.")))
        expected_parent_kind = PARENT_KIND.get(row[6])
        parent_kind = kind_of.get(row[1]) if row[1] is not None else None
        if expected_parent_kind != parent_kind and not (parent_kind is None and row[6] in ROOT_KINDS):
            problems.append(
                TreeProblem(
                    row[0],
                    _("Kind %(kind)s under %(parent)s breaks the kind order.")
                    % {"kind": row[6], "parent": parent_kind or "-"},
                )
            )
    if len(set(root_tree_ids.values())) != len(root_tree_ids):
        problems.append(TreeProblem(0, _("Two roots share a tree_id.")))
    return problems


@transaction.atomic
def organization_tree_rebuild() -> int:
    """Recompute every node's nested set from the parent pointers, set-based, under the lock.

    Returns the number of rows rewritten. Used by ``check_org_tree --fix`` and after bulk loads
    (``generate_scale_data`` inserts with placeholder values, then calls this once)."""
    lock_tree()
    rows = _load_tree_rows()
    expected, unreachable = _expected_nested_sets(rows)
    if unreachable:
        raise ValidationError(
            _("The tree has a cycle through organizations %s; fix their parents by hand.")
            % ", ".join(str(pk) for pk in unreachable[:20])
        )
    changed = [
        (pk, *expected[pk])
        for pk, _parent, tree_id, lft, rght, level, _kind in rows
        if (tree_id, lft, rght, level) != expected[pk]
    ]
    if not changed:
        return 0
    table = Organization._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for start in range(0, len(changed), 5000):
                chunk = changed[start : start + 5000]
                values = ",".join(["(%s,%s,%s,%s,%s)"] * len(chunk))
                params = [value for row in chunk for value in row]
                cursor.execute(
                    f"UPDATE {table} AS o SET tree_id = v.tree_id, lft = v.lft, rght = v.rght, "
                    f"level = v.level FROM (VALUES {values}) AS v(id, tree_id, lft, rght, level) "
                    f"WHERE o.id = v.id",
                    params,
                )
    else:
        objs = [Organization(pk=pk, tree_id=t, lft=lft, rght=r, level=lv) for pk, t, lft, r, lv in changed]
        Organization.objects.bulk_update(objs, ["tree_id", "lft", "rght", "level"], batch_size=500)
    return len(changed)


# --- Compounds and buildings -------------------------------------------------------------


def validate_compound(compound: Compound) -> None:
    """A compound's community must be a community committee and its covering branch a branch
    under that community."""
    community = compound.community
    if community.kind != OrganizationKind.COMMUNITY:
        raise ValidationError({"community": _("“%(org)s” is not a community committee.") % {"org": community.name}})
    branch = compound.branch
    if branch is None:
        return
    if branch.kind != OrganizationKind.BRANCH:
        raise ValidationError({"branch": _("“%(org)s” is not a compound branch.") % {"org": branch.name}})
    if branch.parent_id != community.pk:
        raise ValidationError(
            {
                "branch": _(
                    "Branch “%(branch)s” is not under community “%(community)s”, "
                    "so it cannot cover compound “%(compound)s”."
                )
                % {"branch": branch.name, "community": community.name, "compound": compound.name}
            }
        )
    if branch.formation != Formation.JOINT:
        others = Compound.objects.filter(branch=branch).exclude(pk=compound.pk)
        other = others.first()
        if other is not None:
            raise ValidationError(
                {
                    "branch": _(
                        "Branch “%(branch)s” already covers “%(other)s”; only a joint branch covers several compounds."
                    )
                    % {"branch": branch.name, "other": other.name}
                }
            )


def validate_building(building: Building) -> None:
    """A building's group must be a building group of the compound's covering branch."""
    group = building.group
    if group is None:
        return
    branch_id = building.compound.branch_id
    if group.kind != OrganizationKind.GROUP or group.parent_id != branch_id:
        raise ValidationError(
            {
                "group": _("Building group “%(group)s” does not belong to the branch covering “%(compound)s”.")
                % {"group": group.name, "compound": building.compound.name}
            }
        )


COMPOUND_FIELDS = ("name", "kind", "community", "branch", "address", "households", "building_count", "built_year")


def _checked_save(instance, fields: dict, validate):
    """Set ``fields``, check the model's own rules and then ``validate``'s, save."""
    for field, value in fields.items():
        setattr(instance, field, value)
    instance.full_clean()
    validate(instance)
    instance.save()
    return instance


@transaction.atomic
def compound_save(*, compound: Compound | None = None, **fields) -> Compound:
    """Create (``compound=None``) or update a compound after checking the branch rules."""
    unknown = set(fields) - set(COMPOUND_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    return _checked_save(compound or Compound(), fields, validate_compound)


@transaction.atomic
def building_save(*, building: Building | None = None, **fields) -> Building:
    """Create or update a building after checking its building group."""
    return _checked_save(building or Building(), fields, validate_building)


# --- Access -------------------------------------------------------------------------------


@transaction.atomic
def access_scope_set(*, user, organization: Organization, role: str) -> AccessScope:
    """Give ``user`` a scope node and role; the user's permission groups follow the role."""
    scope, _created = AccessScope.objects.update_or_create(
        user=user, defaults={"organization": organization, "role": role}
    )
    user.groups.remove(*Group.objects.filter(name__in=ROLE_GROUP_NAMES.values()))
    group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
    user.groups.add(group)
    if role != Role.API_CLIENT and not user.is_staff:
        user.is_staff = role not in (Role.BRANCH_SECRETARY, Role.PARTY_MEMBER)
        user.save(update_fields=["is_staff"])
    forget_scope(user)
    return scope
