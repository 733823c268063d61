"""The 25 steps of 《中国共产党发展党员工作细则》 as data: order, stage, what each step needs
(``needs``: people, a 支部大会 vote, training hours, a 公示 period) and how its due date is
computed from the earlier steps. The services read this table; nothing else names a step.

Due dates (细则 article in brackets):
- ``talk``: within one month of the application (第六条);
- ``assessment``: half-yearly from the contacts' appointment or the last assessment (第十二条);
- ``target``: at the earliest one year after being determined an activist (第十三条);
- ``approval``: within three months of the 支部大会 (第二十九条);
- ``conversion_application``: when the probation is due (第三十三条);
- ``conversion_approval``: within three months of the conversion 支部大会 (第三十五条).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from members.development.models import Stage
from members.member_rules import add_months

PUBLICITY_WORKING_DAYS = 5  # 公示 "不少于5个工作日" (the usual provincial rule)


@dataclass(frozen=True)
class Step:
    code: str
    order: int
    stage: str  # the stage (section of the 细则) the step belongs to
    label: object
    enters: str | None = None  # the stage the candidate is in once the step is recorded
    repeatable: bool = False
    needs: frozenset = field(default_factory=frozenset)  # people_1_2, people_2, vote, hours, publicity


def _s(code, order, stage, label, enters=None, repeatable=False, needs=()):
    return Step(code, order, stage, label, enters, repeatable, frozenset(needs))


A, B, C, D, E = Stage.APPLICANT, Stage.ACTIVIST, Stage.TARGET, Stage.PROBATIONARY, Stage.FULL
STEP_LIST = [
    _s("application", 1, A, _("Application submitted"), enters=A),
    _s("talk", 2, A, _("Talk with the applicant")),
    _s("activist", 3, B, _("Recommended and determined as activist"), enters=B),
    _s("activist_filed", 4, B, _("Activist filed with the higher committee")),
    _s("contacts", 5, B, _("Contacts appointed"), needs=("people_1_2",)),
    _s("assessment", 6, B, _("Assessment of the activist"), repeatable=True),
    _s("target", 7, C, _("Determined as development target"), enters=C),
    _s("target_filed", 8, C, _("Development target filed with the higher committee")),
    _s("sponsors", 9, C, _("Sponsors determined"), needs=("people_2",)),
    _s("political_review", 10, C, _("Political review")),
    _s("training", 11, C, _("Concentrated training"), needs=("hours",)),
    _s("committee_review", 12, D, _("Branch committee review and publicity"), needs=("publicity",)),
    _s("pre_review", 13, D, _("Pre-review by the higher committee")),
    _s("application_form", 14, D, _("Application form for admission filled in")),
    _s("congress_vote", 15, D, _("Branch general meeting vote on admission"), needs=("vote",)),
    _s("committee_talk", 16, D, _("Talk by the higher committee")),
    _s("approval", 17, D, _("Admission approved by the higher committee"), enters=D),
    _s("approval_filed", 18, D, _("Admission filed with the organization department")),
    _s("placed", 19, E, _("Placed in a branch and group")),
    _s("oath", 20, E, _("Oath of admission")),
    _s("continued_assessment", 21, E, _("Continued assessment of the probationary member"), repeatable=True),
    _s("conversion_application", 22, E, _("Application for conversion")),
    _s("conversion_vote", 23, E, _("Branch general meeting vote on conversion"), needs=("vote",)),
    _s("conversion_approval", 24, E, _("Conversion approved by the higher committee"), enters=E),
    _s("archived", 25, E, _("Materials archived")),
]
STEPS = {s.code: s for s in STEP_LIST}
STEP_CHOICES = [(s.code, s.label) for s in STEP_LIST]


def last_on(log: dict[str, list[datetime.date]], code: str) -> datetime.date | None:
    days = log.get(code) or []
    return max(days) if days else None


def next_step(log: dict[str, list[datetime.date]]) -> Step | None:
    """The first step of the table not yet recorded (a repeatable step counts once recorded)."""
    for step in STEP_LIST:
        if not log.get(step.code):
            return step
    return None


def due_on(step: Step, log: dict[str, list[datetime.date]], *, probation_due_on=None) -> datetime.date | None:
    """When ``step`` is due given the dates already in the log (``None``: no deadline)."""
    if step.code == "talk":
        return add_months(last_on(log, "application"), 1)
    if step.code == "assessment":
        return add_months(last_on(log, "assessment") or last_on(log, "contacts"), 6)
    if step.code == "target":
        # the earliest date; also the next half-yearly assessment keeps the activist in view
        return add_months(last_on(log, "activist"), 12)
    if step.code == "approval":
        return add_months(last_on(log, "congress_vote"), 3)
    if step.code == "conversion_application":
        return probation_due_on
    if step.code == "conversion_approval":
        return add_months(last_on(log, "conversion_vote"), 3)
    return None


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``day`` (Monday to Friday; public holidays are not known to
    the system, so a 公示 over a holiday must be extended by the branch itself)."""
    while n > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def publicity_ends(start: datetime.date) -> datetime.date:
    """The last day of a 公示 starting on ``start``: ``start`` counts as the first working day when it
    is one (else the next working day does), then four more working days."""
    while start.weekday() >= 5:
        start += datetime.timedelta(days=1)
    return add_working_days(start, PUBLICITY_WORKING_DAYS - 1)
