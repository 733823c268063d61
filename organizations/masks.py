"""The one place personal data is masked: ID numbers, phones, names and birth dates on screen,
and full ID numbers / mobile numbers scrubbed out of log lines.

Who may see what in full is decided by the caller (``members.view_sensitive_data``, checked and
logged in ``members.personal_data``); these functions only produce the masked forms.
"""

from __future__ import annotations

import datetime
import logging
import re

# A resident ID number (18 characters, the last one may be X) or a mainland mobile number,
# standing alone (not part of a longer run of digits), also percent-encoded in a query string.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])(?:\+86|%2B86|0086)?1[3-9]\d{9}(?![0-9])")


def _keep_ends(value: str, head: int = 3, tail: int = 4) -> str:
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    """``110101199003071234`` → ``110***********1234``."""
    return _keep_ends(value)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    return _keep_ends(value)


def mask_name(name: str) -> str:
    """Residents' names outside their own record: 张三丰 → 张**, 王五 → 王*."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def birth_year(value: datetime.date | None) -> int | None:
    """What a user without the unmask permission sees of a birth date: the year. The full date
    plus the masked ID number (first 3 + last 4) would leave only the area digits to guess."""
    return value.year if value else None


def scrub_personal_data(text: str) -> str:
    """``text`` with every full ID number and mobile number masked (log lines, query strings)."""
    if not text:
        return text
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)


class ScrubPersonalDataFilter(logging.Filter):
    """Logging filter: no log record keeps a full ID number or phone (a request line with
    ``?q=<id>``, an error message). Installed on every handler in the settings."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logged as it is
            return True
        scrubbed = scrub_personal_data(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        # django.server / django.request keep the request on the record; its repr is not printed.
        return True
