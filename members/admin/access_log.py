"""Admin of the personal-data access log: who saw or exported personal data in full."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from members.models import SensitiveAccessLog


@admin.register(SensitiveAccessLog)
class SensitiveAccessLogAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Who saw or exported personal data in full (read-only)."""

    list_display = ("accessed_at", "user", "member", "action", "channel")
    list_filter = ("action", "channel")
    list_select_related = ("user", "member")
    date_hierarchy = "accessed_at"
