"""The admin login form asks for the second factor too: users who need it and have enrolled may
give the code on the login page itself (else the next page asks for it)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.auth import twofactor


class TwoFactorAdminLoginForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=20,
        help_text=_("For accounts with two-factor login: the code from the authenticator app, or a recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        data = super().clean()
        user = self.get_user()
        code = (data or {}).get("otp_token", "")
        if user is not None and code and twofactor.enforced() and twofactor.requires_two_factor(user):
            device = twofactor.verify_code(user, code)
            if device is None:
                raise forms.ValidationError(
                    _("The code is wrong, has expired or was already used."), code="invalid_otp"
                )
            # Picked up by the user_logged_in receiver (core.auth.twofactor.verify_on_login).
            user._second_factor_device = device
        return data
