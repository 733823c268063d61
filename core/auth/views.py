"""The two-factor pages: enrolment with a QR code, the code prompt after the password, and new
recovery codes. Chinese pages on the admin's look (``admin/base_site.html``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core import audit
from core.auth import twofactor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return "/admin/"
    return target


def _audit_second_factor(user, what: str) -> None:
    audit.record(user, "update", {"second_factor": [audit.CHANGED_MARKER, what]})


@login_required(login_url="/admin/login/")
@require_http_methods(["GET", "POST"])
def setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with one code."""
    from django_otp import login as otp_login

    user = request.user
    if twofactor.is_enrolled(user) and not twofactor.is_verified(user):
        return redirect(f"/account/2fa/verify/?next={_next(request)}")
    device = twofactor.start_enrolment(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = twofactor.confirm_enrolment(user, form.cleaned_data["code"])
        if confirmed is None:
            form.add_error("code", _("The code is wrong or has expired. Enter the current code from the app."))
        else:
            otp_login(request, confirmed)
            codes = twofactor.new_recovery_codes(user)
            _audit_second_factor(user, "enrolled")
            return render(
                request,
                "core/twofactor_codes.html",
                {"title": _("Recovery codes"), "codes": codes, "next": _next(request)},
            )
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    context = {
        "title": _("Set up two-factor login"),
        "form": form,
        "qr_svg": twofactor.qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next(request),
    }
    return render(request, "core/twofactor_setup.html", context)


@login_required(login_url="/admin/login/")
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of the login: a code from the app, or one recovery code."""
    from django_otp import login as otp_login

    user = request.user
    if not twofactor.is_enrolled(user):
        return redirect(f"/account/2fa/setup/?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify_code(user, form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _("The code is wrong, has expired or was already used."))
        else:
            otp_login(request, device)
            return redirect(_next(request))
    return render(
        request,
        "core/twofactor_verify.html",
        {"title": _("Two-factor verification"), "form": form, "next": _next(request)},
    )


@login_required(login_url="/admin/login/")
@require_http_methods(["POST"])
def recovery_codes(request):
    """New recovery codes (the old ones stop working), from a verified session only."""
    if not twofactor.is_verified(request.user):
        return redirect("/account/2fa/verify/")
    codes = twofactor.new_recovery_codes(request.user)
    _audit_second_factor(request.user, "recovery codes renewed")
    return render(
        request, "core/twofactor_codes.html", {"title": _("Recovery codes"), "codes": codes, "next": "/admin/"}
    )
