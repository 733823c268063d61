"""Admin for the points ledger (read-only; manual adjustments through a form that calls the
service) and the points rules."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from core.admin import ScopedAdminMixin, add_form_errors
from members.models import Member, PointsEntry, PointsRule
from members.points import points_adjust


@admin.register(PointsRule)
class PointsRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "points", "active", "description")
    list_editable = ("points", "active")


class ManualAdjustmentForm(forms.ModelForm):
    """A manual adjustment: member, points, reason, date. The service checks and writes it."""

    class Meta:
        model = PointsEntry
        fields = ("member", "points", "reason", "occurred_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "reason" in self.fields:  # the add form; existing entries are read-only
            self.fields["reason"].required = True
            self.fields["occurred_on"].initial = timezone.localdate

    def clean_points(self):
        points = self.cleaned_data.get("points")
        if points == 0:
            raise ValidationError(gettext("Enter a non-zero number of points."))
        return points


@admin.register(PointsEntry)
class PointsEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The ledger is append-only: existing entries are read-only; "add" is a manual adjustment."""

    list_display = ("member", "kind", "points", "occurred_on", "reason", "created_by", "created_at")
    list_filter = ("kind", "occurred_on")
    search_fields = ("member__name", "reason")
    list_select_related = ("member", "created_by")
    form = ManualAdjustmentForm
    raw_id_fields = ("member",)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "member",
            "kind",
            "points",
            "source_type",
            "source_id",
            "occurred_on",
            "reason",
            "created_by",
            "created_at",
        )

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) or ("member", "points", "reason", "occurred_on")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "member":
            kwargs["queryset"] = Member.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        try:
            entry = points_adjust(
                member=obj.member,
                points=obj.points,
                reason=obj.reason,
                user=request.user,
                occurred_on=obj.occurred_on or timezone.localdate(),
            )
        except ValidationError as exc:  # already checked in the form; keep it visible if not
            add_form_errors(form, exc)
            raise
        obj.pk = entry.pk
