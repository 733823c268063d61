"""A member's whole story in the party, in one list: the history events (created, transfers in
the district, 延长预备期, 转正, …), the changes of standing (停止党籍, 出党, 死亡, … with the reason
and the deciding body) and the 组织关系转接 letters. The admin's member page and the member API's
detail read it from here; every label is the Chinese one of its choices (no raw code)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from members.models import Member, MemberEvent, MemberStatus, MemberStatusChange, Transfer

_STATUS_LABELS = dict(MemberStatus.choices)


def status_label(code: str) -> str:
    """The Chinese label of a stored standing (``MemberStatusChange.from_status`` / ``to_status``)."""
    return str(_STATUS_LABELS.get(code, code))


def _event_entries(member: Member) -> list[dict]:
    rows = MemberEvent.objects.filter(member=member).select_related("from_branch", "to_branch")
    entries = []
    for e in rows:
        detail = e.note
        if e.from_branch_id or e.to_branch_id:
            moved = _("%(from)s → %(to)s") % {
                "from": e.from_branch.name if e.from_branch_id else "—",
                "to": e.to_branch.name if e.to_branch_id else "—",
            }
            detail = f"{moved}；{detail}" if detail else moved
        entries.append(
            {"on": e.occurred_on, "source": "event", "kind": e.kind, "title": e.get_kind_display(), "detail": detail}
        )
    return entries


def _status_entries(member: Member) -> list[dict]:
    entries = []
    for c in MemberStatusChange.objects.filter(member=member):
        title = _("%(from)s → %(to)s") % {"from": status_label(c.from_status), "to": status_label(c.to_status)}
        detail = c.reason
        if c.decided_by:
            detail = _("%(reason)s (decided by %(body)s)") % {"reason": c.reason, "body": c.decided_by}
        entries.append({"on": c.occurred_on, "source": "status", "kind": c.to_status, "title": title, "detail": detail})
    return entries


def _transfer_entries(member: Member) -> list[dict]:
    entries = []
    for t in Transfer.objects.filter(member=member).select_related("from_branch", "to_organization"):
        origin = t.from_branch.name if t.from_branch_id else t.from_name
        target = t.to_organization.name if t.to_organization_id else t.to_name
        title = _("Transfer of the organizational relationship (%(kind)s): %(state)s") % {
            "kind": t.get_kind_display(),
            "state": t.get_state_display(),
        }
        detail = _("%(from)s → %(to)s") % {"from": origin or "—", "to": target or "—"}
        if t.letter_number:
            detail += _("; letter no. %(number)s") % {"number": t.letter_number}
        on = t.closed_on or t.issued_on or t.created_at.date()
        entries.append({"on": on, "source": "transfer", "kind": t.state, "title": title, "detail": detail})
    return entries


def member_history(member: Member) -> list[dict]:
    """Every entry of the member's story, oldest first: ``on`` (date), ``source`` (event / status /
    transfer), ``kind`` (the stored code, for programs), ``title`` and ``detail`` (Chinese). Three
    queries whatever the length."""
    entries = _event_entries(member) + _status_entries(member) + _transfer_entries(member)
    order = {"event": 0, "status": 1, "transfer": 2}
    entries.sort(key=lambda e: (e["on"] or datetime.date.min, order[e["source"]]))
    return entries
