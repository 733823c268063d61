"""Chinese admin of the committees app: scoped lists, seats inline, Excel export, and a firm
page with its compounds, average evaluation and trend. Every save goes through the services'
rules (form errors, never a 500)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committees import exports, selectors, services
from committees.admin_joint import JointMeetingForm
from committees.models import (
    CandidateCheck,
    Committee,
    Evaluation,
    FeeCollection,
    Matter,
    NegativeListItem,
    PropertyFirm,
    Seat,
    ServiceContract,
)
from committees.models.matters import PENDING_STATUSES
from core.admin import ScopedAdminMixin, ScopedInlineMixin, add_form_errors, admin_page
from members.admin.meeting_add import meeting_add_steps
from members.models import MeetingKind
from organizations.admin_district import DistrictDataAdminMixin
from organizations.models import Organization, OrganizationKind
from organizations.quality import QualityFilter
from organizations.scope import scope_node_for, user_sees_everything
from organizations.selectors import tree_order


class RuleCheckedForm(forms.ModelForm):
    """Runs the service's validator on the built instance so refusals show as form errors."""

    validator = None

    def _post_clean(self):
        super()._post_clean()
        validator = type(self).validator
        if validator is None or self.errors:
            return
        try:
            validator(self.instance)
        except ValidationError as exc:
            add_form_errors(self, exc)


def _form(model, validator):
    return type(
        f"{model.__name__}RuleForm",
        (RuleCheckedForm,),
        {"validator": staticmethod(validator), "Meta": type("Meta", (), {"model": model, "fields": "__all__"})},
    )


class SeatInlineForm(RuleCheckedForm):
    class Meta:
        model = Seat
        fields = ("committee", "role", "holder_name", "member", "is_party_member", "started_on", "ended_on")

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        seat = self.instance
        if seat.member_id:
            seat.is_party_member = True
            if not seat.holder_name:
                seat.holder_name = seat.member.name
        try:
            services.validate_seat(seat)
        except ValidationError as exc:
            add_form_errors(self, exc)


class SeatInline(ScopedInlineMixin, admin.TabularInline):
    model = Seat
    form = SeatInlineForm
    extra = 1
    fields = ("role", "holder_name", "member", "is_party_member", "started_on", "ended_on")
    raw_id_fields = ("member",)  # the member admin may not offer autocomplete


@admin.action(description=_("Export to Excel"))
def export_committees(modeladmin, request, queryset):
    return exports.committees_xlsx(queryset)


@admin.action(description=_("Export to Excel"))
def export_seats(modeladmin, request, queryset):
    return exports.seats_xlsx(queryset)


@admin.action(description=_("Export to Excel"))
def export_firms(modeladmin, request, queryset):
    node = None if user_sees_everything(request.user) else scope_node_for(request.user)
    return exports.firms_xlsx(selectors.firms_with_figures(queryset, node))


@admin.register(Committee)
class CommitteeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = _form(Committee, services.validate_committee)
    list_display = ("compound", "kind", "term_number", "elected_on", "term_ends_on", "status")
    list_filter = ("kind", "status", "compound__community")
    search_fields = ("compound__name",)
    list_select_related = ("compound",)
    autocomplete_fields = ("compound",)
    date_hierarchy = "term_ends_on"
    inlines = (SeatInline,)
    actions = (export_committees,)

    def save_model(self, request, obj, form, change):
        services.committee_save(committee=obj)

    def get_urls(self):
        view = self.admin_site.admin_view(self.governance_view)
        return [path("governance/", view, name="committees_committee_governance"), *super().get_urls()]

    def governance_view(self, request):
        """The subtree figures (formation rate, party share, 一肩挑, 交叉任职, compounds without an
        owners' committee, terms ending, overdue matters) for an organization in the scope."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        organizations = (
            Organization.objects.for_user(request.user)
            .exclude(kind__in=(OrganizationKind.BRANCH, OrganizationKind.GROUP))
            .order_by(*tree_order())
        )
        node = organizations.filter(pk=request.GET.get("org") or 0).first() if request.GET.get("org") else None
        if request.GET.get("org") and node is None:
            raise Http404
        node = node or scope_node_for(request.user) or organizations.first()
        stats = selectors.governance_stats(node=node, today=timezone.localdate()) if node else None

        def pct(value):
            return f"{value * 100:.1f}%" if value is not None else "—"

        return admin_page(
            self,
            request,
            "admin/committees/committee/governance.html",
            title=_("Governance figures"),
            organizations=organizations,
            node=node,
            stats=stats,
            formation_rate=pct(stats and stats["formation_rate"]),
            party_share=pct(stats and stats["party_member_share"]),
            oc_party_share=pct(stats and stats["owners_committee_party_member_share"]),
        )


@admin.register(Seat)
class SeatAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = _form(Seat, services.validate_seat)
    list_display = ("holder_name", "role", "committee", "is_party_member", "member", "started_on", "ended_on")
    list_filter = ("role", "is_party_member", "committee__kind")
    search_fields = ("holder_name", "committee__compound__name")
    list_select_related = ("committee__compound", "member")
    autocomplete_fields = ("committee",)
    raw_id_fields = ("member",)
    actions = (export_seats,)

    def save_model(self, request, obj, form, change):
        services.seat_save(seat=obj)


class ServedCompoundFilter(admin.SimpleListFilter):
    title = _("red property (has a party organization)")
    parameter_name = "red"

    def lookups(self, request, model_admin):
        return (("1", _("Yes")), ("0", _("No")))

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(has_party_organization=self.value() == "1")
        return queryset


@admin.register(PropertyFirm)
class PropertyFirmAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = _form(PropertyFirm, services.validate_property_firm)
    list_display = (
        "name",
        "credit_code",
        "has_party_organization",
        "contact_person",
        "compounds_column",
        "average_column",
    )
    list_filter = (ServedCompoundFilter,)
    search_fields = ("name", "credit_code")
    exclude = ("created_in",)
    actions = (export_firms,)

    def get_queryset(self, request):
        node = None if user_sees_everything(request.user) else scope_node_for(request.user)
        return selectors.firms_with_figures(super().get_queryset(request), node)

    @admin.display(description=_("compounds served"), ordering="compounds_served")
    def compounds_column(self, obj):
        return obj.compounds_served

    @admin.display(description=_("average evaluation"), ordering="average_total")
    def average_column(self, obj):
        return round(obj.average_total, 1) if obj.average_total is not None else "—"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        firm = self.get_object(request, object_id)
        if firm is not None:
            extra_context["firm_summary"] = selectors.firm_summary(firm=firm, user=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_in = scope_node_for(request.user)
        services.property_firm_save(firm=obj)


@admin.register(ServiceContract)
class ServiceContractAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = _form(ServiceContract, services.validate_service_contract)
    list_display = ("compound", "firm", "started_on", "ended_on", "fee_per_m2_month")
    list_filter = ("firm", QualityFilter)
    search_fields = ("compound__name", "firm__name")
    list_select_related = ("compound", "firm")
    autocomplete_fields = ("compound", "firm")

    def save_model(self, request, obj, form, change):
        services.service_contract_save(contract=obj)


@admin.register(FeeCollection)
class FeeCollectionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = _form(FeeCollection, services.validate_fee_collection)
    list_display = ("compound", "firm", "year", "month", "amount_due", "amount_collected", "rate_column")
    list_filter = ("year", "firm")
    search_fields = ("compound__name",)
    list_select_related = ("compound", "firm")
    autocomplete_fields = ("compound", "firm")

    @admin.display(description=_("collection rate"))
    def rate_column(self, obj):
        return f"{obj.rate * 100:.1f}%" if obj.rate is not None else "—"

    def save_model(self, request, obj, form, change):
        services.fee_collection_save(collection=obj)


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = _form(Evaluation, services.validate_evaluation)
    list_display = ("firm", "compound", "year", "quarter", "evaluator_kind", "total")
    list_filter = ("year", "quarter", "evaluator_kind", "firm")
    search_fields = ("firm__name", "compound__name")
    list_select_related = ("firm", "compound")
    autocomplete_fields = ("firm", "compound")
    readonly_fields = ("total",)

    def save_model(self, request, obj, form, change):
        services.evaluation_save(evaluation=obj)


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("1", _("Yes")), ("0", _("No")))

    def queryset(self, request, queryset):
        overdue = Q(status__in=PENDING_STATUSES, due_on__lt=timezone.localdate())
        if self.value() == "1":
            return queryset.filter(overdue)
        if self.value() == "0":
            return queryset.exclude(overdue)
        return queryset


@admin.register(Matter)
class MatterAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = _form(Matter, lambda m: services.validate_matter(m, timezone.localdate()))
    list_display = ("title", "compound", "handler", "raised_on", "due_on", "status")
    list_filter = (OverdueFilter, "status", "handler", "source")
    search_fields = ("title", "raised_by", "compound__name")
    list_select_related = ("compound",)
    autocomplete_fields = ("compound", "firm")
    raw_id_fields = ("meeting",)
    readonly_fields = ("resolved_on",)
    change_list_template = "admin/committees/matter/change_list.html"

    def save_model(self, request, obj, form, change):
        services.matter_save(matter=obj, today=timezone.localdate())

    def get_urls(self):
        view = self.admin_site.admin_view(self.joint_meeting_view)
        return [path("joint-meeting/", view, name="committees_matter_joint_meeting"), *super().get_urls()]

    def joint_meeting_view(self, request):
        """Record a 三方联席会议 with its roll, the other two parties and its matters."""
        if not (request.user.has_perm("members.add_meeting") and self.has_add_permission(request)):
            raise PermissionDenied
        return meeting_add_steps(
            self,
            request,
            kinds=[MeetingKind.JOINT_MEETING],
            details_form=JointMeetingForm,
            service=services.joint_meeting_record,
        )


@admin.register(NegativeListItem)
class NegativeListItemAdmin(DistrictDataAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Every staff user reads the negative list; district-level staff edit the reasons."""

    list_display = ("code", "reason", "legal_basis", "active")
    list_filter = ("active",)
    search_fields = ("code", "reason")


@admin.register(CandidateCheck)
class CandidateCheckAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("candidate_name", "compound", "committee", "passed", "checked_on")
    list_filter = ("passed",)
    search_fields = ("candidate_name", "compound__name")
    list_select_related = ("compound", "committee")
    autocomplete_fields = ("compound", "committee")
    raw_id_fields = ("member",)
    filter_horizontal = ("matched_items",)
    readonly_fields = ("passed",)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        check = form.instance
        check.passed = not check.matched_items.filter(active=True).exists()
        check.save(update_fields=["passed"])


from committees import admin_elections  # noqa: E402, F401  (body elections: their own module)
