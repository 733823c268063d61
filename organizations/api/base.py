"""Building blocks every app's API uses: strict serializers, brief nested forms, scoped
viewsets and the ``org`` subtree filter."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from core.api.etags import ConditionalGetMixin
from core.api.exceptions import django_validation_error_detail
from core.api.renderers import XlsxExportMixin
from core.api.serializers import StrictSerializerMixin as UnscopedStrictSerializerMixin
from core.plausibility import harden_serializer_fields, plausible_offset
from organizations.api.visibility import ScopedListSerializer, hide_outside
from organizations.models import Organization
from organizations.scope import (
    ids_inside,
    shared_write_refusal,
    subtree_filter,
    subtree_q,
    user_sees_everything,
    write_paths,
)


def _request_user(context):
    request = context.get("request") if context else None
    return getattr(request, "user", None)


def scope_related_fields(fields, user) -> None:
    """Narrow every related field's choices to ``user``'s scope: a plain related field keeps its
    queryset on itself, a many-to-many one on ``child_relation`` (used on write and by the
    browsable API's forms alike). An id outside the scope then reads as "does not exist"."""
    if user is None:
        return
    for field in fields.values():
        target = getattr(field, "child_relation", field)
        qs = getattr(target, "queryset", None)
        if qs is not None and hasattr(qs, "for_user"):
            target.queryset = qs.for_user(user)


class StrictSerializerMixin(UnscopedStrictSerializerMixin):
    """Refuse unknown fields instead of silently ignoring them (a typo is a 400); related
    fields only accept ids inside the request user's scope; every writable field gets the
    plausibility rules (``core.plausibility``)."""

    def get_fields(self):
        fields = harden_serializer_fields(super().get_fields())
        scope_related_fields(fields, _request_user(self.context))
        return fields


def _resolve_link(model, path: str, values: dict, instance, writable: set[str]):
    """The organization ``path`` points to once ``values`` are applied to ``instance`` (or to a
    new row): ``(first field name, organization or None)``, or ``None`` when the path runs
    through a relation the payload cannot set (a reverse or many-to-many link, or a field the
    service fills in, e.g. who registered a partner)."""
    if path == "":
        # The organization itself: a new node lies where its parent is; a missing parent is a root.
        if instance is not None:
            return "parent", instance
        return "parent", values.get("parent")
    first, *rest = path.split("__")
    try:
        field = model._meta.get_field(first)
    except Exception:  # noqa: BLE001 - not a concrete field: nothing to check here
        return None
    if not isinstance(field, models.ForeignKey) or (instance is None and first not in writable):
        return None
    obj = values[first] if first in values else (getattr(instance, first) if instance is not None else None)
    for name in rest:
        if obj is None:
            break
        try:
            step = obj._meta.get_field(name)
        except Exception:  # noqa: BLE001
            return None
        if not isinstance(step, models.ForeignKey):
            return None
        obj = getattr(obj, name)
    return first, obj


def check_write_targets(model, values: dict, instance, user, writable: set[str]) -> None:
    """Every create and update lands inside the user's subtree: the organizations the row will
    point to (along its write paths, after the change) must lie in it, and a row pointing
    nowhere (an organization without parent: a new tree root) is for a superuser only. Related
    ids in the payload are checked by their scoped querysets before this runs."""
    if user is None or user_sees_everything(user) or not getattr(model, "SCOPE_PATHS", None):
        return
    links = (_resolve_link(model, path, values, instance, writable) for path in write_paths(model))
    resolved = [r for r in links if r is not None]
    if not resolved:
        return
    targets = {name: org for name, org in resolved if org is not None}
    if not targets:
        name = resolved[0][0]
        if model._meta.label == "organizations.Organization":
            message = _("Only a superuser can create a top-level organization; choose a parent inside your scope.")
        else:
            message = _("Choose an organization inside your scope.")
        raise serializers.ValidationError({name: [message]})
    inside = ids_inside(user, {org.pk for org in targets.values()})
    if instance is None and not inside:
        name = next(iter(targets))
        raise serializers.ValidationError({name: [_("Choose an organization inside your scope.")]})
    outside = sorted(name for name, org in targets.items() if org.pk not in inside and name in values)
    if outside:
        raise serializers.ValidationError({name: [_("Choose an organization inside your scope.")] for name in outside})


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """ModelSerializer with unknown-field refusal and scoped related-field choices: every
    related field's queryset is narrowed to the request user's scope."""

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        model = getattr(getattr(self, "Meta", None), "model", None)
        if model is not None:
            writable = {name for name, f in self.fields.items() if not f.read_only}
            check_write_targets(model, values, self.instance, _request_user(self.context), writable)
        return values

    @classmethod
    def many_init(cls, *args, **kwargs):
        # A page checks its related objects once (ScopedListSerializer adds no state of its own).
        serializer = super().many_init(*args, **kwargs)
        if type(serializer) is serializers.ListSerializer:
            serializer.__class__ = ScopedListSerializer
        return serializer

    def to_representation(self, instance):
        # Outside objects vanish from the output (organizations.api.visibility).
        return hide_outside(self, instance, super().to_representation(instance), _request_user(self.context))

    def get_fields(self):
        fields = super().get_fields()
        model = getattr(getattr(self, "Meta", None), "model", None)
        for name, field in fields.items():
            # DRF drops allow_blank from read-only choice fields, and the OpenAPI enum then
            # refuses the "" such a field really returns (e.g. a request not yet triaged).
            if field.read_only and model is not None and isinstance(field, serializers.ChoiceField):
                source = field.source or name  # fields are not bound yet: source may be unset
                try:
                    model_field = model._meta.get_field(source)
                except Exception:  # noqa: BLE001 - a computed source: nothing to copy
                    model_field = None
                if model_field is not None and getattr(model_field, "blank", False) and "" not in field.choices:
                    fields[name] = serializers.ChoiceField(
                        choices=[("", "")] + list(model_field.choices or ()),
                        read_only=True,
                        source=source if source != name else None,
                        label=field.label,
                        allow_null=getattr(model_field, "null", False),
                    )
        return fields


class BriefOrganizationSerializer(serializers.ModelSerializer):
    """The nested form: ``{id, name, kind}``."""

    class Meta:
        model = Organization
        fields = ("id", "name", "kind")


def scoped_organization_field(**kwargs) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), **kwargs)


class ScopedViewSetMixin(ConditionalGetMixin, XlsxExportMixin):
    """Querysets pass through ``for_user``; writes that raise Django ValidationError (from
    services) become 400s. Every viewset also gets ETags with conditional GET
    (``core.api.etags``) and ``?format=xlsx`` exports (``core.api.renderers``)."""

    queryset = None
    # Ids beyond bigint never reach the database (a 404, not an overflow error).
    lookup_value_regex = r"[0-9]{1,18}"
    # Where the writes take another serializer than list and detail show: list and detail use
    # this one, the writes and actions ``serializer_class``; ``respond`` answers with it.
    read_serializer_class = None

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)

    def get_serializer_class(self):
        if self.read_serializer_class is not None and self.action in ("list", "retrieve"):
            return self.read_serializer_class
        return super().get_serializer_class()

    def validated_payload(self, serializer_class) -> dict:
        """An action's request body checked by ``serializer_class`` (a 400 naming the field)."""
        payload = serializer_class(data=self.request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    def respond(self, obj, code=status.HTTP_200_OK) -> Response:
        """The record after a write, as list and detail show it."""
        return Response(self.read_serializer_class(obj, context=self.get_serializer_context()).data, status=code)

    def get_object(self):
        obj = super().get_object()
        if self.request.method not in SAFE_METHODS:
            self.check_shared_write(obj)
        return obj

    def check_shared_write(self, obj) -> None:
        """A record shared with organizations outside the user's subtree (a firm serving several
        communities, a partner registered by the street, a member whose home organization is
        elsewhere) is changed only by a user covering all its links, or only in the fields of
        the side the user covers (``SCOPE_SIDE_FIELDS``). The record is visible, so this is a
        403 naming the fields, not a 404."""
        if not getattr(type(obj), "SCOPE_PATHS", None):
            return
        if self.action in ("update", "partial_update", "destroy"):
            data = self.request.data
            changing = set(data.keys()) if hasattr(data, "keys") else set()
        else:
            changing = {self.action}
        refused = shared_write_refusal(self.request.user, obj, changing=changing)
        if refused:
            raise exceptions.PermissionDenied(
                _(
                    "This record is shared with organizations outside your scope; only staff whose "
                    "scope covers all of them can change: %(fields)s."
                )
                % {"fields": ", ".join(refused)}
            )

    def perform_service(self, func, **kwargs):
        try:
            return func(**kwargs)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_validation_error_detail(exc)) from exc


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """List/detail/create/update; no DELETE (records are archived, not deleted)."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class OrgSubtreeFilter(filters.NumberFilter):
    """``?org=<id>``: rows anywhere under organization ``id`` (whole subtree), along the
    model's scope paths or an explicit ``path``. An id outside the user's scope matches nothing."""

    def __init__(self, *args, path: str | None = None, **kwargs):
        kwargs.setdefault("label", _("Organization subtree (id)"))
        kwargs.setdefault("method", self.filter_subtree)
        super().__init__(*args, **kwargs)
        self.path = path

    def filter_subtree(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        request = getattr(self.parent, "request", None)
        orgs = Organization.objects.all()
        if request is not None:
            orgs = orgs.for_user(request.user)
        node = orgs.filter(pk=value).first()
        return queryset.none() if node is None else self.in_subtree(queryset, node)

    def in_subtree(self, queryset, node):
        """The rows under ``node`` (a model with its own notion of "under" overrides this)."""
        if self.path is not None:
            return queryset.filter(subtree_q(self.path, node))
        return queryset.filter(subtree_filter(queryset.model, node))


class ScopedFilterSet(filters.FilterSet):
    """Base FilterSet: ``org`` subtree filter; model choice filters narrowed to the scope."""

    org = OrgSubtreeFilter()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        for f in self.filters.values():
            if isinstance(f, filters.NumberFilter):
                # Out-of-range numbers are a 400, never a database overflow (500).
                f.extra.setdefault("min_value", -(2**63))
                f.extra.setdefault("max_value", 2**63 - 1)
            if isinstance(f, filters.DateTimeFilter):
                f.extra["validators"] = [*f.extra.get("validators", ()), plausible_offset]
            qs = getattr(f, "queryset", None)
            if qs is not None and hasattr(qs, "for_user") and user is not None:
                f.queryset = qs.for_user(user)
