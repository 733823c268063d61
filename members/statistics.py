"""Statistics blocks of the members app (registered by importing it from ``contributions.py``).

Members are counted where they live and take part: by ``Member.branch`` (the compound branch),
only active members (not transferred out or deceased). Central households (党员中心户) extend the
coverage block: positions of kind ``central_household`` held at the end of the period.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.periods import add_months
from members import rollups
from members.models import (
    Attendance,
    AttendanceRollup,
    Education,
    FloatingStatus,
    Gender,
    Member,
    MemberStatus,
    OccupationStatus,
    PartyStatus,
    Position,
    PositionKind,
)
from members.organizational_life import lost_contact_listed_q
from organizations.statistics import (
    Figure,
    Period,
    StatBlock,
    StatPart,
    TrendMetric,
    extend_stat_block,
    monthly_counts,
    rate,
    register_stat_block,
    register_trend,
    subtree_aggregates,
)

# Age bands as of the end of the period: (key, label, youngest age, oldest age or None).
AGE_BANDS = (
    ("age_35_and_under", _("Aged 35 and under"), 0, 35),
    ("age_36_45", _("Aged 36 to 45"), 36, 45),
    ("age_46_60", _("Aged 46 to 60"), 46, 60),
    ("age_61_70", _("Aged 61 to 70"), 61, 70),
    ("age_71_80", _("Aged 71 to 80"), 71, 80),
    ("age_over_80", _("Aged over 80"), 81, None),
)

ACTIVE = Q(status=MemberStatus.ACTIVE)

# Writes that only record organizational life, or only change a compound's own fields: the blocks
# below that derive nothing from them keep their cached figures (core.statistics.cache).
MEETING_WRITES = frozenset({"members.meeting", "members.meetingrevision"})
COMPOUND_WRITES = frozenset({"organizations.compound"})


def _age_q(period: Period, youngest: int, oldest: int | None) -> Q:
    # age >= n  <=>  born on or before end - n years; age <= m  <=>  born after end - (m + 1) years.
    q = Q(birth_date__lte=period.years_before_end(youngest))
    if oldest is not None:
        q &= Q(birth_date__gt=period.years_before_end(oldest + 1))
    return q


def _aggregates(period: Period) -> dict:
    c = lambda q: Count("pk", filter=q)  # noqa: E731
    aggs = {"total": Count("pk")}
    for status in PartyStatus:
        aggs[f"party_{status.value}"] = c(Q(party_status=status))
    for occupation in OccupationStatus:
        aggs[f"occupation_{occupation.value}"] = c(Q(occupation_status=occupation))
    aggs["floating_out"] = c(Q(floating_status=FloatingStatus.OUT))
    aggs["floating_in"] = c(Q(floating_status=FloatingStatus.IN))
    aggs["reported_in_service"] = c(
        Q(occupation_status=OccupationStatus.IN_SERVICE, reported_on__isnull=False, reported_on__lte=period.end)
    )
    aggs["reported_in_period"] = c(Q(reported_on__gte=period.start, reported_on__lte=period.end))
    aggs["admitted_in_period"] = c(Q(admitted_on__gte=period.start, admitted_on__lte=period.end))
    for key, _label, youngest, oldest in AGE_BANDS:
        aggs[key] = c(_age_q(period, youngest, oldest))
    aggs["age_unknown"] = c(Q(birth_date__isnull=True))
    for gender in Gender:
        aggs[f"gender_{gender.value}"] = c(Q(gender=gender))
    for education in Education:
        aggs[f"education_{education.value}"] = c(Q(education=education))
    aggs["education_unknown"] = c(Q(education=""))
    return aggs


def members_part(nodes, period):
    """The census of active members (the member rows alone: a meeting cannot change it)."""
    rows = subtree_aggregates(nodes, Member, "branch", _aggregates(period), ACTIVE)
    return {pk: {f"members.{key}": value for key, value in values.items()} for pk, values in rows.items()}


def lost_contact_part(nodes, period):
    """失联: marked by the branch, or computed from organizational life as of the period's end
    (``members.organizational_life``: no attendance for more than six months) — a part of its
    own because it is the census figure a recorded meeting changes."""
    listed = lost_contact_listed_q(min(period.end, timezone.localdate()))
    rows = subtree_aggregates(nodes, Member, "branch", {"lost_contact": Count("pk", filter=listed)}, ACTIVE)
    return {pk: {"members.lost_contact": values["lost_contact"]} for pk, values in rows.items()}


def _compliance_period_key(period: Period) -> tuple:
    # compliance_part reads the calendar year of the period's end, as of that end or today.
    return (period.end.year, min(period.end, timezone.localdate()))


def _whole_months(period: Period) -> tuple[datetime.date, datetime.date] | None:
    """The first days of the first and last calendar months lying wholly inside the period."""
    first = period.start if period.start.day == 1 else add_months(period.start.replace(day=1), 1)
    last = add_months(period.end_exclusive.replace(day=1), -1)
    return (first, last) if first <= last else None


def _raw_life(nodes, start: datetime.date, end_exclusive: datetime.date) -> dict:
    """The organizational-life figures over the raw attendance of the days [start, end)."""
    tz = timezone.get_current_timezone()
    held = rollups.COUNTED & Q(
        meeting__held_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        meeting__held_at__lt=datetime.datetime.combine(end_exclusive, datetime.time.min, tzinfo=tz),
    )
    return subtree_aggregates(nodes, Attendance, "member__branch", rollups.life_aggregates(), held)


def organizational_life_part(nodes, period):
    """Attendance (present) in the period of members living in the subtree (see
    ``members.rollups``): the whole months from the maintained rollup (one row per branch and
    month), only the days of a partly covered month at either end from the raw attendance."""
    months = _whole_months(period)
    if months is None:
        rows = _raw_life(nodes, period.start, period.end_exclusive)
    else:
        first, last = months
        sums = {key: Sum(key) for key in rollups.FIGURES}
        rows = subtree_aggregates(nodes, AttendanceRollup, "organization", sums, Q(month__gte=first, month__lte=last))
        edges = [(period.start, first), (add_months(last, 1), period.end_exclusive)]
        for start, end_exclusive in edges:
            if start < end_exclusive:
                for pk, values in _raw_life(nodes, start, end_exclusive).items():
                    rows[pk] = {key: rows[pk][key] + values[key] for key in rollups.FIGURES}
    return {pk: {f"members.{key}": value for key, value in values.items()} for pk, values in rows.items()}


def central_households_part(nodes, period):
    held = Q(kind=PositionKind.CENTRAL_HOUSEHOLD, started_on__lte=period.end) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.end)
    )
    rows = subtree_aggregates(nodes, Position, "organization", {"n": Count("member_id", distinct=False)}, held)
    return {pk: {"coverage.central_households": r["n"]} for pk, r in rows.items()}


def _figures() -> list[Figure]:
    F = Figure
    figures = [
        F(
            "members.total",
            _("Party members (active)"),
            _("Active party members whose compound branch is in the subtree."),
        ),
        F("members.party_full", _("Full members"), _("Active members with party status full (正式党员).")),
        F(
            "members.party_probationary",
            _("Probationary members"),
            _("Active members with party status probationary (预备党员)."),
        ),
    ]
    for occupation in OccupationStatus:
        figures.append(
            F(
                f"members.occupation_{occupation.value}",
                occupation.label,
                _("Active members by occupation status: %(status)s.") % {"status": occupation.label},
            )
        )
    figures += [
        F("members.floating_out", _("Floating out"), _("Active members floating out (流出).")),
        F("members.floating_in", _("Floating in"), _("Active members floating in (流入).")),
        F(
            "members.lost_contact",
            _("Lost contact"),
            _(
                "Active members marked as lost contact (失联), or with no organizational life for more than six "
                "months as of the end of the period (counted from joining the branch when they attended nothing since)."
            ),
        ),
        F(
            "members.life_total",
            _("Organizational life attended"),
            _("Meetings attended (present) in the period by active members living in the subtree, wherever held."),
        ),
        F(
            "members.life_at_residence",
            _("Organizational life at the compound branch"),
            _("Of these, meetings of the compound branch where the member lives, or of its groups."),
        ),
        F(
            "members.life_at_home",
            _("Organizational life at the home organization"),
            _("Of these, meetings of the member's home organization (another node), or of its groups (统筹计入)."),
        ),
        F(
            "members.reported_in_service",
            _("In-service members reported"),
            _(
                "Active in-service members who have reported to their compound branch (在职党员回小区报到) "
                "on or before the end of the period."
            ),
        ),
        F(
            "members.reported_in_period",
            _("Reported in the period"),
            _("Active members whose report to the compound branch is dated within the period."),
        ),
        F(
            "members.admitted_in_period",
            _("Admitted in the period"),
            _("Active members admitted as probationary members within the period."),
        ),
    ]
    for key, label, *_rest in AGE_BANDS:
        figures.append(F(f"members.{key}", label, _("Active members in this age band as of the end of the period.")))
    figures.append(F("members.age_unknown", _("Age unknown"), _("Active members without a birth date.")))
    for gender in Gender:
        figures.append(F(f"members.gender_{gender.value}", gender.label, _("Active members by gender.")))
    for education in Education:
        figures.append(F(f"members.education_{education.value}", education.label, _("Active members by education.")))
    figures.append(
        F("members.education_unknown", _("Education unknown"), _("Active members without an education entry."))
    )
    return figures


def _admitted(node, period):
    return monthly_counts(Member, "branch", node, "admitted_on", period, ACTIVE)


def _reported(node, period):
    return monthly_counts(Member, "branch", node, "reported_on", period, ACTIVE)


register_stat_block(
    StatBlock(
        name="members",
        unaffected_by=COMPOUND_WRITES,
        label=_("Party members (active)"),
        order=20,
        figures=_figures(),
        parts=[
            StatPart(members_part, unaffected_by=MEETING_WRITES),
            StatPart(lost_contact_part, figures=frozenset({"members.lost_contact"})),
            StatPart(organizational_life_part, figures=frozenset(f"members.{key}" for key in rollups.FIGURES)),
        ],
    )
)
extend_stat_block(
    "coverage",
    [
        Figure(
            "coverage.central_households",
            _("Central households"),
            _("Positions of party member central household (党员中心户) held at the end of the period."),
        )
    ],
    StatPart(central_households_part, unaffected_by=MEETING_WRITES | COMPOUND_WRITES),
)
register_trend(
    TrendMetric(
        "members.admitted_in_period",
        _("Members admitted"),
        _("Active members admitted as probationary members, per month."),
        _admitted,
    )
)
register_trend(
    TrendMetric(
        "members.reported_in_period",
        _("Members reported to their compounds"),
        _("Active members reporting to their compound branch, per month (by report date)."),
        _reported,
    )
)


# --- 三会一课 compliance -----------------------------------------------------------------------


def compliance_part(nodes, period):
    """Branches meeting every meeting requirement in the calendar year of the period's end (the
    requirements are monthly, quarterly and yearly, so compliance is judged on whole calendar
    windows; only periods already started count, see ``members.compliance``). One compliance
    computation (five queries) per tree for the outermost node asked for, then each node counts the
    branches inside its subtree."""
    from django.utils import timezone

    from members.compliance import compliance_for_subtree, year_window
    from organizations.selectors import outermost, root_of, spans, tree_key

    window = year_window(period.end.year)
    today = min(period.end, timezone.localdate())
    out = {node.pk: {"compliance.branches": 0, "compliance.compliant": 0, "compliance.on_track": 0} for node in nodes}
    # One roll-up per tree: of the node containing all the others, else of the tree's root.
    per_tree: dict[int, list] = {}
    for node in nodes:
        per_tree.setdefault(tree_key(node), []).append(node)
    for inside in per_tree.values():
        tops = outermost(inside)
        top = tops[0] if len(tops) == 1 else root_of(inside[0])
        rollup = compliance_for_subtree(top, window, today=today)
        for branch in rollup.branches:
            for node in inside:
                if branch.position is not None and spans(node, branch.position):
                    values = out[node.pk]
                    values["compliance.branches"] += 1
                    values["compliance.compliant"] += int(branch.compliant)
                    values["compliance.on_track"] += int(not branch.overdue)
    for values in out.values():
        values["compliance.rate"] = rate(values["compliance.compliant"], values["compliance.branches"])
    return out


register_stat_block(
    StatBlock(
        name="compliance",
        unaffected_by=COMPOUND_WRITES,
        label=_("Organizational life (三会一课)"),
        order=30,
        figures=[
            Figure(
                "compliance.branches",
                _("Branches assessed"),
                _("Compound branches in the subtree assessed against the meeting requirements."),
            ),
            Figure(
                "compliance.compliant",
                _("Branches meeting every requirement"),
                _(
                    "Branches that held every required kind of meeting in every started month, quarter and year "
                    "of the calendar year of the period's end, counting meetings held by the period's end; a "
                    "branch is assessed only for the periods it existed through."
                ),
            ),
            Figure(
                "compliance.on_track",
                _("Branches on track"),
                _("Branches with no shortfall in a period already over (gaps only in periods still open)."),
            ),
            Figure(
                "compliance.rate",
                _("三会一课 compliance rate"),
                _("Branches meeting every requirement divided by branches assessed."),
                "rate",
            ),
        ],
        parts=[StatPart(compliance_part, period_key=_compliance_period_key)],
    )
)


# --- branch structure (支部工作条例 第四条, 第九条) ---------------------------------------------------

STRUCTURE_FIGURES = (
    ("too_few_full", _("Branches with fewer than 3 full members"), _("Article 4: a branch needs 3 full members.")),
    (
        "committee_size",
        _("Branches needing a committee of 3 to 7"),
        _("Article 9: a branch of 7 full members or more elects a committee of 3 to 5 (at most 7)."),
    ),
    ("no_secretary", _("Branches without a secretary"), _("Article 9: every branch has a secretary.")),
    (
        "too_many",
        _("Branches of more than 50 members"),
        _("Article 4: more than 50 members, consider splitting the branch or a general branch."),
    ),
)


def structure_part(nodes, period):
    """Branches with each structure warning as of the period's end (the same check as the
    ``/organizations/<id>/structure/`` endpoint). One check (four aggregate queries) per tree for
    the widest node asked for; each node counts the branches inside its range."""
    from members.selectors import branch_structure_warnings
    from organizations.models import Organization, OrganizationKind
    from organizations.selectors import in_span, positions, spans, tree_key

    today = min(period.end, timezone.localdate())
    keys = [f"structure.{code}" for code, *_rest in STRUCTURE_FIGURES]
    out = {node.pk: dict.fromkeys([*keys, "structure.branches_with_warnings"], 0) for node in nodes}
    by_tree: dict[int, list] = {}
    for node in nodes:
        by_tree.setdefault(tree_key(node), []).append(node)
    for inside in by_tree.values():
        branches = Organization.objects.filter(
            in_span("", inside), kind=OrganizationKind.BRANCH, dissolved_on__isnull=True
        )
        position = positions(branches)
        for branch_id, warnings in branch_structure_warnings(branches, today=today).items():
            codes = {w.code for w in warnings}
            for node in inside:
                if spans(node, position[branch_id]):
                    values = out[node.pk]
                    for code, *_rest in STRUCTURE_FIGURES:
                        values[f"structure.{code}"] += int(code in codes)
                    values["structure.branches_with_warnings"] += int(bool(codes & {c for c, *_r in STRUCTURE_FIGURES}))
    return out


register_stat_block(
    StatBlock(
        name="structure",
        unaffected_by=MEETING_WRITES | COMPOUND_WRITES,
        label=_("Branch structure (支部工作条例)"),
        order=25,
        figures=[
            *(Figure(f"structure.{code}", label, definition) for code, label, definition in STRUCTURE_FIGURES),
            Figure(
                "structure.branches_with_warnings",
                _("Branches with a structure warning"),
                _("Branches with at least one of the warnings above."),
            ),
        ],
        parts=[structure_part],
    )
)
