"""Chinese names in the audit trail's admin for values stored as codes: the source of a change
(``web``, ``task:<name>``), the audited model (``members.member``), its fields and choice values.
The house rule: every value a user sees is Chinese. Self-contained (Django only, plus the marker
the audit trail writes), so it moves with the audit trail."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit.trail import CHANGED_MARKER

# ``core.audit`` writes "web" / "api" inside a request, "task:<name>" / "command:<name>"
# for Celery tasks and management commands, "system" for anything else.
AUDIT_SOURCES = {
    "web": _("web page"),
    "api": _("API"),
    "task": _("background task"),
    "command": _("management command"),
    "system": _("system"),
}


def audit_source_label(source: str) -> str:
    kind = (source or "system").split(":", 1)[0]
    return str(AUDIT_SOURCES.get(kind, source))


@admin.display(description=_("source"), ordering="source")
def audit_source(obj) -> str:
    return audit_source_label(obj.source)


class AuditSourceFilter(admin.SimpleListFilter):
    title = _("source")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return [(code, str(label)) for code, label in AUDIT_SOURCES.items()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.value() == "system":
            return queryset.filter(Q(source="system") | Q(source=""))
        return queryset.filter(Q(source=self.value()) | Q(source__startswith=f"{self.value()}:"))


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def model_label(label: str) -> str:
    model = _model(label)
    return str(model._meta.verbose_name) if model else label


def field_label(label: str, field_name: str) -> str:
    model = _model(label)
    try:
        return str(model._meta.get_field(field_name).verbose_name) if model else field_name
    except FieldDoesNotExist:
        return field_name


def field_value(label: str, field_name: str, value) -> str:
    """A recorded value as the admin shows it: a choice by its label, yes / no, blank for none."""
    if value is None or value == "":
        return "—"
    if value == CHANGED_MARKER:  # personal data: only the fact that it changed is recorded
        return str(_("(changed, not shown)"))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    model = _model(label)
    try:
        choices = dict(model._meta.get_field(field_name).flatchoices) if model else {}
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


@admin.display(description=_("model"), ordering="model")
def audit_model(obj) -> str:
    return model_label(obj.model)


class AuditModelFilter(admin.SimpleListFilter):
    title = _("model")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        audited = {  # the project's own models (the audit trail covers the domain apps)
            m._meta.label_lower: str(m._meta.verbose_name)
            for m in apps.get_models()
            if "site-packages" not in m._meta.app_config.path
        }
        return sorted(audited.items(), key=lambda x: x[1])

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset
