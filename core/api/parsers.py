"""The JSON parser of the API, with a cap on nesting depth.

Python's ``json`` module recurses once per nesting level: ``[`` × 100,000 raises RecursionError,
a 500 on every create endpoint. No request body of this API nests deeper than a handful of
levels (a meeting with attendance lines is three), so anything past ``MAX_JSON_DEPTH`` is refused
as a 400 before it is decoded.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

MAX_JSON_DEPTH = 32

# A JSON string literal (escapes included): brackets inside strings do not nest anything.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``text`` nests arrays / objects deeper than ``limit`` (no recursion)."""
    depth = 0
    for match in _BRACKETS.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    """``JSONParser`` that refuses bodies nested deeper than ``MAX_JSON_DEPTH`` with a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
        except UnicodeDecodeError as exc:
            raise ParseError(_("The request body is not valid UTF-8 text.")) from exc
        if json_depth_exceeds(text):
            raise ParseError(_("The JSON is nested too deeply (at most %(n)d levels).") % {"n": MAX_JSON_DEPTH})
        try:
            parse_constant = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except RecursionError as exc:  # belt and braces: the scan above should have caught it
            raise ParseError(
                _("The JSON is nested too deeply (at most %(n)d levels).") % {"n": MAX_JSON_DEPTH}
            ) from exc
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(detail)s") % {"detail": str(exc)}) from exc
