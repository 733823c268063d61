"""Admin of the development pipeline: the pipeline list per branch (stage, next step, due date,
filters), the candidate page with its step log inline (read-only) and a page to record the
next step through ``members.development.services``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin, ScopedInlineMixin, admin_page
from members.development import services
from members.development.forms import CandidateForm, StepForm
from members.development.models import Candidate, CandidateStep
from members.development.steps import STEPS


class DueFilter(admin.SimpleListFilter):
    title = gettext_lazy("next step due")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return (("overdue", gettext_lazy("Overdue")), ("30", gettext_lazy("Due within 30 days")))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(next_due_on__lt=today)
        if self.value() == "30":
            return queryset.filter(next_due_on__gte=today, next_due_on__lte=today + timezone.timedelta(days=30))
        return queryset


class CandidateStepInline(ReadOnlyAdminMixin, ScopedInlineMixin, admin.TabularInline):
    model = CandidateStep
    extra = 0
    can_delete = False
    fields = ("step_name", "on", "people_names", "meeting", "publicity_from", "hours", "document", "notes")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting").prefetch_related("people")

    @admin.display(description=gettext_lazy("step"))
    def step_name(self, obj):
        step = STEPS.get(obj.code)
        return step.label if step else obj.code

    @admin.display(description=gettext_lazy("people"))
    def people_names(self, obj):
        return "、".join(p.name for p in obj.people.all())


@admin.register(Candidate)
class CandidateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = CandidateForm
    list_display = ("name", "branch", "applied_on", "stage", "next_step_name", "next_due_on", "member")
    list_filter = ("stage", DueFilter, "branch")
    list_select_related = ("branch", "member")
    search_fields = ("name",)
    inlines = (CandidateStepInline,)
    readonly_on_change = (
        "name",
        "gender",
        "birth_date",
        "id_number_masked",
        "phone_masked",
        "employer",
        "education",
        "branch",
        "applied_on",
        "stage",
        "next_step_name",
        "next_due_on",
        "member",
        "record_link",
    )

    def get_fields(self, request, obj=None):
        if obj is not None:
            return self.readonly_on_change
        return (*CandidateForm.Meta.fields[:3], "id_number", "phone", *CandidateForm.Meta.fields[3:])

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_on_change if obj is not None else ()

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    @admin.display(description=gettext_lazy("next step"), ordering="next_step")
    def next_step_name(self, obj):
        step = STEPS.get(obj.next_step)
        return step.label if step else "—"

    @admin.display(description=gettext_lazy("record a step"))
    def record_link(self, obj):
        if not obj.next_step:
            return "—"
        url = reverse("admin:members_candidate_step", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Record the next step"))

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = {k: form.cleaned_data.get(k) for k in (*CandidateForm.Meta.fields, "id_number", "phone")}
        obj.pk = services.candidate_create(actor=request.user, **data).pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """Nothing to save beside the candidate: the step log is written by the services only."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [path("<int:pk>/step/", wrap(self.step_view), name="members_candidate_step"), *super().get_urls()]

    def step_view(self, request, pk):
        candidate = self.get_queryset(request).filter(pk=pk).select_related("branch").first()
        if candidate is None:
            raise Http404
        if not request.user.has_perm("members.add_candidatestep"):
            raise PermissionDenied
        form = StepForm(request.POST or None, candidate=candidate, user=request.user)
        if request.method == "POST" and form.is_valid() and form.save() is not None:
            messages.success(request, _("The step was recorded."))
            return HttpResponseRedirect(reverse("admin:members_candidate_change", args=[candidate.pk]))
        return admin_page(
            self,
            request,
            "admin/members/candidate/step.html",
            title=_("Record a development step: %(name)s") % {"name": candidate.name},
            candidate=candidate,
            form=form,
        )
