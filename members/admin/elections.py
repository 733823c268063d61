"""Admin of 换届选举 and 民主评议党员: scoped lists with filters and an Excel export.
Elections and appraisals are written through ``members.elections.services`` /
``members.appraisal.services`` (rules there) by their own pages (``election_add``,
``appraisal_add``), not by editing rows here."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import LabelledInlineMixin, ReadOnlyAdminMixin, ScopedAdminMixin
from core.xlsx import xlsx_response
from members.admin.appraisal_add import appraisal_record_view
from members.admin.election_add import election_add_view
from members.models import AppraisalResult, AppraisalSession, Election, ElectionCandidate

__all__ = ["AppraisalSessionAdmin", "ElectionAdmin"]


class OverdueFilter(admin.SimpleListFilter):
    """逾期未换届: the branch's latest election whose term has ended."""

    title = _("term overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("yes", _("Term ended without a new election")),)

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        later = Election.objects.filter(organization_id=OuterRef("organization_id"), held_on__gt=OuterRef("held_on"))
        return queryset.filter(term_ends_on__lt=timezone.localdate()).exclude(Exists(later))


class CandidateInline(ReadOnlyAdminMixin, LabelledInlineMixin, admin.TabularInline):
    model = ElectionCandidate
    fields = ("member", "votes", "elected", "post")
    readonly_fields = fields
    extra = 0


@admin.register(Election)
class ElectionAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "term_number", "held_on", "method", "seats", "approved_on", "term_ends_on")
    list_filter = (OverdueFilter, "method", "held_on")
    search_fields = ("organization__name",)
    list_select_related = ("organization",)
    inlines = (CandidateInline,)
    actions = ("export_xlsx",)

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("members.add_election")

    def add_view(self, request, form_url="", extra_context=None):
        # Recorded through election_record (candidates as a formset), not a ModelForm.
        if not self.has_add_permission(request):
            raise PermissionDenied
        return election_add_view(self, request)

    @admin.action(description=_("Export to Excel"))
    def export_xlsx(self, request, queryset):
        headers = [str(Election._meta.get_field(f).verbose_name) for f in self.list_display]
        rows = [
            (
                e.organization.name,
                e.term_number,
                e.held_on,
                e.get_method_display(),
                e.seats,
                e.approved_on,
                e.term_ends_on,
            )
            for e in queryset.select_related("organization")
        ]
        return xlsx_response("elections.xlsx", gettext("Elections"), headers, rows)


class ResultInline(ReadOnlyAdminMixin, LabelledInlineMixin, admin.TabularInline):
    model = AppraisalResult
    fields = ("member", "grade", "follow_up", "follow_up_on", "follow_up_due")
    readonly_fields = fields
    extra = 0


@admin.register(AppraisalSession)
class AppraisalSessionAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "year", "held_on", "meeting")
    list_filter = ("year",)
    search_fields = ("organization__name",)
    list_select_related = ("organization", "meeting")
    inlines = (ResultInline,)
    actions = ("export_xlsx",)

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("members.add_appraisalsession")

    def _may_record_results(self, request) -> bool:
        return request.user.has_perm("members.add_appraisalresult") and request.user.has_perm(
            "members.change_appraisalresult"
        )

    def add_view(self, request, form_url="", extra_context=None):
        # The session and its results through the services (results as a formset).
        if not self.has_add_permission(request) or not self._may_record_results(request):
            raise PermissionDenied
        return appraisal_record_view(self, request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self._may_record_results(request):
            return super().change_view(request, object_id, form_url, extra_context)  # read-only
        session = self.get_object(request, object_id)
        if session is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return appraisal_record_view(self, request, session=session)

    @admin.action(description=_("Export to Excel"))
    def export_xlsx(self, request, queryset):
        headers = [
            str(AppraisalSession._meta.get_field("organization").verbose_name),
            str(AppraisalSession._meta.get_field("year").verbose_name),
            str(AppraisalResult._meta.get_field("member").verbose_name),
            str(AppraisalResult._meta.get_field("grade").verbose_name),
            str(AppraisalResult._meta.get_field("follow_up").verbose_name),
        ]
        results = AppraisalResult.objects.filter(session__in=queryset).select_related("session__organization", "member")
        rows = [
            (
                r.session.organization.name,
                r.session.year,
                r.member.name,
                r.get_grade_display(),
                r.get_follow_up_display(),
            )
            for r in results
        ]
        return xlsx_response("appraisals.xlsx", gettext("Appraisals"), headers, rows)
