"""``?format=xlsx`` on every endpoint: the same data as the JSON, as an Excel sheet.

Headers are the serializer fields' labels (model verbose names, in Chinese under zh-hans); the
data is what the serializer outputs, so personal data is masked exactly as in the JSON. Lists are
exported whole (the filtered list, not one page) up to ``XLSX_EXPORT_MAX_ROWS``; past that the
file has a second sheet saying so and the response carries ``X-Export-Truncated``.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from core.xlsx import XLSX_MEDIA_TYPE, Sheet, workbook_bytes


def _cell(value):
    """Flatten a serialized value into something a cell holds; ``core.xlsx`` makes text cells
    formula-safe and drops the control characters a worksheet cannot hold."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        if "name" in value:
            return value["name"]
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "、".join(str(_cell(v)) for v in value)
    return str(value)


def _flatten(data, prefix=""):
    """Key/value rows of a nested payload (statistics and other non-list responses)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _flatten(value, f"{prefix}{key}.")
    elif isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        for i, value in enumerate(data):
            yield from _flatten(value, f"{prefix}{i}.")
    else:
        yield prefix.rstrip("."), _cell(data)


class XlsxRenderer(BaseRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        ctx = renderer_context or {}
        columns = ctx.get("xlsx_columns")
        title = str(ctx.get("xlsx_title") or _("Export"))
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            data = data["results"]
        if columns and isinstance(data, list | dict):
            rows = data if isinstance(data, list) else [data]
            headers = [label for _key, label in columns]
            body = ([_cell(row.get(key)) for key, _label in columns] for row in rows)
        else:
            headers = [_("Item"), _("Value")]
            body = ([_cell(key), _cell(value)] for key, value in _flatten(data))
        sheets = [Sheet(title=title, headers=headers, rows=body, widths=[16] * len(headers))]
        note = ctx.get("xlsx_note")
        if note:
            sheets.append(Sheet(title=_("Note"), headers=[note], freeze_header=False, widths=[16]))
        return workbook_bytes(sheets)


def column_label(model, name: str, field) -> str:
    """The Chinese header of a column: the field's label, else the verbose name of the model
    field it shows (``kind_display`` → kind, ``parent_brief`` → parent), else the name."""
    # DRF fills a missing label with the field name capitalized; that is no header for staff.
    if field.label and str(field.label) != name.replace("_", " ").capitalize():
        return str(field.label)
    if name in COLUMN_LABELS:
        return str(COLUMN_LABELS[name])
    if model is not None:
        source = getattr(field, "source", "") or ""
        if "." in source:
            dotted = _dotted_label(model, source.split("."))
            if dotted:
                return dotted
        candidates = [source.removeprefix("get_").removesuffix("_display"), name.removesuffix("_display")]
        candidates += [name.removesuffix("_brief"), name.removesuffix("_name"), name.removesuffix("_id")]
        for candidate in candidates:
            try:
                return _field_label(model._meta.get_field(candidate))
            except FieldDoesNotExist:
                continue
    return name


def _field_label(model_field) -> str:
    if hasattr(model_field, "verbose_name"):
        return str(model_field.verbose_name)
    # A reverse relation (e.g. a firm's contracts): the related model's plural name.
    return str(model_field.related_model._meta.verbose_name_plural)


def _dotted_label(model, parts: list[str]) -> str | None:
    """``member.name`` → 党员姓名: the relation's label followed by the final field's."""
    labels = []
    current = model
    for part in parts:
        try:
            model_field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        labels.append(_field_label(model_field))
        current = getattr(model_field, "related_model", None)
        if current is None:
            break
    if len(labels) >= 2 and labels[-1] in ("名称", "name"):
        labels[-1] = ""
    return "".join(labels) or None


COLUMN_LABELS = {"counts": _lazy("Cumulative counts"), "id": "ID"}


def is_xlsx(request) -> bool:
    renderer = getattr(request, "accepted_renderer", None)
    return getattr(renderer, "format", None) == "xlsx"


class XlsxExportMixin:
    """For viewsets: no pagination for xlsx (the whole filtered list, capped), headers from the
    serializer labels, a file name, and JSON (not a broken workbook) for errors."""

    def paginate_queryset(self, queryset):
        if not is_xlsx(self.request):
            return super().paginate_queryset(queryset)
        cap = settings.XLSX_EXPORT_MAX_ROWS
        rows = list(queryset[: cap + 1])
        if len(rows) > cap:
            self._xlsx_truncated = (cap, queryset.count())
            rows = rows[:cap]
        return rows

    def get_paginated_response(self, data):
        if is_xlsx(self.request):
            return Response(data)
        return super().get_paginated_response(data)

    def get_renderer_context(self):
        context = super().get_renderer_context()
        if is_xlsx(self.request) and hasattr(self, "get_serializer_class"):
            serializer = self.get_serializer()
            model = getattr(getattr(serializer, "Meta", None), "model", None)
            # Write-only inputs that the representation shows masked (ID number, phone) are
            # exported too, masked as in the JSON: the serializer lists them in Meta.xlsx_masked.
            masked = set(getattr(getattr(serializer, "Meta", None), "xlsx_masked", ()))
            context["xlsx_columns"] = [
                (name, column_label(model, name, field))
                for name, field in serializer.fields.items()
                if not field.write_only or name in masked
            ]
            if model is not None:
                context["xlsx_title"] = model._meta.verbose_name_plural
            truncated = getattr(self, "_xlsx_truncated", None)
            if truncated:
                context["xlsx_note"] = _(
                    "Only the first %(cap)s of %(total)s rows were exported; narrow the filters to export the rest."
                ) % {"cap": truncated[0], "total": truncated[1]}
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        if is_xlsx(request) and getattr(response, "status_code", 200) >= 400:
            from rest_framework.renderers import JSONRenderer

            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if is_xlsx(request) and response.status_code == 200:
            context = getattr(response, "renderer_context", None) or {}
            name = quote(str(context.get("xlsx_title") or "export"))
            response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{name}.xlsx"
            if getattr(self, "_xlsx_truncated", None):
                response["X-Export-Truncated"] = f"{self._xlsx_truncated[0]}/{self._xlsx_truncated[1]}"
        return response
