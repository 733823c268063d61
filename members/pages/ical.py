"""A hand-written iCalendar (RFC 5545) feed: CRLF line ends, TEXT escaping and lines folded
at 75 octets (never inside a UTF-8 character)."""

from __future__ import annotations

import datetime

from django.utils import timezone

MEETING_MINUTES = 90  # a meeting has no end time; phones need one


def escape_text(value: str) -> str:
    """RFC 5545 §3.3.11: backslash, semicolon, comma and newlines."""
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next line after CRLF + space."""
    out, current, size = [], "", 0
    for char in line:
        n = len(char.encode("utf-8"))
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + n > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += n
    out.append(current)
    return "\r\n ".join(out)


def _utc(dt: datetime.datetime) -> str:
    return dt.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meetings_calendar(branch, meetings, *, host: str = "localhost") -> str:
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//dangjian//branch meetings//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(branch.name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    domain = host.split(":")[0] or "localhost"
    for m in meetings:
        end = m.held_at + datetime.timedelta(minutes=MEETING_MINUTES)
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{m.pk}@{domain}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(m.held_at)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{escape_text(m.get_kind_display() + '：' + m.topic)}",
            f"LOCATION:{escape_text(m.place)}",
            f"DESCRIPTION:{escape_text(m.agenda)}",
            f"SEQUENCE:{max(0, m.version - 1)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
