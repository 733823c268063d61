"""Branch terms (换届): the allowed lengths are data per organization kind (``TermLength``);
``term_ends_on`` is derived from the election date when not given, and a term matching no
allowed length is refused. ``Organization.clean`` (so every service, the admin and the API)
applies ``apply_term_rules``; the 换届 reminder reads the stored, derived ``term_ends_on``."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A term end is accepted within a month of an allowed length: re-elections are scheduled around
# the anniversary, not on the day.
TOLERANCE = datetime.timedelta(days=31)


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def allowed_lengths(kind: str) -> tuple[list[int], int | None]:
    """(allowed years, default years or None) for an organization kind. One query."""
    from organizations.models.terms import TermLength

    rows = list(TermLength.objects.filter(organization_kind=kind).values_list("years", "is_default"))
    years = sorted(y for y, _d in rows)
    default = next((y for y, d in rows if d), years[0] if len(years) == 1 else None)
    return years, default


def apply_term_rules(node) -> None:
    """Derive ``term_ends_on`` from ``elected_on`` when not given, and refuse a term whose length
    is none of the kind's allowed lengths. Kinds without rules are not checked."""
    if node.elected_on is None:
        return
    years, default = allowed_lengths(node.kind)
    if not years:
        return
    if node.term_ends_on is None:
        if default is None:
            raise ValidationError(
                {"term_ends_on": _("Enter the term end: the term may last %(years)s years.") % {"years": _join(years)}}
            )
        node.term_ends_on = add_years(node.elected_on, default)
        return
    if not any(abs(node.term_ends_on - add_years(node.elected_on, y)) <= TOLERANCE for y in years):
        raise ValidationError(
            {
                "term_ends_on": _(
                    "A term of %(kind)s lasts %(years)s years from the election (%(elected)s); this term end does not fit."
                )
                % {"kind": node.get_kind_display(), "years": _join(years), "elected": node.elected_on.isoformat()}
            }
        )


def _join(years: list[int]) -> str:
    return _(" or ").join(str(y) for y in years)
