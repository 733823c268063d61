"""Admin of dues and branch funds (Chinese through the catalogue). The ledger and the funds are
append-only: existing rows are read-only, "add" calls the service, nothing is deleted; the
standards' brackets cannot be deleted either (a new version of the standard replaces them)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import LabelledInlineMixin, ReadOnlyAdminMixin, ScopedAdminMixin, add_form_errors
from core.xlsx import attachment, xlsx_response
from members.dues import funds, ledger, standards
from members.dues.export import ledger_xlsx
from members.models import (
    BranchFund,
    DuesArrearsReason,
    DuesBase,
    DuesBracket,
    DuesPayment,
    DuesStandard,
    FundAllocation,
    FundSpending,
)
from organizations.models import Organization, OrganizationKind


class ReadOnlyAfterAdd:
    """Existing rows are read-only and never deleted; "add" runs ``run_service`` while the form
    is cleaned (in a savepoint), so a refusal is a form error naming the field and nothing is
    saved."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, request, data: dict):
        raise NotImplementedError

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        model_admin = self

        class ServiceForm(base):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                model_admin.adjust_form(self, request)

            def clean(self):
                data = super().clean()
                if obj is None and not self.errors:
                    try:
                        with transaction.atomic():
                            self.service_result = model_admin.run_service(request, dict(data))
                    except ValidationError as exc:
                        add_form_errors(self, exc)
                return data

        return ServiceForm

    def adjust_form(self, form, request) -> None:
        """Hook: narrow or relax the add form's fields."""

    def save_model(self, request, obj, form, change):
        result = form.service_result
        obj.pk = result.pk
        obj.__dict__.update({k: v for k, v in result.__dict__.items() if not k.startswith("_")})


class DuesBracketInline(LabelledInlineMixin, admin.TabularInline):
    model = DuesBracket
    extra = 0
    can_delete = False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DuesStandard)
class DuesStandardAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "effective_from", "citation")
    inlines = (DuesBracketInline,)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DuesBase)
class DuesBaseAdmin(ReadOnlyAfterAdd, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("member", "valid_from", "category", "income_base", "computed_amount", "monthly_amount", "exempt")
    list_filter = ("category", "exempt", "valid_from")
    search_fields = ("member__name",)
    list_select_related = ("member",)
    raw_id_fields = ("member",)
    fields = ("member", "valid_from", "category", "income_base", "monthly_amount", "exempt")
    actions = ("export_xlsx",)

    def adjust_form(self, form, request):
        for name in ("monthly_amount", "income_base"):
            if name in form.fields:
                form.fields[name].required = False

    def run_service(self, request, data):
        return standards.dues_base_set(actor=request.user, **data)

    @admin.action(description=gettext_lazy("Export to Excel"))
    def export_xlsx(self, request, queryset):
        headers = [_("member"), _("valid from"), _("category"), _("monthly income base"), _("monthly amount")]
        rows = (
            (b.member.name, b.valid_from, b.get_category_display(), b.income_base, b.monthly_amount)
            for b in queryset.select_related("member")
        )
        return xlsx_response("dues_bases.xlsx", _("dues bases"), headers, rows)


@admin.register(DuesPayment)
class DuesPaymentAdmin(ReadOnlyAfterAdd, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("member", "branch", "month", "amount", "paid_on", "method", "reference", "reverses", "recorded_by")
    list_filter = ("method", "month", "branch")
    search_fields = ("member__name", "reference")
    list_select_related = ("member", "branch", "recorded_by", "reverses")
    raw_id_fields = ("member",)
    date_hierarchy = "month"
    actions = ("export_year", "export_month", "reverse_selected")
    fields = ("member", "month", "amount", "paid_on", "method", "reference", "note")

    def adjust_form(self, form, request):
        if "amount" in form.fields:
            form.fields["amount"].required = False
            form.fields["paid_on"].initial = timezone.localdate

    def run_service(self, request, data):
        data["months"] = [data.pop("month")]
        return ledger.payment_record(actor=request.user, **data)[0]

    def get_changeform_initial_data(self, request):
        return {"month": timezone.localdate().replace(day=1), "method": "cash"}

    def _export(self, queryset, month: bool):
        last = queryset.order_by("-month").values_list("month", flat=True).first() or timezone.localdate()
        branches = sorted(set(queryset.values_list("branch_id", flat=True)))
        label = f"{last:%Y-%m}" if month else str(last.year)
        content = ledger_xlsx(branches, last.year, last.month if month else None)
        return attachment(content, f"党费收缴台账{label}.xlsx")

    @admin.action(description=gettext_lazy("Export the year's dues ledger to Excel"))
    def export_year(self, request, queryset):
        return self._export(queryset, month=False)

    @admin.action(description=gettext_lazy("Export the month's dues ledger to Excel"))
    def export_month(self, request, queryset):
        return self._export(queryset, month=True)

    @admin.action(description=gettext_lazy("Reverse the selected entries (correction)"))
    def reverse_selected(self, request, queryset):
        done = 0
        for payment in queryset:
            try:
                ledger.payment_reverse(payment=payment, reason=_("Correction in the admin"), actor=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{payment}: {' '.join(exc.messages)}", level="error")
        self.message_user(request, _("%(n)d entries reversed.") % {"n": done})


@admin.register(DuesArrearsReason)
class DuesArrearsReasonAdmin(ReadOnlyAfterAdd, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("member", "noted_on", "reason", "recorded_by")
    list_select_related = ("member", "recorded_by")
    raw_id_fields = ("member",)
    fields = ("member", "noted_on", "reason")

    def run_service(self, request, data):
        return ledger.reason_noted(data.pop("member"), actor=request.user, **data)


@admin.register(BranchFund)
class BranchFundAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("branch", "balance")
    list_select_related = ("branch",)
    search_fields = ("branch__name",)
    readonly_fields = ("branch", "balance")
    actions = ("export_xlsx",)

    @admin.action(description=gettext_lazy("Export to Excel"))
    def export_xlsx(self, request, queryset):
        rows = ((f.branch.name, f.balance) for f in queryset.select_related("branch"))
        return xlsx_response("funds.xlsx", _("branch funds"), [_("compound branch"), _("balance")], rows)


class FundRowAdmin(ReadOnlyAfterAdd, ScopedAdminMixin, admin.ModelAdmin):
    """Allocations and spending: the add form names the branch (scoped); the service finds its fund."""

    list_select_related = ("fund__branch",)
    row_fields: tuple = ()

    def get_fields(self, request, obj=None):
        return self.row_fields if obj is None else ("fund", *self.row_fields)

    def adjust_form(self, form, request):
        form.fields["branch"] = forms.ModelChoiceField(
            queryset=Organization.objects.filter(kind=OrganizationKind.BRANCH).for_user(request.user),
            label=gettext_lazy("compound branch"),
        )
        form.fields = {"branch": form.fields.pop("branch"), **form.fields}


@admin.register(FundAllocation)
class FundAllocationAdmin(FundRowAdmin):
    list_display = ("fund", "allocated_by_org", "kind", "amount", "allocated_on", "note")
    list_filter = ("kind", "allocated_on")
    row_fields = ("allocated_by_org", "kind", "amount", "allocated_on", "note")

    def run_service(self, request, data):
        return funds.allocation_create(actor=request.user, **data)


@admin.register(FundSpending)
class FundSpendingAdmin(FundRowAdmin):
    list_display = ("fund", "spent_on", "purpose", "amount", "receipt_name", "source_label")
    list_filter = ("spent_on",)
    search_fields = ("purpose",)
    row_fields = ("spent_on", "purpose", "amount", "receipt")

    def run_service(self, request, data):
        return funds.spending_create(actor=request.user, **data)
