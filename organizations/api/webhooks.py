"""``/api/v1/webhooks/`` (a REST client registers and changes its webhooks) and
``/api/v1/webhook-deliveries/`` (read-only: what was sent and what became of it). Both are
scoped to the user's subtree; the secret is write-only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _lazy
from rest_framework import serializers

from organizations.api.base import ScopedFilterSet, ScopedModelViewSet, ScopedReadOnlyViewSet, StrictModelSerializer
from organizations.models import Organization, Webhook, WebhookDelivery
from organizations.scope import scope_node_for
from organizations.webhooks import DELIVERY_FIELDS, webhook_create, webhook_update


class WebhookSerializer(StrictModelSerializer):
    secret = serializers.CharField(write_only=True, label=_lazy("secret"), max_length=200)
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=60), label=_lazy("event types"), allow_empty=False
    )
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, label=_lazy("scope")
    )

    class Meta:
        model = Webhook
        fields = ("id", "name", "url", "secret", "event_types", "organization", "is_active", "created_at")
        read_only_fields = ("created_at",)

    def to_internal_value(self, data):
        request = self.context.get("request")
        if self.instance is None and hasattr(data, "keys") and "organization" not in data and request is not None:
            # Registered for the client's own scope unless it names a node inside it.
            node = scope_node_for(request.user)
            if node is not None:
                data = {**data, "organization": node.pk}
        return super().to_internal_value(data)

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # The scope is chosen once, when the webhook is registered.
            fields["organization"].read_only = True
            fields["secret"].required = False
        return fields


class WebhookViewSet(ScopedModelViewSet):
    queryset = Webhook.objects.select_related("organization")
    serializer_class = WebhookSerializer
    ordering = ("id",)

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(webhook_create, user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            webhook_update, webhook=serializer.instance, **serializer.validated_data
        )


class WebhookDeliverySerializer(StrictModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ("id", *DELIVERY_FIELDS)
        read_only_fields = fields


class WebhookDeliveryFilterSet(ScopedFilterSet):
    class Meta:
        model = WebhookDelivery
        fields = ("webhook", "status", "event_type")


class WebhookDeliveryViewSet(ScopedReadOnlyViewSet):
    queryset = WebhookDelivery.objects.select_related("webhook")
    serializer_class = WebhookDeliverySerializer
    filterset_class = WebhookDeliveryFilterSet
    ordering = ("-id",)
