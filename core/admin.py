"""Admin building blocks: every admin class of every app is scoped through ``for_user``."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.template.response import TemplateResponse
from django.utils import translation

from core.api.pagination import EstimatedCountPaginator
from core.plausibility import harden_form_field


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """Sidebar filter whose choices are limited to the user's scope."""

    def field_choices(self, field, request, model_admin):
        qs = field.related_model._default_manager.all()
        if hasattr(qs, "for_user"):
            qs = qs.for_user(request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            qs = qs.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in qs]


def _final_field(model, path: str):
    """The field a ``list_filter`` lookup path ends on, or ``None`` when it is not a field path."""
    field = None
    for name in path.split("__"):
        if model is None:
            return None
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - not a field path: leave the item as it is
            return None
        model = field.related_model if field.is_relation else None
    return field


def searchable_relations(admin_obj, request) -> tuple[str, ...]:
    """The declared autocomplete fields plus every editable foreign key / many-to-many whose
    target has a searchable admin: a select box lists the whole scoped table (a member's add form
    rendered 3,842 ``<option>``s at a tenth of district scale), a search box lists what is typed.
    The form field's scoped queryset still validates the posted id."""
    names = list(admin_obj.autocomplete_fields)
    site = admin_obj.admin_site
    skip = set(admin_obj.raw_id_fields) | set(names) | set(getattr(admin_obj, "radio_fields", {}) or {})
    for field in admin_obj.model._meta.get_fields():
        if not (field.many_to_one or field.many_to_many) or not getattr(field, "editable", False):
            continue
        if field.name in skip or getattr(field, "remote_field", None) is None:
            continue
        target = site._registry.get(field.related_model)
        if target is not None and target.search_fields and isinstance(target, ScopedAdminMixin):
            names.append(field.name)
    return tuple(names)


def admin_page(model_admin, request, template: str, *, title, **context) -> TemplateResponse:
    """A page of our own inside the admin (an import, a report, a step form): the site's frame,
    the model's breadcrumbs and ``title``, with the page's ``context``."""
    frame = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "title": title}
    return TemplateResponse(request, template, {**frame, **context})


class ReadOnlyAdminMixin:
    """Records written only by the services or the worker (history, logs, computed figures):
    shown, never added, changed or deleted here. For model admins and inlines alike."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdminMixin:
    """Lists, detail pages, select boxes and sidebar filters only ever show the user's subtree.

    Outside the scope an object's change URL is a 404 (Django admin treats a missing row as
    "does not exist"). Deleting is off: domain records are archived, not deleted.
    """

    # Django counts the whole table a second time for "N results (M total)" on every filtered
    # page; the scoped count is the one that matters, so the unscoped total is never shown.
    show_full_result_count = False
    # Lists reach 100k rows (members, attendance, the points ledger): counted up to 10,000 and
    # estimated past that, each page's keys sorted before its rows are joined
    # (core.api.pagination.EstimatedCountPaginator).
    paginator = EstimatedCountPaginator

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_autocomplete_fields(self, request):
        return searchable_relations(self, request)

    def _scope_field(self, field, request):
        qs = getattr(field, "queryset", None)
        if qs is not None and hasattr(qs, "for_user"):
            field.queryset = qs.for_user(request.user)
        return field

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return harden_form_field(db_field.name, super().formfield_for_dbfield(db_field, request, **kwargs))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._scope_field(field, request) if field is not None else field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._scope_field(field, request) if field is not None else field

    def get_list_filter(self, request):
        scoped = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                # Direct and spanning relations alike (``compound__community``): every sidebar
                # choice is scoped, or other subtrees' names would show in it.
                field = _final_field(self.model, item)
                if field is not None and field.is_relation:
                    item = (item, ScopedRelatedFieldListFilter)
            scoped.append(item)
        return scoped

    def get_changelist_form(self, request, **kwargs):
        # ``list_editable`` boxes sit under a column header like an inline's: named the same way.
        return labelled_form(super().get_changelist_form(request, **kwargs))

    def construct_change_message(self, request, form, formsets, add=False):
        return chinese_change_message(form, formsets, add)

    def has_delete_permission(self, request, obj=None):
        return False


def labelled_form(form_class):
    """``form_class`` whose every visible widget carries its field's label as ``aria-label``.

    A tabular inline shows the label once, in the column header, so a screen reader reached the
    row's selects, dates and text boxes without a name; the header stays as it is."""
    if getattr(form_class, "_labelled", False):
        return form_class

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the related-links wrapper
            if not widget.is_hidden:
                widget.attrs.setdefault("aria-label", str(field.label or name))

    return type(form_class.__name__, (form_class,), {"__init__": __init__, "_labelled": True})


class LabelledInlineMixin:
    """Every inline's row widgets are named after their column (``labelled_form``)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = labelled_form(formset.form)
        return formset


class ScopedInlineMixin(LabelledInlineMixin):
    """Inline forms: related select boxes limited to the scope; plausible values; labelled widgets."""

    def get_autocomplete_fields(self, request):
        return searchable_relations(self, request)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return harden_form_field(db_field.name, super().formfield_for_dbfield(db_field, request, **kwargs))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        qs = getattr(field, "queryset", None)
        if qs is not None and hasattr(qs, "for_user"):
            field.queryset = qs.for_user(request.user)
        return field

    def has_delete_permission(self, request, obj=None):
        return False


def _field_labels(form, names) -> list[str]:
    return [str(form.fields[name].label or name) if name in form.fields else name for name in names]


def chinese_change_message(form, formsets, add: bool) -> list[dict]:
    """Django's change message for the history page, with field and model names in the site's
    language: Django stores them in English and looks the capitalized form label up again on
    display ("Employer"), which no catalogue holds, so the page read "已修改Employer。".
    Stored in the default language (the admin is Chinese); the history page shows them as stored."""
    message: list[dict] = []
    with translation.override(settings.LANGUAGE_CODE):
        if add:
            message.append({"added": {}})
        elif form.changed_data:
            message.append({"changed": {"fields": _field_labels(form, form.changed_data)}})
        for formset in formsets or []:
            for obj in formset.new_objects:
                message.append({"added": {"name": str(obj._meta.verbose_name), "object": str(obj)}})
            for obj, fields in formset.changed_objects:
                message.append(
                    {
                        "changed": {
                            "name": str(obj._meta.verbose_name),
                            "object": str(obj),
                            "fields": _field_labels(formset.forms[0], fields),
                        }
                    }
                )
            for obj in formset.deleted_objects:
                message.append({"deleted": {"name": str(obj._meta.verbose_name), "object": str(obj)}})
    return message


def add_form_errors(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to a form, field by field where possible."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class FilterSetListFilter(admin.SimpleListFilter):
    """A sidebar filter that applies one filter of a django-filter ``FilterSet``, so the admin
    list and the API filter with the same code (subclass with ``filterset_class`` and
    ``parameter_name`` = the FilterSet field; ``lookups`` gives the sidebar choices).

    A value the FilterSet rejects (an unknown choice, an id outside the scope) shows nothing
    rather than everything."""

    filterset_class = None

    def queryset(self, request, queryset):
        if self.value() in (None, ""):
            return queryset
        data = QueryDict(mutable=True)
        data[self.parameter_name] = self.value()
        filterset = self.filterset_class(data, queryset=queryset, request=request)
        if not filterset.is_valid():
            return queryset.none()
        return filterset.filter_queryset(queryset)
