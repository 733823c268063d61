"""Plausible values, enforced in one place for every way data comes in.

Every API serializer (``organizations.api.base.StrictSerializerMixin``), every admin form
(``core.admin``) and the phone pages harden their fields with these rules, so no
field has to repeat them by hand:

- dates lie between 1921-01-01 (the Party was founded in 1921: no admission, term or meeting
  is older; birth dates from 1900) and 2099-12-31 (``9999-12-31`` is a typing slip, not a plan);
- a ``…year`` number (e.g. a building's ``built_year``) lies between 1800 and five years ahead;
- text carries no control characters and no bidirectional overrides (U+202E would show a
  name reversed in every list); single-line text refuses line breaks too;
- text without a declared maximum (minutes, descriptions, notes) is at most 20,000 characters.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

EARLIEST_DATE = datetime.date(1921, 1, 1)
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)
EARLIEST_YEAR = 1800
YEARS_AHEAD = 5
TEXT_MAX_LENGTH = 20_000
# Longer declared maxima (or none) are multi-line texts; shorter ones are names and codes.
SINGLE_LINE_MAX = 200

# Bidirectional embeddings, overrides and isolates, plus the marks that reorder text.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = "\n\r\t"


def _control_chars(value: str, *, multiline: bool) -> bool:
    if _BIDI.search(value):
        return True
    for char in value:
        if unicodedata.category(char) == "Cc" and not (multiline and char in _LINE_BREAKS):
            return True
    return False


class NoControlCharacters:
    """Refuse control characters and bidi overrides (line breaks allowed in multi-line text)."""

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, value) -> None:
        if isinstance(value, str) and _control_chars(value, multiline=self.multiline):
            raise ValidationError(
                _("The text contains control characters or direction marks; remove them and type it again."),
                code="control_characters",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline


def plausible_offset(value) -> None:
    """PostgreSQL refuses time zone offsets of 16 hours or more (a DataError, i.e. a 500)."""
    offset = value.utcoffset() if isinstance(value, datetime.datetime) else None
    if offset is not None and abs(offset) >= datetime.timedelta(hours=16):
        raise ValidationError(_("The time zone offset is out of range."), code="implausible_offset")


def _check_date(value, earliest: datetime.date) -> None:
    if value is None:
        return
    plausible_offset(value)
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not earliest <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(start)s and %(end)s.")
            % {"start": earliest.isoformat(), "end": LATEST_DATE.isoformat()},
            code="implausible_date",
        )


def plausible_date(value) -> None:
    """A date (or the date of a date and time) between 1921 and 2099."""
    _check_date(value, EARLIEST_DATE)


def plausible_birth_date(value) -> None:
    """A birth date between 1900 and 2099 (the oldest members were born before the Party)."""
    _check_date(value, EARLIEST_BIRTH_DATE)


def date_validator(name: str):
    return plausible_birth_date if name.endswith("birth_date") else plausible_date


def plausible_year(value) -> None:
    if value is None:
        return
    latest = timezone.localdate().year + YEARS_AHEAD
    if not EARLIEST_YEAR <= value <= latest:
        raise ValidationError(
            _("Enter a year between %(start)d and %(end)d.") % {"start": EARLIEST_YEAR, "end": latest},
            code="implausible_year",
        )


def text_validators(*, max_length: int | None, multiline: bool | None = None) -> list:
    """The validators a text input gets: no control characters, and a maximum when none is
    declared."""
    if multiline is None:
        multiline = max_length is None or max_length > SINGLE_LINE_MAX
    validators = [NoControlCharacters(multiline=multiline)]
    if max_length is None:
        validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
    return validators


def _add(field_validators: list, extra: list) -> None:
    for validator in extra:
        if validator not in field_validators:
            field_validators.append(validator)


# --- DRF serializers ---------------------------------------------------------------------------


class PlausibleDateTimeField(serializers.DateTimeField):
    """Checks the range before DRF converts the time zone (``0001-01-01`` overflows there)."""

    def enforce_timezone(self, value):
        try:
            plausible_date(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from exc
        return super().enforce_timezone(value)


def harden_serializer_fields(fields: dict) -> dict:
    """Add the plausibility validators to the writable fields of a DRF serializer."""
    for name, field in fields.items():
        if type(field) is serializers.DateTimeField:
            # The same field with the range checked first (validators run too late for it).
            field.__class__ = PlausibleDateTimeField
        if field.read_only:
            continue
        if isinstance(field, serializers.CharField):
            multiline = field.style.get("base_template") == "textarea.html" or None
            _add(field.validators, text_validators(max_length=field.max_length, multiline=multiline))
            if field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH
        elif isinstance(field, serializers.DateField | serializers.DateTimeField):
            _add(field.validators, [date_validator(name)])
        elif isinstance(field, serializers.IntegerField) and name.endswith("year"):
            _add(field.validators, [plausible_year])
    return fields


# --- Django forms (admin, phone pages) ---------------------------------------------------------


def harden_form_field(name: str, field):
    """Add the plausibility validators to one Django form field (returns it)."""
    if field is None or getattr(field, "disabled", False):
        return field
    if isinstance(field, forms.CharField) and not isinstance(field, forms.ChoiceField):
        multiline = isinstance(field.widget, forms.Textarea) or None
        _add(field.validators, text_validators(max_length=field.max_length, multiline=multiline))
    elif isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
        _add(field.validators, [date_validator(name)])
    elif isinstance(field, forms.IntegerField) and name.endswith("year"):
        _add(field.validators, [plausible_year])
    return field


def harden_form(form):
    """Harden every field of a form (returns it)."""
    for name, field in form.fields.items():
        harden_form_field(name, field)
    return form
