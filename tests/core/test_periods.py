"""The one period type (scoring, statistics, compliance, reminders)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.periods import Period, add_months


def test_labels_parse_to_calendar_periods():
    assert Period.parse("2026-05").end == datetime.date(2026, 5, 31)
    q3 = Period.parse("2026-Q3")
    assert (q3.start, q3.end, q3.kind, q3.months) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 30),
        "quarter",
        3,
    )
    assert Period.parse("2026").months == 12
    assert Period.parse("2024-02").end == datetime.date(2024, 2, 29)
    assert str(Period.parse(" 2026-Q1 ")) == "2026-Q1"


@pytest.mark.parametrize("label", ["2026-Q5", "2026-13", "26", "", None, "2026-1"])
def test_a_bad_label_is_a_message_on_the_period_field(label):
    with pytest.raises(ValidationError) as exc:
        Period.parse(label)
    assert "period" in exc.value.message_dict


def test_containing_and_previous():
    day = datetime.date(2026, 1, 15)
    assert Period.containing(day, "quarter").label == "2026-Q1"
    assert Period.previous(day, "quarter").label == "2025-Q4"
    assert Period.previous(day, "month").label == "2025-12"
    assert Period.previous(day, "year").label == "2025"


def test_a_range_touches_months_and_has_half_open_bounds():
    period = Period(datetime.date(2025, 11, 15), datetime.date(2026, 2, 1))
    assert period.kind == "range"
    assert period.month_labels() == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert period.months == 4
    start, end = period.bounds()
    assert (start.date(), end.date()) == (datetime.date(2025, 11, 15), datetime.date(2026, 2, 2))
    assert datetime.date(2026, 2, 1) in period
    assert datetime.date(2026, 2, 2) not in period
    with pytest.raises(ValidationError):
        Period(datetime.date(2026, 2, 1), datetime.date(2026, 1, 1))


def test_add_months_clamps_to_the_month_end():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2025, 3, 31), -1) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2025, 11, 30), 14) == datetime.date(2027, 1, 30)
    assert Period(datetime.date(2024, 1, 1), datetime.date(2024, 2, 29)).years_before_end(1) == datetime.date(
        2023, 2, 28
    )


def test_chinese_display():
    assert Period.parse("2026-Q3").display == "2026年第3季度"
    assert Period.parse("2026-05").display == "2026年5月"
    assert Period.parse("2026").display == "2026年"
