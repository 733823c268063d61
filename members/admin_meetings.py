"""Admin of organizational life: meetings (with attendance, resolutions and guests inline),
filtered by subtree, period and kind; meeting requirements editable."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdminMixin, ScopedInlineMixin
from members.admin.meeting_add import meeting_add_steps
from members.clerk.admin_view import BehindAdminMixin
from members.meetings import meeting_set_archived, meeting_update
from members.models import (
    Attendance,
    CalendarToken,
    Meeting,
    MeetingAttachment,
    MeetingGuest,
    MeetingRequirement,
    MeetingResolution,
    MeetingRevision,
)
from organizations.admin_district import DistrictDataAdminMixin
from organizations.models import Organization
from organizations.scope import subtree_q
from organizations.selectors import scope_tree_choices

__all__ = ["MeetingAdmin", "MeetingRequirementAdmin", "CalendarTokenAdmin"]


class SubtreeFilter(admin.SimpleListFilter):
    """Meetings anywhere under a street or community of the user's scope."""

    title = _("organization subtree")
    parameter_name = "org"

    def lookups(self, request, model_admin):
        return scope_tree_choices(request)

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        node = Organization.objects.for_user(request.user).filter(pk=self.value()).first()
        return queryset.filter(subtree_q("organization", node)) if node else queryset.none()


class PeriodFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [
            ("month", _("This month")),
            ("quarter", _("This quarter")),
            ("year", _("This year")),
            ("last_year", _("Last year")),
        ]

    def queryset(self, request, queryset):
        from members.compliance import current_window, year_window

        today = timezone.localdate()
        if self.value() in ("month", "quarter", "year"):
            window = current_window(today, self.value())
        elif self.value() == "last_year":
            window = year_window(today.year - 1)
        else:
            return queryset
        lo, hi = window.bounds()
        return queryset.filter(held_at__gte=lo, held_at__lt=hi)


class _MeetingPartInline(ScopedInlineMixin, admin.TabularInline):
    """A part of a recorded meeting: added only with the meeting (``meeting_record``)."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class AttendanceInline(_MeetingPartInline):
    model = Attendance
    fields = ("member", "status", "reason", "has_vote")
    readonly_fields = ("member", "status", "reason", "has_vote")
    can_delete = False


class ResolutionInline(_MeetingPartInline):
    model = MeetingResolution
    readonly_fields = ("text", "votes_for", "votes_against", "votes_abstain")


class GuestInline(_MeetingPartInline):
    model = MeetingGuest
    readonly_fields = ("name", "affiliation")


class AttachmentInline(_MeetingPartInline):
    model = MeetingAttachment
    readonly_fields = ("file", "original_name", "content_type", "size")


class RevisionInline(_MeetingPartInline):
    model = MeetingRevision
    readonly_fields = ("version", "changed_by", "changed_at")
    fields = readonly_fields


@admin.register(Meeting)
class MeetingAdmin(BehindAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Meetings are recorded here in two steps (``members.admin.meeting_add``), on the secretary
    pages or through the API — always by ``meeting_record``, which checks the rules; staff correct
    the text fields here, which bumps the version and keeps the history."""

    list_display = ("held_at", "kind", "organization", "topic", "voting_present", "voting_due", "version")
    list_filter = (SubtreeFilter, PeriodFilter, "kind", "archived")
    search_fields = ("topic", "organization__name")
    date_hierarchy = "held_at"
    list_select_related = ("organization",)
    fields = (
        "organization",
        "kind",
        "held_at",
        *Meeting.DETAIL_FIELDS,
        "voting_due",
        "voting_present",
        "version",
        "archived",
    )
    readonly_fields = ("organization", "kind", "held_at", "host", "recorder", "voting_due", "voting_present", "version")
    inlines = (AttendanceInline, ResolutionInline, GuestInline, AttachmentInline, RevisionInline)

    change_form_template = "admin/members/meeting/change_form.html"

    def has_add_permission(self, request):
        return request.user.has_perm("members.add_meeting")

    def add_view(self, request, form_url="", extra_context=None):
        # Two steps (branch, kind and date; then the roll), recorded through meeting_record.
        if not self.has_add_permission(request):
            raise PermissionDenied
        return meeting_add_steps(self, request)

    def save_model(self, request, obj, form, change):
        changed = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in ("place", "lecturer", "topic", "agenda", "minutes")
        }
        if changed:
            updated = meeting_update(meeting=obj, version=obj.version, changed_by=request.user, **changed)
            obj.version = updated.version
        if "archived" in form.changed_data:
            meeting_set_archived(meeting=obj, archived=obj.archived)


@admin.register(MeetingRequirement)
class MeetingRequirementAdmin(DistrictDataAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The meeting rules apply district-wide: district-level staff edit them."""

    list_display = ("meeting_kind", "organization_kind", "formation", "minimum_count", "period", "note")
    list_editable = ("minimum_count", "period")
    list_filter = ("formation", "period", "meeting_kind")


@admin.register(CalendarToken)
class CalendarTokenAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("branch", "created_at")
    readonly_fields = ("token", "created_at")
