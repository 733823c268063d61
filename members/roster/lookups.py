"""Everything the rows of a roster refer to, loaded in a few queries whatever the row count."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q

from members.models import Member
from organizations.models import Building, Compound, Organization, OrganizationKind
from organizations.scope import subtree_q, user_sees_everything

# One query per this many registered ID hashes when loading the members found.
HASH_BATCH = 5000


class Lookups:
    """The organizations (by code or name, with the user's scope), compounds and buildings named
    by the records."""

    def __init__(self, records: list[dict[str, Any]], *, user, org: Organization | None):
        def values(key):
            return {r[key] for r in records if r.get(key)}

        keys = values("branch") | values("group") | values("home_organization")
        nodes = list(Organization.objects.filter(Q(code__in=keys) | Q(name__in=keys)))
        scoped = Organization.objects.filter(pk__in=[n.pk for n in nodes])
        if user is not None and not user_sees_everything(user):
            scoped = scoped.for_user(user)
        if org is not None:
            scoped = scoped.filter(subtree_q("", org))
        self.in_scope = set(scoped.values_list("pk", flat=True))
        self.by_key: dict[str, list[Organization]] = {}
        for node in nodes:
            self.by_key.setdefault(node.code, []).append(node)
            if node.name != node.code:
                self.by_key.setdefault(node.name, []).append(node)
        self._nodes: dict[tuple[str, str], list[Organization]] = {}
        # 党员编号 already given to a member (all members: the number is unique district-wide).
        self.party_numbers: dict[str, int] = dict(
            Member.objects.filter(party_number__in=values("party_number")).values_list("party_number", "pk")
        )
        self.default_branch = org if org is not None and org.kind == OrganizationKind.BRANCH else None
        self.compounds: dict[str, list[Compound]] = {}
        for c in Compound.objects.filter(name__in=values("compound")):
            self.compounds.setdefault(c.name, []).append(c)
        self.buildings = {
            (b.compound_id, b.name): b
            for b in Building.objects.filter(
                compound__in=[c.pk for cs in self.compounds.values() for c in cs], name__in=values("building")
            )
        }

    def nodes(self, key: str, kind: str) -> list[Organization]:
        found = self._nodes.get((key, kind))
        if found is None:
            found = self._nodes[(key, kind)] = [n for n in self.by_key.get(key, []) if n.kind == kind]
        return found


def _present(model, hashes: list[str], *, unlinked: bool = False) -> list[str]:
    """Which of ``hashes`` the model's ``id_number_hash`` holds: one ``= ANY(array)`` query (the
    hashes as one parameter: no per-value parameter building, and an array the planner can
    estimate), usually answering "none" for a new roster. ``unlinked``: only rows not yet linked
    to a member (open candidates)."""
    if not hashes:
        return []
    if connection.vendor != "postgresql":  # the embedded default (SQLite) has no arrays
        found = set()
        for start in range(0, len(hashes), HASH_BATCH):
            rows = model.objects.filter(id_number_hash__in=hashes[start : start + HASH_BATCH])
            rows = rows.filter(member__isnull=True) if unlinked else rows
            found.update(rows.values_list("id_number_hash", flat=True))
        return sorted(found)
    table = connection.ops.quote_name(model._meta.db_table)
    extra = " AND member_id IS NULL" if unlinked else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT id_number_hash FROM {table} WHERE id_number_hash = ANY(%s::text[]){extra}", [hashes]
        )
        return [h for (h,) in cursor.fetchall()]


def registered_members(hashes: list[str], *, update_existing: bool, user) -> tuple[dict[str, Member], set[int]]:
    """The members already registered with these ID hashes, and which of them the user may update
    (inside the user's scope; only asked when updating)."""
    existing: dict[str, Member] = {}
    related = ("branch", "group", "home_organization") if update_existing else ("branch",)
    found = _present(Member, hashes)
    for start in range(0, len(found), HASH_BATCH):
        batch = found[start : start + HASH_BATCH]
        for other in Member.objects.filter(id_number_hash__in=batch).select_related(*related):
            existing[other.id_number_hash] = other
    editable: set[int] = set()
    if existing and update_existing:
        scoped = Member.objects.filter(pk__in=[m.pk for m in existing.values()])
        if user is not None and not user_sees_everything(user):
            scoped = scoped.for_user(user)
        editable = set(scoped.values_list("pk", flat=True))
    return existing, editable


def open_candidates(hashes: list[str]) -> dict[str, Any]:
    """The open candidates (申请人 not yet admitted) holding these ID hashes: a row with one of
    them is refused like a registered member the row may not update."""
    from members.development.models import Candidate

    found: dict[str, Any] = {}
    present = _present(Candidate, hashes, unlinked=True)
    for start in range(0, len(present), HASH_BATCH):
        batch = present[start : start + HASH_BATCH]
        for other in Candidate.objects.filter(id_number_hash__in=batch, member__isnull=True).select_related("branch"):
            found[other.id_number_hash] = other
    return found
