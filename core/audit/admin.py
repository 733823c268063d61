"""The audit trail in the admin, for the audit administrator: read-only for everyone
(superusers included); filter by who / when / object / action, old → new values, export to Excel.

Filters: the sidebar (action, model, source, date), the search box (user name, object id or
name, address, request id) and the URL: ``?username=…``, ``?model=<app>.<model>&object_id=12``.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.admin import ReadOnlyAdminMixin
from core.api.pagination import EstimatedCountPaginator
from core.audit.labels import (
    AuditModelFilter,
    AuditSourceFilter,
    audit_model,
    audit_source,
    audit_source_label,
    field_label,
    field_value,
    model_label,
)
from core.models import AuditEntry
from core.xlsx import xlsx_response

SUMMARY_FIELDS = 3


def _pairs(model: str, changes: dict):
    """(field name, old, new) in the words users read: field labels, choice labels."""
    for field, pair in (changes or {}).items():
        if isinstance(pair, list | tuple):
            old, new = (pair[0] if len(pair) > 0 else None), (pair[1] if len(pair) > 1 else None)
            yield field_label(model, field), field_value(model, field, old), field_value(model, field, new)
        else:  # bulk summaries: count, ids, filter, values, note
            yield field, "", pair


def changes_text(model: str, changes: dict, limit: int | None = None) -> str:
    rows = list(_pairs(model, changes))[:limit]
    return "; ".join(f"{field}: {old} → {new}" if old != "" else f"{field}: {new}" for field, old, new in rows)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "at",
        "username",
        "action",
        audit_model,
        "object_id",
        "object_repr",
        "changes_summary",
        "remote_addr",
        audit_source,
    )
    list_filter = ("action", AuditModelFilter, AuditSourceFilter, ("at", admin.DateFieldListFilter))
    search_fields = ("username", "object_id", "object_repr", "request_id", "remote_addr")
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False  # counting a large append-only table on every page is slow
    paginator = EstimatedCountPaginator  # nor is it counted once: exact to 10,000, estimated past
    fields = (
        "at",
        "username",
        "user",
        "action",
        audit_model,
        "object_id",
        "object_repr",
        "changes_table",
        "organization_id",
        "remote_addr",
        "request_id",
        audit_source,
    )
    readonly_fields = fields
    actions = ["export_xlsx"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def lookup_allowed(self, lookup, value, request=None):
        # Who and which object, from a link or typed in the address bar.
        return lookup in ("username", "model", "object_id", "user__id__exact") or super().lookup_allowed(
            lookup, value, request
        )

    @admin.display(description=gettext_lazy("changes"))
    def changes_table(self, obj):
        return format_html_join("\n", "<div><b>{}</b>: {} → {}</div>", _pairs(obj.model, obj.changes))

    @admin.display(description=gettext_lazy("changes"))
    def changes_summary(self, obj):
        more = len(obj.changes or {}) - SUMMARY_FIELDS
        text = changes_text(obj.model, obj.changes, SUMMARY_FIELDS)
        return f"{text} …(+{more})" if more > 0 else text

    @admin.action(description=gettext_lazy("Export the selected audit entries to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        headers = [
            gettext_lazy("at"),
            gettext_lazy("username"),
            gettext_lazy("action"),
            gettext_lazy("model"),
            pgettext_lazy("audit", "object id"),
            gettext_lazy("object"),
            gettext_lazy("changes"),
            gettext_lazy("remote address"),
            gettext_lazy("source"),
            gettext_lazy("request id"),
        ]
        rows = (
            (
                timezone.localtime(entry.at),
                entry.username,
                entry.get_action_display(),
                model_label(entry.model),
                entry.object_id,
                entry.object_repr,
                changes_text(entry.model, entry.changes),
                entry.remote_addr,
                audit_source_label(entry.source),
                entry.request_id,
            )
            for entry in queryset.order_by("-at", "-id").iterator(chunk_size=2000)
        )
        return xlsx_response("审计日志.xlsx", "审计日志", headers, rows, widths=[20, 14, 8, 24, 10, 30, 60, 16, 16, 34])

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
