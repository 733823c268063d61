"""Admin pages of the notification routes, the webhooks and both kinds of delivery record
(read-only: the worker writes them)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from core.notify.models import Delivery
from core.registry import EVENT_TYPES
from organizations.models import NotificationRoute, Organization, Webhook, WebhookDelivery
from organizations.notify_routes import route_save, validate_route
from organizations.webhooks import DELIVERY_FIELDS, WEBHOOK_FIELDS, validate_webhook, webhook_create, webhook_update


class NotificationRouteForm(forms.ModelForm):
    class Meta:
        model = NotificationRoute
        fields = ("organization", "channel", "role", "target", "is_active")

    def clean(self):
        data = super().clean()
        if not self.errors:
            probe = NotificationRoute(**{k: data.get(k) for k in ("channel", "role") if k in data})
            probe.target = (data.get("target") or "").strip()
            try:
                validate_route(probe)
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


@admin.register(NotificationRoute)
class NotificationRouteAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = NotificationRouteForm
    list_display = ("organization", "channel", "role", "masked_target", "is_active")
    list_filter = ("channel", "is_active")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)

    @admin.display(description=gettext_lazy("target"))
    def masked_target(self, obj):
        from core.notify.masking import mask_address

        return mask_address(obj.target) if obj.target else "—"

    def save_model(self, request, obj, form, change):
        route_save(route=obj)


def _event_choices():
    return [(name, event.label or name) for name, event in sorted(EVENT_TYPES.items())]


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("push URL"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("event types"), choices=_event_choices, widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        label=gettext_lazy("secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("At least 16 characters; leave empty to keep the current one."),
    )

    class Meta:
        model = Webhook
        fields = ("name", "url", "secret", "event_types", "organization", "is_active")

    def clean_secret(self):
        secret = self.cleaned_data.get("secret") or ""
        if not secret and self.instance.pk:
            return self.instance.secret
        if len(secret) < 16:
            raise ValidationError(gettext_lazy("The secret must be at least 16 characters long."))
        return secret

    def clean(self):
        data = super().clean()
        if not self.errors:
            probe = Webhook(
                url=data.get("url"), secret=data.get("secret"), event_types=list(data.get("event_types") or [])
            )
            try:
                validate_webhook(probe)
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


@admin.register(Webhook)
class WebhookAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = WebhookForm
    list_display = ("name", "url", "organization", "user", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    list_select_related = ("organization", "user")
    autocomplete_fields = ("organization",)

    def get_readonly_fields(self, request, obj=None):
        return ("organization", "user", "created_at") if obj else ("created_at",)

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in WEBHOOK_FIELDS if k in form.cleaned_data}
        data["event_types"] = list(data.get("event_types") or [])
        try:
            if change:
                webhook_update(webhook=Webhook.objects.get(pk=obj.pk), **data)
            else:
                org = form.cleaned_data.get("organization")
                org = Organization.objects.for_user(request.user).filter(pk=getattr(org, "pk", None)).first()
                saved = webhook_create(user=request.user, organization=org, **data)
                obj.pk = saved.pk
        except ValidationError:  # pragma: no cover - the form checked the same rules
            raise


class ReadOnlyAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """A delivery record: the worker writes it."""


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("event_type", "webhook", "status", "attempts", "response_status", "created_at", "delivered_at")
    list_filter = ("status", "event_type")
    search_fields = ("event_id",)
    list_select_related = ("webhook",)
    readonly_fields = DELIVERY_FIELDS


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Notification deliveries of the organizations in the user's subtree (the address masked)."""

    list_display = ("channel", "recipient", "subject", "status", "attempts", "last_error", "created_at", "sent_at")
    list_filter = ("status", "channel")
    fields = (
        "channel",
        "recipient",
        "source",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser and request.user.is_active:
            return qs
        return qs.filter(organization_id__in=Organization.objects.for_user(request.user).values("pk"))
