"""The resident's forms (Chinese labels; errors name the field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.services.residents import clean_phone


class PublicRequestForm(forms.Form):
    description = forms.CharField(label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 4}))
    building_unit = forms.CharField(label=_("Building / unit"), required=False, max_length=50)
    resident_name = forms.CharField(label=_("How should we address you (optional)"), required=False, max_length=50)
    phone = forms.CharField(label=_("Contact phone"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    photo = forms.FileField(
        label=_("Photo (optional, at most 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"), choices=[(i, str(i)) for i in range(5, 0, -1)], coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
