"""Member accounts (党员端): the branch issues a one-time activation code, the member sets a
password with it and is signed in. The code is short-lived, single-use and stored as a keyed
hash; it is shown once to whoever issued it and sent to the member through the branch's
notification channel (``core.notify``; the console channel is the embedded default)."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from core import crypto, notify
from core.auth.roles import ROLE_GROUP_NAMES, Role
from members.models import ActivationCode, Member, MemberAccount, MemberStatus

# No 0/O, 1/l/I: the code may be read aloud or copied from a phone screen.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 12


def activation_hours() -> int:
    return int(getattr(settings, "PORTAL_ACTIVATION_HOURS", 48))


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch in _ALPHABET)


def code_hash(code: str) -> str:
    return salted_hmac("members.portal.activation", normalize_code(code), algorithm="sha256").hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _CODE_LENGTH, 4))


def username_for(member: Member) -> str:
    """The member's login name: ``dy`` and the record number (no personal data in it)."""
    return f"dy{member.pk:06d}"


def member_group() -> Group:
    group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[Role.PARTY_MEMBER])
    return group


def _account_for(member: Member, username: str = "") -> MemberAccount:
    account = MemberAccount.objects.select_related("user").filter(member=member).first()
    if account is not None:
        return account
    username = username or username_for(member)
    if get_user_model().objects.filter(username=username).exists():
        raise ValidationError({"username": _("This login name is already taken.")})
    user = get_user_model().objects.create_user(username=username, password=None)
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    user.groups.add(member_group())
    return MemberAccount.objects.create(member=member, user=user)


@transaction.atomic
def activation_issue(
    *, member: Member, actor, now: datetime.datetime | None = None, activate_url: str = "", username: str = ""
) -> tuple[ActivationCode, str]:
    """Create the member's account (on first use) and a new activation code; earlier unused
    codes stop working. Returns the code row and the code itself (shown once, never stored).
    ``activate_url`` (the link without the code) goes into the notice sent to the member;
    ``username`` names a new account (default ``dy`` + the record number)."""
    now = now or timezone.now()
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError({"member": _("Only an active member can be given a login.")})
    account = _account_for(member, username)
    for earlier in ActivationCode.objects.filter(member=member, used_at__isnull=True, expires_at__gt=now):
        earlier.expires_at = now
        earlier.save(update_fields=["expires_at"])
    code = _new_code()
    row = ActivationCode.objects.create(
        member=member,
        code_hash=code_hash(code),
        expires_at=now + datetime.timedelta(hours=activation_hours()),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _send(member, account, code, row.expires_at, activate_url)
    return row, code


def _send(member: Member, account: MemberAccount, code: str, expires_at, activate_url: str) -> None:
    """To the member's phone by SMS when the branch routes notices by SMS, else through the
    embedded default channel (console / email) addressed to the member's login."""
    from organizations.notify_routes import routes_for

    subject = _("[Party building] Activate your member login")
    link = f"{activate_url}?code={code}" if activate_url else ""
    body = _("%(name)s: your login name is %(username)s, activation code %(code)s, valid until %(until)s. %(link)s") % {
        "name": member.name,
        "username": account.user.get_username(),
        "code": code,
        "until": timezone.localtime(expires_at).strftime("%Y-%m-%d %H:%M"),
        "link": link,
    }
    channels = {route.channel for route in routes_for([member.branch_id]).get(member.branch_id, [])}
    phone = crypto.decrypt(member.phone_encrypted) if member.phone_encrypted else ""
    if "sms" in channels and phone:
        channel, address = "sms", phone
    else:
        channel = next((c for c in channels if c != "sms" and notify.channel_for(c).per_user), "console")
        address = account.user.email if channel == "email" else account.user.get_username()
    if address:
        notify.queue(
            channel=channel,
            address=address,
            subject=subject,
            body=body,
            source="member_activation",
            organization_id=member.branch_id,
        )


def _invalid() -> ValidationError:
    return ValidationError(
        {"code": _("This activation code is not valid or has expired. Ask your branch for a new one.")}
    )


@transaction.atomic
def account_activate(*, code: str, password: str, now: datetime.datetime | None = None):
    """Set the member's password with a valid code (Django's password validators) and use the
    code up. Returns the user. The same message for an unknown, used or expired code."""
    now = now or timezone.now()
    row = (
        ActivationCode.objects.select_for_update()
        .select_related("member")
        .filter(code_hash=code_hash(code), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if row is None or row.member.status != MemberStatus.ACTIVE:
        raise _invalid()
    account = MemberAccount.objects.select_related("user").get(member=row.member)
    user = account.user
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    row.used_at = now
    row.save(update_fields=["used_at"])
    if account.activated_at is None:
        account.activated_at = now
        account.save(update_fields=["activated_at"])
    return user


def member_of(user) -> Member | None:
    """The member behind a signed-in member login, or ``None`` (staff, anonymous)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_portal_member", False)
    if cached is not False:
        return cached
    account = (
        MemberAccount.objects.select_related("member", "member__branch", "member__compound")
        .filter(user_id=user.pk, member__status=MemberStatus.ACTIVE)
        .first()
    )
    member = account.member if account is not None else None
    user._portal_member = member
    return member
