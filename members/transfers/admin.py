"""Admin (Chinese) of transfers in flight and floating members, scoped to the user's subtree.
Adding a record and every action call the services; a refused rule is a form error or a message."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ScopedAdminMixin, add_form_errors
from members.models import FloatingRecord, Transfer, TransferState
from members.transfers import floating, services
from organizations.models import OrganizationKind


class TransferAddForm(forms.ModelForm):
    """Drafting a letter: the service checks the rules and saves; its errors land on the fields."""

    class Meta:
        model = Transfer
        fields = ("kind", "member", "to_organization", "to_name", "letter_number", "valid_until", "reason", "note")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        # Choices are the user's subtree (ScopedAdminMixin): a letter between two subtrees is
        # drafted by staff covering both; the receiving side accepts it.
        if "to_organization" in self.fields:
            self.fields["to_organization"].queryset = self.fields["to_organization"].queryset.filter(
                kind=OrganizationKind.BRANCH
            )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.instance = services.transfer_create(
                actor=self.request.user if self.request else None,
                **{k: data.get(k) or "" for k in ("to_name", "letter_number", "reason", "note")},
                kind=data["kind"],
                member=data["member"],
                to_organization=data.get("to_organization"),
                valid_until=data.get("valid_until"),
            )
        except ValidationError as exc:
            add_form_errors(self, exc)
        return data

    def _post_clean(self):
        pass  # the service validated and saved


class WorkflowAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A record the workflow's services own: the add form calls the service (``add_form``, given
    the request), the detail page is read-only, and each action runs a service per selected row
    (passed as ``subject``), reporting refusals row by row."""

    add_form: type[forms.ModelForm]
    subject: str

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
            form = super().get_form(request, obj, **kwargs)

            class WithRequest(form):
                def __init__(self, *args, **kw):
                    super().__init__(*args, request=request, **kw)

            return WithRequest
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else [f.name for f in self.model._meta.fields]

    def has_change_permission(self, request, obj=None):
        # Detail pages are read-only: changes are the workflow's actions.
        return super().has_change_permission(request, obj) if obj is None else False

    def save_model(self, request, obj, form, change):
        pass  # saved by the service in the form's clean()

    def _run(self, request, queryset, func, done: str, **kwargs):
        count = 0
        for row in queryset:
            try:
                func(**{self.subject: row}, actor=request.user, **kwargs)
                count += 1
            except ValidationError as exc:
                self.message_user(request, f"{row}: {'；'.join(exc.messages)}", messages.ERROR)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)


@admin.register(Transfer)
class TransferAdmin(WorkflowAdmin):
    add_form = TransferAddForm
    subject = "transfer"
    list_display = (
        "member_name",
        "kind",
        "state",
        "from_branch",
        "to_organization",
        "to_name",
        "letter_number",
        "issued_on",
        "valid_until",
    )
    list_filter = ("state", "kind", "from_branch", "to_organization")
    list_select_related = ("from_branch", "to_organization")
    search_fields = ("member_name", "letter_number")
    raw_id_fields = ("member",)
    actions = ("issue", "accept", "return_letter", "record_receipt")
    list_per_page = 50

    @admin.action(description=gettext_lazy("Issue the letter"), permissions=["change"])
    def issue(self, request, queryset):
        self._run(request, queryset, services.transfer_issue, _("%(count)d letters issued."))

    @admin.action(description=gettext_lazy("Accept (receiving side)"), permissions=["change"])
    def accept(self, request, queryset):
        self._run(request, queryset, services.transfer_accept, _("%(count)d transfers accepted."))

    @admin.action(description=gettext_lazy("Return the letter"), permissions=["change"])
    def return_letter(self, request, queryset):
        self._run(
            request, queryset, services.transfer_return, _("%(count)d letters returned."), reason=_("Returned by staff")
        )

    @admin.action(description=gettext_lazy("Record the receipt"), permissions=["change"])
    def record_receipt(self, request, queryset):
        self._run(request, queryset, services.transfer_record_receipt, _("%(count)d receipts recorded."))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member")


class InFlightFilter(admin.SimpleListFilter):
    title = gettext_lazy("In flight")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return (("1", _("Yes")), ("0", _("No")))

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(state__in=[TransferState.DRAFT, TransferState.ISSUED])
        if self.value() == "0":
            return queryset.exclude(state__in=[TransferState.DRAFT, TransferState.ISSUED])
        return queryset


TransferAdmin.list_filter = (InFlightFilter, *TransferAdmin.list_filter)


class FloatingAddForm(forms.ModelForm):
    class Meta:
        model = FloatingRecord
        fields = (
            "direction",
            "member",
            "branch",
            "place",
            "since",
            "contact",
            "certificate_number",
            "destination_organization",
            "destination_name",
            "note",
        )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["branch"].required = False

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.instance = floating.floating_start(
                actor=self.request.user if self.request else None,
                **{
                    k: (data.get(k) if data.get(k) is not None else "")
                    for k in self.Meta.fields
                    if k not in ("since", "branch", "destination_organization", "member")
                },
                member=data["member"],
                since=data.get("since"),
                branch=data.get("branch"),
                destination_organization=data.get("destination_organization"),
            )
        except ValidationError as exc:
            add_form_errors(self, exc)
        return data

    def _post_clean(self):
        pass


@admin.register(FloatingRecord)
class FloatingRecordAdmin(WorkflowAdmin):
    add_form = FloatingAddForm
    subject = "record"
    list_display = (
        "member",
        "direction",
        "branch",
        "place",
        "since",
        "certificate_number",
        "last_contacted_on",
        "returned_on",
    )
    list_filter = ("direction", "branch")
    list_select_related = ("member", "branch")
    search_fields = ("member__name", "place", "certificate_number")
    raw_id_fields = ("member",)
    actions = ("contacted_today", "returned_today")

    @admin.action(description=gettext_lazy("Contacted today"), permissions=["change"])
    def contacted_today(self, request, queryset):
        self._run(request, queryset, floating.floating_contacted, _("%(count)d records updated."))

    @admin.action(description=gettext_lazy("Returned today"), permissions=["change"])
    def returned_today(self, request, queryset):
        self._run(request, queryset, floating.floating_return, _("%(count)d records closed."))


__all__ = ["FloatingRecordAdmin", "TransferAdmin"]
