"""Login failures for the security administrator: who is locked, since when, until when; the
"unlock" is deleting the counter (the failures themselves stay in the log lines)."""

from django.contrib import admin

from core.models import LoginThrottle


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = ("key", "failures", "last_failure_at", "locked_until")
    search_fields = ("key",)
    ordering = ("-last_failure_at",)
    readonly_fields = ("key", "failures", "last_failure_at", "locked_until")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
