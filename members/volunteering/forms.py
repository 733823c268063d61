"""Phone-page form of 时间银行: record a day's service on a post of the branch (and confirm it at
once). The service checks it, so a refused entry is a form error and nothing is saved."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import add_form_errors
from members.volunteering import services
from members.volunteering.models import PostHolder


class HolderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.person_name} · {obj.post.name}"


class ServiceRecordForm(forms.Form):
    holder = HolderChoiceField(label=_("post holder"), queryset=PostHolder.objects.none())
    served_on = forms.DateField(
        label=_("service date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    # Bounds are the service's (a Chinese message naming the field); the browser only gets the step.
    hours = forms.DecimalField(
        label=_("hours"),
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    description = forms.CharField(label=_("what was done"), max_length=200)
    confirm = forms.BooleanField(label=_("Confirm at once"), required=False, initial=True)

    def __init__(self, *args, branch, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["served_on"].initial = timezone.localdate()
        self.fields["holder"].queryset = (
            PostHolder.objects.for_user(user)
            .filter(post__organization=branch, post__active=True, ended_on__isnull=True)
            .select_related("post", "member", "volunteer")
            .order_by("post__name", "id")
        )

    def save(self):
        """Record through the service; ``None`` with the form errors set when refused."""
        data = self.cleaned_data
        try:
            return services.service_record(
                holder=data["holder"],
                served_on=data["served_on"],
                hours=data["hours"],
                description=data["description"],
                actor=self.user,
                confirm=bool(data.get("confirm")) and self.user.has_perm("members.change_servicerecord"),
            )
        except ValidationError as exc:
            add_form_errors(self, exc)
            return None
