"""Two-factor login: TOTP (an authenticator app) plus single-use recovery codes, on django-otp.

Who needs it (GB/T 22239-2019 三级, 双因素鉴别 for administrators): the roles in
``TWO_FACTOR_REQUIRED_ROLES`` (district and security administrators), anyone holding one of
``TWO_FACTOR_REQUIRED_PERMISSIONS`` (the unmask permission), superusers, and every staff user
when ``TWO_FACTOR_FOR_ALL_STAFF`` is on. ``TWO_FACTOR_ENFORCE`` switches the whole check (on
by default; the unit-test settings turn it off so tests of other features may log in with a
password alone — the two-factor tests turn it back on).

After the password, a session of such a user is *unverified*: ``TwoFactorMiddleware`` lets it
reach only the enrolment / code pages (and log out) until a code is given. The API token
endpoint asks for the same (``token_issue_allowed``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.translation import gettext as _

from core.auth.roles import ROLE_GROUP_NAMES

RECOVERY_DEVICE_NAME = "recovery"
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_CODE_COUNT = 10
# No 0/O, 1/l/I: codes are copied from paper.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def enforced() -> bool:
    return bool(getattr(settings, "TWO_FACTOR_ENFORCE", True))


def requires_two_factor(user) -> bool:
    """Whether ``user`` must give a second factor after the password."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if getattr(settings, "TWO_FACTOR_FOR_ALL_STAFF", False) and user.is_staff:
        return True
    groups = {ROLE_GROUP_NAMES[role] for role in getattr(settings, "TWO_FACTOR_REQUIRED_ROLES", ())}
    if groups and user.groups.filter(name__in=groups).exists():
        return True
    return any(user.has_perm(perm) for perm in getattr(settings, "TWO_FACTOR_REQUIRED_PERMISSIONS", ()))


def is_verified(user) -> bool:
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def must_verify(user) -> bool:
    """An unverified session of a user who needs the second factor."""
    return enforced() and not is_verified(user) and requires_two_factor(user)


def totp_device(user, *, confirmed: bool | None = True):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-id").first()


def is_enrolled(user) -> bool:
    return totp_device(user) is not None


def start_enrolment(user):
    """The unconfirmed authenticator device of ``user`` (a new secret unless one is pending)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def qr_svg(text: str) -> str:
    """An inline SVG QR code of ``text``, made on the server (no external service sees the secret)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def new_recovery_codes(user) -> list[str]:
    """Replace ``user``'s recovery codes with ``RECOVERY_CODE_COUNT`` new ones (each works once)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def confirm_enrolment(user, code: str):
    """Confirm the pending device with a first code; returns the device, or None if wrong."""
    device = totp_device(user, confirmed=False)
    if device is None or not device.verify_token(_clean(code)):
        return None
    type(device).objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def verify_code(user, code: str):
    """The confirmed device (authenticator or recovery codes) that accepts ``code``, or None.
    A recovery code is deleted when used; django-otp throttles repeated wrong codes."""
    from django_otp import match_token

    code = _clean(code)
    if not code:
        return None
    return match_token(user, code)


def reset(user) -> None:
    """Remove every second factor of ``user`` (a lost phone): they enrol again at next login."""
    from django_otp import devices_for_user

    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()


def _clean(code: str) -> str:
    return "".join(str(code or "").split()).lower()


def required_message() -> str:
    return _("Two-factor verification is required: enter the code from your authenticator app.")


def verify_on_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: a code given on the login form verifies the new session."""
    device = getattr(user, "_second_factor_device", None)
    if device is not None and request is not None:
        from django_otp import login as otp_login

        otp_login(request, device)
        del user._second_factor_device
