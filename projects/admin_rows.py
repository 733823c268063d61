"""The admin base for rows that name a resident (micro-wishes, requests): the name masked, the
masked rows exported to Excel."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from core.admin import ScopedAdminMixin
from core.xlsx import xlsx_response
from organizations.masks import mask_name


class ResidentRowsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Rows naming a resident: the name shown masked, and exported (masked) to Excel through
    ``export_rows`` under ``export_headers()``."""

    actions = ("export_xlsx",)
    export_file = ""
    export_title = ""
    export_rows = None

    def export_headers(self) -> list:
        raise NotImplementedError

    @admin.display(description=gettext_lazy("resident"))
    def resident_masked(self, obj):
        return mask_name(obj.resident_name)

    @admin.action(description=gettext_lazy("Export to Excel"))
    def export_xlsx(self, request, queryset):
        rows = self.export_rows(queryset)
        return xlsx_response(self.export_file, str(self.export_title), self.export_headers(), rows)
