"""Chinese admin of joint building and service, scoped through ``for_user``.

Statuses change only through the actions (which call the services); the need list shows, next
to each need, the available resources of the same category in the user's subtree.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.admin import ScopedAdminMixin, ScopedInlineMixin
from core.xlsx import xlsx_response
from organizations.quality import QualityFilter
from projects import export, selectors, services
from projects.admin_rows import ResidentRowsAdmin
from projects.models import (
    Activity,
    Agreement,
    Funding,
    MicroWish,
    Need,
    NeedStatus,
    PartnerUnit,
    ProgressUpdate,
    Project,
    ProjectStatus,
    Resource,
)


@admin.register(PartnerUnit)
class PartnerUnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "party_organization", "contact_person", "registered_by", "archived")
    list_filter = ("kind", "archived")
    search_fields = ("name", "party_organization")
    list_select_related = ("registered_by",)


class ExpiringFilter(admin.SimpleListFilter):
    title = gettext_lazy("expiry")
    parameter_name = "expiring"

    def lookups(self, request, model_admin):
        return (("60", gettext_lazy("Expiring within 60 days")), ("expired", gettext_lazy("Expired")))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "60":
            return selectors.agreements_expiring(queryset, today=today, days=60)
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=today)
        return queryset


@admin.register(Agreement)
class AgreementAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "partner", "organization", "signed_on", "expires_on", "archived")
    list_filter = (ExpiringFilter, "archived", QualityFilter)
    search_fields = ("title", "partner__name")
    list_select_related = ("partner", "organization")
    date_hierarchy = "signed_on"


@admin.register(Resource)
class ResourceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("partner", "category", "description", "available")
    list_filter = ("category", "available")
    list_select_related = ("partner",)


class UnmatchedFilter(admin.SimpleListFilter):
    title = gettext_lazy("matching")
    parameter_name = "matching"

    def lookups(self, request, model_admin):
        return [("unmatched", gettext_lazy("Open, with resources of the same category"))]

    def queryset(self, request, queryset):
        if self.value() == "unmatched":
            return queryset.filter(status=NeedStatus.OPEN, available_resources__gt=0)
        return queryset


@admin.register(Need)
class NeedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("compound", "category", "description", "status", "raised_on", "resources_column")
    list_filter = (UnmatchedFilter, "status", "category")
    list_select_related = ("compound",)

    def get_queryset(self, request):
        resources = Resource.objects.for_user(request.user)
        return selectors.needs_with_available_resources(super().get_queryset(request), resources)

    @admin.display(
        description=gettext_lazy("Available resources (same category, my subtree)"), ordering="available_resources"
    )
    def resources_column(self, obj):
        if not obj.available_resources:
            return "0"
        url = reverse("admin:projects_resource_changelist")
        return format_html(
            '<a href="{}?category={}&available__exact=1">{}</a>', url, obj.category, obj.available_resources
        )


class FundingInline(ScopedInlineMixin, admin.TabularInline):
    model = Funding
    extra = 0
    fields = ("source", "amount", "received_on", "note")


class ProgressInline(ScopedInlineMixin, admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ("date", "text", "photo")


def _project_action(to_status, label):
    def run(modeladmin, request, queryset):
        done = 0
        for project in queryset:
            try:
                services.project_transition(
                    project=project, to_status=to_status, on=timezone.localdate(), reason=_("Cancelled in the admin.")
                )
                done += 1
            except ValidationError as exc:
                modeladmin.message_user(request, f"{project.title}：{'；'.join(exc.messages)}", messages.ERROR)
        if done:
            modeladmin.message_user(request, _("%(n)d projects updated.") % {"n": done}, messages.SUCCESS)

    run.short_description = label
    run.__name__ = f"mark_{to_status}"
    return run


@admin.register(Project)
class ProjectAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "organization",
        "compound",
        "category",
        "status",
        "budget",
        "volunteers",
        "started_on",
        "completed_on",
    )
    list_filter = ("status", "category")
    search_fields = ("title",)
    list_select_related = ("organization", "compound")
    readonly_fields = ("status", "approved_on", "started_on", "completed_on", "cancelled_on", "cancel_reason")
    filter_horizontal = ("partners", "resources")
    inlines = (FundingInline, ProgressInline)
    actions = (
        _project_action(ProjectStatus.APPROVED, gettext_lazy("Approve the selected projects")),
        _project_action(ProjectStatus.IN_PROGRESS, gettext_lazy("Start the selected projects")),
        _project_action(ProjectStatus.COMPLETED, gettext_lazy("Complete the selected projects")),
        _project_action(ProjectStatus.CANCELLED, gettext_lazy("Cancel the selected projects")),
        "export_xlsx",
    )

    @admin.action(description=gettext_lazy("Export to Excel"))
    def export_xlsx(self, request, queryset):
        headers = [
            _("ID"),
            _("title"),
            _("responsible organization"),
            _("compound"),
            _("category"),
            _("status"),
            _("budget (yuan)"),
            _("funded (yuan)"),
            _("volunteers"),
            _("beneficiaries"),
            pgettext("project", "started on"),
            _("completed on"),
        ]
        return xlsx_response("projects.xlsx", _("joint-build projects"), headers, export.project_rows(queryset))


@admin.register(Activity)
class ActivityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "held_on", "organizer", "member_participants", "resident_participants")
    list_filter = ("kind",)
    list_select_related = ("organizer",)
    date_hierarchy = "held_on"
    filter_horizontal = ("partners",)


@admin.register(MicroWish)
class MicroWishAdmin(ResidentRowsAdmin):
    list_display = ("content", "compound", "resident_masked", "status", "published_on", "claimed_by", "fulfilled_at")
    list_filter = ("status",)
    list_select_related = ("compound", "claimed_by")
    readonly_fields = ("status", "claimed_by", "claimed_at", "fulfilled_at")

    export_file, export_title, export_rows = (
        "micro-wishes.xlsx",
        gettext_lazy("micro-wishes"),
        staticmethod(export.wish_rows),
    )

    def export_headers(self):
        return [
            _("ID"),
            _("compound"),
            _("resident"),
            _("wish"),
            _("published on"),
            _("status"),
            _("claimed by"),
            _("fulfilled at"),
        ]


from projects import admin_requests  # noqa: E402,F401  (resident requests and their public pages)
