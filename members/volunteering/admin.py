"""Admin of 设岗定责 / 时间银行: posts with their holders, resident volunteers (phone masked),
service records (confirm and withdraw as list actions), paired households and building / unit
heads; every list filters and exports to Excel (``core.xlsx``). Writes call the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ScopedAdminMixin, ScopedInlineMixin, add_form_errors
from core.xlsx import xlsx_response
from members.member_rules import set_member_pii
from members.volunteering import services
from members.volunteering.models import (
    BuildingHead,
    PairedHousehold,
    PostHolder,
    ServiceRecord,
    ServiceStatus,
    Volunteer,
    VolunteerPost,
)


def _checked(form, check):
    """Run a service's check on the form's unsaved instance; its errors land on the fields."""
    if form.errors:
        return
    try:
        check(form.instance)
    except ValidationError as exc:
        add_form_errors(form, exc)


class ExportMixin:
    export_headers: tuple = ()

    def export_row(self, obj) -> list:
        raise NotImplementedError

    @admin.action(description=gettext_lazy("Export the selected rows to Excel"))
    def export_xlsx(self, request, queryset):
        rows = (self.export_row(obj) for obj in queryset)
        title = str(self.model._meta.verbose_name_plural)
        return xlsx_response(f"{title}.xlsx", title, [str(h) for h in self.export_headers], rows)


class HolderForm(forms.ModelForm):
    class Meta:
        model = PostHolder
        fields = ("member", "volunteer", "started_on", "ended_on")

    def clean(self):
        data = super().clean()
        if getattr(self.instance, "post_id", None):
            _checked(self, services.holder_check)
        return data


class HolderInline(ScopedInlineMixin, admin.TabularInline):
    model = PostHolder
    form = HolderForm
    extra = 0
    autocomplete_fields = ("member",)


class PostForm(forms.ModelForm):
    class Meta:
        model = VolunteerPost
        fields = ("organization", "compound", "kind", "name", "duties", "active")

    def clean(self):
        data = super().clean()
        _checked(self, services.post_check)
        return data


@admin.register(VolunteerPost)
class VolunteerPostAdmin(ExportMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = PostForm
    inlines = (HolderInline,)
    list_display = ("name", "kind", "organization", "compound", "active")
    list_filter = ("kind", "active", "organization")
    search_fields = ("name",)
    actions = ("export_xlsx",)
    export_headers = (
        gettext_lazy("post name"),
        gettext_lazy("post kind"),
        gettext_lazy("branch"),
        gettext_lazy("compound"),
        gettext_lazy("holders"),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organization", "compound")
            .prefetch_related("holders__member", "holders__volunteer")
        )

    def export_row(self, obj):
        holders = "、".join(h.person_name for h in obj.holders.all() if h.ended_on is None)
        return [
            obj.name,
            obj.get_kind_display(),
            obj.organization.name,
            obj.compound.name if obj.compound else "",
            holders,
        ]


class VolunteerForm(forms.ModelForm):
    phone = forms.CharField(label=gettext_lazy("phone"), max_length=30, required=False)

    class Meta:
        model = Volunteer
        fields = ("branch", "name")

    def clean(self):
        data = super().clean()
        phone = data.get("phone") or ""
        if not phone and not self.instance.phone_hash:
            self.add_error("phone", _("This field is required."))
        elif phone:
            try:  # the service's own check, on a scratch copy (nothing is saved here)
                set_member_pii(Volunteer(), phone=phone)
            except ValidationError as exc:
                add_form_errors(self, exc)
        return data


@admin.register(Volunteer)
class VolunteerAdmin(ExportMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = VolunteerForm
    list_display = ("name", "phone_masked", "branch")
    list_filter = ("branch",)
    search_fields = ("name",)
    actions = ("export_xlsx",)
    export_headers = (gettext_lazy("full name"), gettext_lazy("phone"), gettext_lazy("branch"))

    def export_row(self, obj):
        return [obj.name, obj.phone_masked, obj.branch.name]

    def save_model(self, request, obj, form, change):
        services.volunteer_save(volunteer=obj, phone=form.cleaned_data.get("phone") or None)


class ServiceRecordForm(forms.ModelForm):
    class Meta:
        model = ServiceRecord
        fields = ("holder", "served_on", "hours", "description")

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.status != ServiceStatus.PENDING:
            raise ValidationError(_("A confirmed or withdrawn record is not edited; withdraw it and record it again."))
        if self.instance.holder_id:
            self.instance.post_id = self.instance.holder.post_id
            _checked(self, services.record_check)
        return data


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ExportMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = ServiceRecordForm
    list_display = ("served_on", "holder", "post", "hours", "status", "description")
    list_filter = ("status", "served_on", "post__kind", "post__organization")
    date_hierarchy = "served_on"
    actions = ("confirm", "export_xlsx")
    readonly_fields = ("status", "confirmed_by", "confirmed_at", "revoked_reason", "replaces")
    export_headers = (
        gettext_lazy("service date"),
        gettext_lazy("full name"),
        gettext_lazy("volunteer post"),
        gettext_lazy("branch"),
        gettext_lazy("hours"),
        gettext_lazy("what was done"),
        gettext_lazy("status"),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("post__organization", "holder__member", "holder__volunteer", "holder__post")
        )

    def export_row(self, obj):
        return [
            obj.served_on,
            obj.holder.person_name,
            obj.post.name,
            obj.post.organization.name,
            obj.hours,
            obj.description,
            obj.get_status_display(),
        ]

    def save_model(self, request, obj, form, change):
        if change:
            services.service_correct(
                record=obj,
                actor=request.user,
                **{k: form.cleaned_data[k] for k in ("served_on", "hours", "description")},
            )
        else:
            form.instance = services.service_record(
                holder=obj.holder,
                served_on=obj.served_on,
                hours=obj.hours,
                description=obj.description,
                actor=request.user,
            )

    @admin.action(description=gettext_lazy("Confirm the selected service records"), permissions=["change"])
    def confirm(self, request, queryset):
        done = 0
        for record in queryset.filter(status=ServiceStatus.PENDING):
            services.service_confirm(record=record, actor=request.user)
            done += 1
        self.message_user(request, _("%(n)d service records confirmed.") % {"n": done}, messages.SUCCESS)


class PairedHouseholdForm(forms.ModelForm):
    class Meta:
        model = PairedHousehold
        fields = ("member", "compound", "building", "unit", "room", "household", "started_on", "ended_on")


@admin.register(PairedHousehold)
class PairedHouseholdAdmin(ExportMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = PairedHouseholdForm
    list_display = ("member", "compound", "building", "unit", "room", "household")
    list_filter = ("compound", "member__branch")
    autocomplete_fields = ("member",)
    actions = ("export_xlsx",)
    export_headers = (
        gettext_lazy("central household member"),
        gettext_lazy("compound"),
        gettext_lazy("building"),
        gettext_lazy("unit"),
        gettext_lazy("room"),
        gettext_lazy("head of household"),
    )

    def export_row(self, obj):
        return [
            obj.member.name,
            obj.compound.name,
            obj.building.name if obj.building else "",
            obj.unit,
            obj.room,
            obj.household,
        ]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        data = form.cleaned_data
        form.instance = services.paired_household_add(
            member=data["member"],
            compound=data["compound"],
            building=data.get("building"),
            unit=data.get("unit", ""),
            room=data.get("room", ""),
            household=data.get("household", ""),
            started_on=data.get("started_on"),
        )


class BuildingHeadForm(forms.ModelForm):
    class Meta:
        model = BuildingHead
        fields = ("building", "kind", "unit", "member", "volunteer", "started_on", "ended_on")

    def clean(self):
        data = super().clean()
        if self.instance.building_id:
            _checked(self, services.head_check)
        return data


@admin.register(BuildingHead)
class BuildingHeadAdmin(ExportMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = BuildingHeadForm
    list_display = ("building", "kind", "unit", "member", "volunteer", "started_on", "ended_on")
    list_filter = ("kind", "building__compound")
    autocomplete_fields = ("member",)
    actions = ("export_xlsx",)
    export_headers = (
        gettext_lazy("compound"),
        gettext_lazy("building"),
        gettext_lazy("role"),
        gettext_lazy("unit"),
        gettext_lazy("full name"),
    )

    def export_row(self, obj):
        return [obj.building.compound.name, obj.building.name, obj.get_kind_display(), obj.unit, obj.person_name]
