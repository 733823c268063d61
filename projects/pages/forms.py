"""Forms of the secretary's request and wish pages; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Triage


class TriageForm(forms.Form):
    triage = forms.ChoiceField(label=_("Triage"), choices=Triage.choices, widget=forms.RadioSelect)


class DispatchForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Party member"), queryset=None, required=False)
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, required=False)
    department = forms.CharField(label=_("Government department"), required=False, max_length=100)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, members=None, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["organization"].queryset = organizations


class WishForm(forms.Form):
    compound = forms.ModelChoiceField(label=_("Compound"), queryset=None)
    resident_name = forms.CharField(label=_("Resident"), max_length=50)
    content = forms.CharField(label=_("Wish"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, compounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
