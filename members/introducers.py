"""入党介绍人: the names as recorded, linked to the members they name where those are in the system
(who must be full members)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from members.models import Member, MemberStatus, PartyStatus

INTRODUCER_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def _introducer_matches(members) -> list[list[tuple[int, str, str]]]:
    """For each of ``members`` (in order, saved or not), the members its ``introducer_names`` name:
    each name that is exactly one other active member of the same branch or the same home
    organization (where introducer and member usually are), as (pk, name, party status); a name
    that matches none or several stays text only. One query for all ``members``."""
    wanted = [[n for n in INTRODUCER_SEPARATORS.split(m.introducer_names or "") if n] for m in members]
    names = {n for ns in wanted for n in ns}
    if not names:
        return [[] for _m in members]
    orgs = {m.branch_id for m in members} | {m.home_organization_id for m in members if m.home_organization_id}
    found = Member.objects.filter(name__in=names, status=MemberStatus.ACTIVE).filter(
        Q(branch_id__in=orgs) | Q(home_organization_id__in=orgs)
    )
    candidates = list(found.values_list("pk", "name", "branch_id", "home_organization_id", "party_status"))
    matches = []
    for m, mine_names in zip(members, wanted, strict=True):
        mine = {m.branch_id, m.home_organization_id} - {None}
        row = []
        for name in mine_names:
            hits = [(pk, n, st) for pk, n, b, h, st in candidates if n == name and pk != m.pk and ({b, h} & mine)]
            if len(hits) == 1:
                row.append(hits[0])
        matches.append(row)
    return matches


def introducer_links(members) -> dict[int, list[int]]:
    """入党介绍人 as links (see ``_introducer_matches``), by member pk."""
    return {m.pk: [pk for pk, _n, _s in row] for m, row in zip(members, _introducer_matches(members), strict=True)}


def introducer_errors(members) -> dict[int, str]:
    """入党介绍人 who are members here must be full members (《发展党员工作细则》 第十五条):
    the message for each of ``members`` (by position) naming one who is not."""
    errors = {}
    for i, row in enumerate(_introducer_matches(members)):
        wrong = [n for _pk, n, st in row if st != PartyStatus.FULL]
        if wrong:
            errors[i] = _("An introducer (入党介绍人) must be a full party member: %(names)s is not.") % {
                "names": "、".join(wrong)
            }
    return errors


def _check_introducers(member: Member) -> None:
    """Checked when the names are given or changed (a stored record is not refused for them)."""
    if not member.introducer_names:
        return
    if member.pk and Member.objects.filter(pk=member.pk, introducer_names=member.introducer_names).exists():
        return
    error = introducer_errors([member]).get(0)
    if error:
        raise ValidationError({"introducer_names": error})


def link_introducers(members) -> None:
    """Set the ``introducers`` links of ``members`` from their names (replacing the old links)."""
    members = [m for m in members if m.pk]
    if not members:
        return
    through = Member.introducers.through
    links = introducer_links(members)
    through.objects.filter(from_member_id__in=[m.pk for m in members]).delete()
    through.objects.bulk_create(
        [through(from_member_id=pk, to_member_id=other) for pk, others in links.items() for other in others]
    )
