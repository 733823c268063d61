"""三会一课 落实情况: one row per branch of a subtree with held / required / gap per kind of meeting.

The figures come from the one compliance engine (``members.compliance.compliance_for_subtree``);
this module only places each branch under its street and community, filters and sorts, so the
list, the API and the export can never disagree with the compliance report.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from members import compliance
from organizations.models import Organization


@dataclass
class BehindRow:
    """One branch of the list: where it sits and its compliance."""

    branch: compliance.BranchCompliance
    street_id: int | None
    street: str
    community_id: int | None
    community: str

    @property
    def gap(self) -> int:
        return sum(k.gap for k in self.branch.kinds)

    def as_dict(self) -> dict:
        return {
            "branch": {"id": self.branch.branch_id, "name": self.branch.name, "code": self.branch.code},
            "street": {"id": self.street_id, "name": self.street},
            "community": {"id": self.community_id, "name": self.community},
            "compliant": self.branch.compliant,
            "overdue": self.branch.overdue,
            "gap": self.gap,
            "kinds": [
                {"kind": k.kind, "label": k.label, "held": k.held, "required": k.required, "gap": k.gap}
                for k in self.branch.kinds
            ],
        }


def _places(branch_ids: list[int]) -> dict[int, dict]:
    """{branch id: its community and street}, one query (a branch's parent is its community)."""
    return {
        row["id"]: row
        for row in Organization.objects.filter(pk__in=branch_ids).values(
            "id", "parent_id", "parent__name", "parent__parent_id", "parent__parent__name"
        )
    }


def behind_list(
    node: Organization,
    window: compliance.Window,
    *,
    today: datetime.date | None = None,
    street: int | None = None,
    community: int | None = None,
    show_all: bool = False,
    sort: str = "-gap",
) -> list[BehindRow]:
    """The branches under ``node`` for ``window``: only those behind (a gap in any requirement)
    unless ``show_all``; optionally only under one ``street`` / ``community`` (ids); sorted by
    ``sort`` (``gap`` / ``-gap`` / ``name``). A fixed number of queries."""
    rollup = compliance.compliance_for_subtree(node, window, today=today)
    branches = rollup.branches if show_all else rollup.behind
    places = _places([b.branch_id for b in branches])
    rows = []
    for b in branches:
        place = places.get(b.branch_id, {})
        row = BehindRow(
            b,
            place.get("parent__parent_id"),
            place.get("parent__parent__name") or "",
            place.get("parent_id"),
            place.get("parent__name") or "",
        )
        if street and row.street_id != street:
            continue
        if community and row.community_id != community:
            continue
        rows.append(row)
    if sort == "name":
        rows.sort(key=lambda r: r.branch.code)
    else:
        rows.sort(key=lambda r: (r.gap, r.branch.code), reverse=sort != "gap")
    return rows


def export_rows(rows: list[BehindRow]) -> tuple[list[str], list[list]]:
    """Headers and rows of the Excel export: one column triple (held / required / gap) per kind."""
    kinds = [(k.kind, k.label) for k in rows[0].branch.kinds] if rows else []
    headers = [_("Street"), _("Community"), _("Branch"), _("Total gap")]
    for _kind, label in kinds:
        headers += [f"{label}·{_('held')}", f"{label}·{_('required')}", f"{label}·{_('gap')}"]
    table = []
    for row in rows:
        by_kind = {k.kind: k for k in row.branch.kinds}
        values = [row.street, row.community, row.branch.name, row.gap]
        for kind, _label in kinds:
            k = by_kind.get(kind)
            values += [k.held, k.required, k.gap] if k else ["", "", ""]
        table.append(values)
    return headers, table
