"""Admin for scoring (rubric, scores, manual scores) and reminders. Beat schedules have their
own admin (django-celery-beat). The points admin lives with the members app
(``members/admin_points.py``, loaded by ``members/admin.py``)."""

import datetime

from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin, ScopedInlineMixin
from core.registry import REMINDER_LABELS
from organizations.models import (
    BranchScore,
    ManualScore,
    Reminder,
    ReminderStatus,
    ScoringCriterion,
    ScoringItem,
    ScoringRubric,
)
from organizations.reminders import reminder_close
from organizations.scoring import Period


class ScoringItemInline(ScopedInlineMixin, admin.TabularInline):
    model = ScoringItem
    extra = 0
    show_change_link = True


class ScoringCriterionInline(ScopedInlineMixin, admin.TabularInline):
    model = ScoringCriterion
    extra = 0
    fields = ("order", "code", "name", "max_points", "method", "metric", "thresholds")


@admin.register(ScoringRubric)
class ScoringRubricAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Rubric versions. Change a rubric by copying it as a new version valid from the next
    quarter: scores already computed keep the version they were computed with."""

    list_display = ("name", "valid_from", "created_at")
    inlines = [ScoringItemInline]
    actions = ("copy_for_next_quarter",)

    @admin.action(description=gettext_lazy("Copy as a new version valid from the next quarter"))
    def copy_for_next_quarter(self, request, queryset):
        start = Period.containing(timezone.localdate(), "quarter").end + datetime.timedelta(days=1)
        if ScoringRubric.objects.filter(valid_from=start).exists():
            self.message_user(
                request, _("A version valid from %(date)s exists already.") % {"date": start}, messages.ERROR
            )
            return
        source = queryset.order_by("-valid_from").first()
        if source is None:
            return
        copy = ScoringRubric.objects.create(
            name=source.name, valid_from=start, star_thresholds=source.star_thresholds, description=source.description
        )
        for item in source.items.prefetch_related("criteria"):
            new_item = ScoringItem.objects.create(rubric=copy, order=item.order, name=item.name)
            created = ScoringCriterion.objects.bulk_create(
                ScoringCriterion(
                    item=new_item,
                    order=c.order,
                    code=c.code,
                    name=c.name,
                    max_points=c.max_points,
                    method=c.method,
                    metric=c.metric,
                    thresholds=c.thresholds,
                )
                for c in item.criteria.all()
            )
            audit.audit_bulk(
                model=ScoringCriterion,
                action="create",
                count=len(created),
                ids=[c.pk for c in created],
                filter={"item_id": new_item.pk},
            )
        self.message_user(request, _("New version valid from %(date)s created.") % {"date": start})


@admin.register(ScoringItem)
class ScoringItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "rubric", "order")
    list_filter = ("rubric",)
    inlines = [ScoringCriterionInline]


@admin.register(BranchScore)
class BranchScoreAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: scores are computed (``run_scoring``), never typed in."""

    list_display = ("branch", "period", "total", "max_total", "stars", "computed_at")
    list_filter = ("period", "stars")
    search_fields = ("branch__name", "branch__code")
    list_select_related = ("branch",)
    fields = ("branch", "rubric", "period", "total", "max_total", "stars", "breakdown_table", "computed_at")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("breakdown"))
    def breakdown_table(self, obj):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{} / {}</td><td>{}</td></tr>",
            ((r["item"], r["name"], r["points"], r["max"], r["figure"]) for r in obj.breakdown),
        )
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("item"),
            _("criterion"),
            _("points"),
            _("figure"),
            rows,
        )


@admin.register(ManualScore)
class ManualScoreAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("branch", "criterion", "period", "points", "entered_by", "entered_at")
    list_filter = ("period",)
    search_fields = ("branch__name",)
    fields = ("branch", "criterion", "period", "points", "note")

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


class ReminderReasonFilter(admin.SimpleListFilter):
    """The reasons by their rule's Chinese label; a reason may carry details after a colon."""

    title = gettext_lazy("reason")
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return sorted(((code, str(label)) for code, label in REMINDER_LABELS.items()), key=lambda kv: kv[1])

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(Q(reason=self.value()) | Q(reason__startswith=f"{self.value()}:"))


@admin.register(Reminder)
class ReminderAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Reminders of the user's scope; closing them is an action, the rest is read-only."""

    list_display = ("message", "organization", "reason_display", "due_on", "status", "opened_on", "sent_at")
    list_filter = ("status", ReminderReasonFilter, "due_on")
    search_fields = ("message", "organization__name")
    list_select_related = ("organization",)
    readonly_fields = (
        "subject_type",
        "subject_id",
        "reason_display",
        "organization",
        "due_on",
        "message",
        "status",
        "opened_on",
        "closed_on",
        "closed_by",
        "sent_at",
    )
    actions = ("mark_done", "mark_dismissed")

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("reason"), ordering="reason")
    def reason_display(self, obj):
        return obj.reason_label

    def _close(self, request, queryset, status):
        n = 0
        for reminder in queryset.filter(status=ReminderStatus.OPEN):
            reminder_close(reminder=reminder, status=status, user=request.user, today=timezone.localdate())
            n += 1
        self.message_user(request, _("%(n)d reminder(s) closed.") % {"n": n})

    @admin.action(description=gettext_lazy("Mark done"))
    def mark_done(self, request, queryset):
        self._close(request, queryset, ReminderStatus.DONE)

    @admin.action(description=gettext_lazy("Dismiss"))
    def mark_dismissed(self, request, queryset):
        self._close(request, queryset, ReminderStatus.DISMISSED)
