"""Forms of the member and position admin: the rules of ``members.services`` run in ``clean``
so that their errors show on the form, before anything is saved."""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import add_form_errors
from members import fields, services
from members.models import Member, Position

EDITABLE = list(fields.service_fields())


class MemberForm(forms.ModelForm):
    """The member form: ID number and phone are separate inputs (never a model field) that
    the services validate, encrypt and hash; the rules run before saving so errors show here."""

    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("18 characters. Leave empty to keep the stored one."),
    )
    phone = forms.CharField(
        label=gettext_lazy("phone"),
        required=False,
        max_length=30,
        help_text=gettext_lazy("Mobile number. Leave empty to keep the stored one."),
    )

    class Meta:
        model = Member
        fields = EDITABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].required = False
        if self.instance.pk:
            self.fields["id_number"].widget.attrs["placeholder"] = self.instance.id_number_masked
            self.fields["phone"].widget.attrs["placeholder"] = self.instance.phone_masked

    def pii(self) -> dict[str, str]:
        data = self.cleaned_data
        return {k: data[k] for k in fields.SENSITIVE_KEYS if data.get(k)}

    def clean(self):
        data = super().clean()
        candidate = copy.copy(self.instance)
        for name in EDITABLE:
            if name in data:
                value = data[name]
                setattr(candidate, name, "" if value is None and name == "home_organization_name" else value)
        if not data.get("id_number") and not self.instance.pk:
            self.add_error("id_number", _("This field is required."))
            return data
        try:
            services.validate_member(candidate, **self.pii())
        except ValidationError as exc:
            add_form_errors(self, exc)
        else:
            # Filled from the ID number when left empty.
            data["gender"], data["birth_date"] = candidate.gender, candidate.birth_date
        return data


class _PositionRulesMixin:
    """Runs ``validate_position`` on an unsaved copy once the required fields are there."""

    required_for_rules: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        if all(data.get(k) for k in self.required_for_rules) and self._has_member(data):
            candidate = copy.copy(self.instance)
            for name in self.Meta.fields:
                setattr(candidate, name, data.get(name))
            try:
                services.validate_position(candidate)
            except ValidationError as exc:
                add_form_errors(self, exc)
        return data

    def _has_member(self, data) -> bool:
        return True


class PositionInlineForm(_PositionRulesMixin, forms.ModelForm):
    required_for_rules = ("organization", "kind", "started_on")

    class Meta:
        model = Position
        fields = ("organization", "kind", "started_on", "ended_on")

    def _has_member(self, data) -> bool:
        return bool(self.instance.member_id)


class PositionForm(_PositionRulesMixin, forms.ModelForm):
    required_for_rules = ("member", "organization", "kind", "started_on")

    class Meta:
        model = Position
        fields = ("member", "organization", "kind", "started_on", "ended_on")
