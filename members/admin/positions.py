"""Admin of positions (书记, 委员, 党小组长 ...); writes through ``members.services``."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ScopedAdminMixin
from members import services
from members.admin.forms import PositionForm
from members.models import Position


@admin.register(Position)
class PositionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = PositionForm
    list_display = ("member", "organization", "kind", "started_on", "ended_on")
    list_filter = ("kind", "organization")
    list_select_related = ("member", "organization")
    search_fields = ("member__name", "organization__name")
    autocomplete_fields = ()
    raw_id_fields = ("member",)

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data.get(k) for k in PositionForm.Meta.fields}
        if change:
            services.position_update(position=Position.objects.get(pk=obj.pk), **data)
        else:
            obj.pk = services.position_create(**data).pk
        obj.refresh_from_db()
