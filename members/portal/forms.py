"""Forms of the member portal."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from members.portal.accounts import member_of


class MemberLoginForm(AuthenticationForm):
    """The password login of the member pages (the same lockout backend as every login). Only
    member logins sign in here; anyone else gets the same message as a wrong password (no
    oracle), and staff keep signing in where their second factor is asked."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_staff or user.is_superuser or member_of(user) is None:
            raise self.get_invalid_login_error()


class ActivationForm(forms.Form):
    code = forms.CharField(label=_("Activation code"), max_length=20)
    password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class ReportForm(forms.Form):
    """回小区报到: the employer and the post the member takes up in the compound."""

    employer = forms.CharField(label=_("Employer"), max_length=100)
    post = forms.CharField(label=_("Post chosen in the compound"), max_length=50)
