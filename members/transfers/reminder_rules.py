"""Reminder rules of transfers and floating members (set-based, one query each)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import DueReminder, register_reminder_rule
from members.models import FloatingRecord, Transfer, TransferState
from members.transfers.floating import contact_days


@register_reminder_rule("transfer_letter_expiring", label=gettext_lazy("Transfer letter expiring or expired"))
def transfer_letter_expiring(*, today: datetime.date):
    """An issued letter whose validity ends within ``TRANSFER_EXPIRY_SOON_DAYS``, or an expired one
    not yet closed by the sender (re-issue or return); addressed to the sending branch."""
    soon = today + datetime.timedelta(days=getattr(settings, "TRANSFER_EXPIRY_SOON_DAYS", 14))
    issued = Transfer.objects.filter(state=TransferState.ISSUED, valid_until__lte=soon)
    expired = Transfer.objects.filter(state=TransferState.EXPIRED)
    rows = (issued | expired).filter(from_branch__isnull=False)
    for pk, branch_id, until, letter_name, member_name, state in rows.values_list(
        "id", "from_branch_id", "valid_until", "member_name", "member__name", "state"
    ):
        name = member_name or letter_name
        if state == TransferState.EXPIRED or until < today:
            message = _("%(name)s: the transfer letter expired on %(day)s") % {"name": name, "day": until}
        else:
            message = _("%(name)s: the transfer letter expires on %(day)s") % {"name": name, "day": until}
        yield DueReminder("members.Transfer", pk, "transfer_letter_expiring", branch_id, until, message)


@register_reminder_rule("floating_not_contacted", label=gettext_lazy("Floating member not contacted"))
def floating_not_contacted(*, today: datetime.date):
    """An open floating record whose last contact is older than ``FLOATING_CONTACT_DAYS``."""
    limit = today - datetime.timedelta(days=contact_days())
    rows = FloatingRecord.objects.filter(returned_on__isnull=True, last_contacted_on__lt=limit).values_list(
        "id", "branch_id", "last_contacted_on", "member__name"
    )
    for pk, branch_id, last, name in rows:
        yield DueReminder(
            "members.FloatingRecord",
            pk,
            "floating_not_contacted",
            branch_id,
            today,
            _("%(name)s: floating member not contacted since %(day)s") % {"name": name, "day": last},
        )
