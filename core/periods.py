"""The one period type: a month, a quarter, a year, or any closed range of days.

Scoring, statistics, compliance and reminders all speak of periods; they share this type. A period
is closed ``[start, end]`` (``end`` is the last day); ``end_exclusive`` and ``bounds()`` give the
half-open form a ``DateTimeField`` query needs. Labels: ``2026-05``, ``2026-Q3``, ``2026`` (what the
API takes and the tables store), ``display`` the Chinese one (``2026年第3季度``).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
KIND_MONTHS = {MONTH: 1, QUARTER: 3, YEAR: 12}

_LABEL_RE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])))?$")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months; a day past the target month's end falls on its last day
    (31 January + 1 month = 28/29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    """A closed date range ``[start, end]``; ``kind`` says whether it is a calendar month, quarter
    or year (then ``label`` is ``2026-05`` / ``2026-Q3`` / ``2026``) or any range."""

    start: datetime.date
    end: datetime.date  # inclusive
    kind: str = RANGE
    label: str = ""

    def __post_init__(self):
        if self.end < self.start:
            raise ValidationError({"from": _("The start date is after the end date.")})
        if not self.label:
            object.__setattr__(self, "label", f"{self.start.isoformat()}/{self.end.isoformat()}")

    # --- construction ---------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(datetime.date(year, month, 1), _last_day(year, month), MONTH, f"{year}-{month:02d}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * quarter - 2
        return cls(datetime.date(year, first, 1), _last_day(year, first + 2), QUARTER, f"{year}-Q{quarter}")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), YEAR, str(year))

    @classmethod
    def parse(cls, label: str | Period) -> Period:
        """``2026-05``, ``2026-Q3`` or ``2026``; a clear message keyed ``period`` otherwise."""
        if isinstance(label, Period):
            return label
        match = _LABEL_RE.match(str(label or "").strip())
        if not match:
            raise ValidationError({"period": _("Enter a period such as 2026-05, 2026-Q3 or 2026.")})
        year = int(match["year"])
        if match["month"]:
            return cls.month(year, int(match["month"]))
        if match["quarter"]:
            return cls.quarter(year, int(match["quarter"]))
        return cls.year(year)

    @classmethod
    def containing(cls, day: datetime.date, kind: str) -> Period:
        """The calendar month, quarter or year ``day`` lies in."""
        if kind == MONTH:
            return cls.month(day.year, day.month)
        if kind == QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.year(day.year)

    @classmethod
    def previous(cls, day: datetime.date, kind: str) -> Period:
        """The last complete period of ``kind`` before ``day`` (what a scheduled run scores)."""
        return cls.containing(cls.containing(day, kind).start - datetime.timedelta(days=1), kind)

    # --- reading --------------------------------------------------------------------------

    @property
    def months(self) -> int:
        """How many calendar months the period touches (3 for a quarter)."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def month_labels(self) -> list[str]:
        """``YYYY-MM`` of every month the period touches, in order."""
        return [
            f"{d.year:04d}-{d.month:02d}"
            for d in (add_months(self.start.replace(day=1), i) for i in range(self.months))
        ]

    @property
    def end_exclusive(self) -> datetime.date:
        """The day after ``end``: the half-open form ``[start, end_exclusive)``."""
        return self.end + datetime.timedelta(days=1)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware datetimes ``[start 00:00, end_exclusive 00:00)`` in the current time zone."""
        tz = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(self.end_exclusive, datetime.time.min, tzinfo=tz),
        )

    def years_before_end(self, years: int) -> datetime.date:
        """``end`` minus whole years (29 February falls back to 28 February)."""
        return add_months(self.end, -12 * years)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def display(self) -> str:
        """The Chinese label staff read: 2026年5月, 2026年第3季度, 2026年, or the range."""
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == QUARTER:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        if self.kind == YEAR:
            return f"{self.start.year}年"
        return f"{self.start.isoformat()} 至 {self.end.isoformat()}"

    def __str__(self) -> str:
        return self.label
