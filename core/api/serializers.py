"""Generic serializer pieces (no scope, no domain): unknown fields are refused."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers


class StrictSerializerMixin:
    """Refuse unknown fields instead of silently ignoring them (a typo is a 400)."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Expected a JSON object.")]})
        allowed = {name for name, f in self.fields.items() if not f.read_only}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)
