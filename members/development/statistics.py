"""Statistics block of the development pipeline: candidates per stage (the current stage, by the
receiving branch), and applications, admissions (the higher committee's approval, step 17) and
conversions (step 24) dated within the period, per subtree. Set-based: one query per part."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.statistics.framework import Figure, StatBlock, register_stat_block
from members.development.models import Candidate, CandidateStep, Stage
from members.statistics import COMPOUND_WRITES, MEETING_WRITES
from organizations.statistics import subtree_aggregates

EVENTS = (
    ("applications", "application", _("Applications"), _("Applications for party membership dated within the period.")),
    ("admissions", "approval", _("Admissions"), _("Admissions approved by the higher committee within the period.")),
    (
        "conversions",
        "conversion_approval",
        _("Conversions"),
        _("Conversions to full member approved within the period."),
    ),
)


def stages_part(nodes, period):
    aggregates = {stage.value: Count("pk", filter=Q(stage=stage.value)) for stage in Stage}
    rows = subtree_aggregates(nodes, Candidate, "branch", aggregates)
    return {pk: {f"development.stage_{k}": v for k, v in values.items()} for pk, values in rows.items()}


def events_part(nodes, period):
    aggregates = {key: Count("pk", filter=Q(code=code)) for key, code, *_rest in EVENTS}
    in_period = Q(on__gte=period.start, on__lte=period.end, code__in=[code for _k, code, *_r in EVENTS])
    rows = subtree_aggregates(nodes, CandidateStep, "candidate__branch", aggregates, in_period)
    return {pk: {f"development.{k}": v for k, v in values.items()} for pk, values in rows.items()}


def _figures() -> list[Figure]:
    figures = [
        Figure(
            f"development.stage_{stage.value}",
            stage.label,
            _("Candidates whose receiving branch is in the subtree, now at this stage."),
        )
        for stage in Stage
    ]
    figures += [Figure(f"development.{key}", label, definition) for key, _code, label, definition in EVENTS]
    return figures


register_stat_block(
    StatBlock(
        name="development",
        label=_("Development of party members"),
        order=25,
        figures=_figures(),
        unaffected_by=MEETING_WRITES | COMPOUND_WRITES,
        parts=[stages_part, events_part],
    )
)
