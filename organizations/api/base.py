"""Building blocks every app's API uses: strict serializers, brief nested forms, scoped
viewsets and the ``org`` subtree filter."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from organizations.api.etags import ConditionalGetMixin
from organizations.api.exceptions import django_validation_error_detail
from organizations.api.renderers import XlsxExportMixin
from organizations.models import Organization
from organizations.plausibility import harden_serializer_fields, plausible_offset
from organizations.scope import subtree_filter, subtree_q


class StrictSerializerMixin:
    """Refuse unknown fields instead of silently ignoring them (a typo is a 400), and give
    every writable field the plausibility rules (``organizations.plausibility``)."""

    def get_fields(self):
        return harden_serializer_fields(super().get_fields())

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Expected a JSON object.")]})
        allowed = {name for name, f in self.fields.items() if not f.read_only}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    """ModelSerializer with unknown-field refusal and scoped related-field choices: every
    related field's queryset is narrowed to the request user's scope."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
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
        for field in fields.values():
            qs = getattr(field, "queryset", None)
            if qs is not None and hasattr(qs, "for_user") and user is not None:
                field.queryset = qs.for_user(user)
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
    (``organizations.api.etags``) and ``?format=xlsx`` exports (``organizations.api.renderers``)."""

    queryset = None
    # Ids beyond bigint never reach the database (a 404, not an overflow error).
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)

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
        if node is None:
            return queryset.none()
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
