"""The audit trail in the admin: read-only for everyone, superusers included."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy

from core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "action", "model", "object_id", "object_repr", "remote_addr", "source")
    list_filter = ("action", "model", "source")
    search_fields = ("username", "object_id", "object_repr", "request_id", "remote_addr")
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False  # counting a large append-only table on every page is slow
    fields = (
        "at",
        "username",
        "user",
        "action",
        "model",
        "object_id",
        "object_repr",
        "changes_table",
        "organization_id",
        "remote_addr",
        "request_id",
        "source",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    @admin.display(description=gettext_lazy("changes"))
    def changes_table(self, obj):
        rows = (
            (field, pair[0] if len(pair) > 0 else "", pair[1] if len(pair) > 1 else "")
            for field, pair in obj.changes.items()
        )
        return format_html_join("\n", "<div><b>{}</b>: {} → {}</div>", rows)

    def get_actions(self, request):
        return {}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
