"""Reminder service: ``run_reminders(today=...)`` opens, keeps and closes reminders set-based.

Each registered rule (``core.registry.REMINDER_RULES``) yields the reminders currently
due; the service compares them with the open ones in one pass: new → opened (bulk insert), still
due → kept, cause gone → ``auto_closed``. A reminder staff marked done or dismissed is not
reopened for the same due date. All under the ``REMINDERS`` advisory lock in one transaction,
backed by a partial unique constraint (one open reminder per subject and reason).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.locks import LockKey, advisory_xact_lock
from core.notify import Recipient
from core.registry import REMINDER_RULES, DueReminder
from organizations.models import AccessScope, Organization, Reminder, ReminderStatus
from organizations.notify_routes import queue_notices

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderRun:
    opened: int
    kept: int
    closed: int
    sent: int


def due_reminders(*, today: datetime.date) -> list[DueReminder]:
    """Everything every registered rule says is due today (one query or two per rule)."""
    rows: list[DueReminder] = []
    for _reason, rule in sorted(REMINDER_RULES.items()):
        rows.extend(rule(today=today))
    return rows


def _owned_reasons() -> Q:
    """Reasons the registered rules own: ``reason`` itself or ``reason:<detail>``. Reminders of
    a rule that is not registered (its app absent) are left alone."""
    q = Q(pk__in=[])
    for reason in REMINDER_RULES:
        q |= Q(reason=reason) | Q(reason__startswith=f"{reason}:")
    return q


def run_reminders(*, today: datetime.date, send: bool = True) -> ReminderRun:
    """Bring the reminders in line with the rules for ``today`` and send the new ones."""
    due = due_reminders(today=today)
    with transaction.atomic():
        advisory_xact_lock(LockKey.REMINDERS)
        types = {
            name: ContentType.objects.get_for_model(apps.get_model(name)) for name in {row.subject_model for row in due}
        }
        wanted: dict[tuple[int, int, str], DueReminder] = {}
        for row in due:
            ct = types[row.subject_model]
            wanted.setdefault((ct.pk, row.subject_id, row.reason), row)

        owned = _owned_reasons()
        open_rows = {
            (r.subject_type_id, r.subject_id, r.reason): r
            for r in Reminder.objects.filter(owned, status=ReminderStatus.OPEN)
        }
        handled = set(
            Reminder.objects.filter(owned, status__in=[ReminderStatus.DONE, ReminderStatus.DISMISSED]).values_list(
                "subject_type_id", "subject_id", "reason", "due_on"
            )
        )
        new = [
            Reminder(
                subject_type_id=key[0],
                subject_id=key[1],
                reason=key[2],
                organization_id=row.organization_id,
                due_on=row.due_on,
                message=row.message[:300],
                opened_on=today,
            )
            for key, row in wanted.items()
            if key not in open_rows and (*key, row.due_on) not in handled
        ]
        Reminder.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        gone = [r.pk for key, r in open_rows.items() if key not in wanted]
        closed = (
            Reminder.objects.filter(pk__in=gone).update(status=ReminderStatus.AUTO_CLOSED, closed_on=today)
            if gone
            else 0
        )
        # Keep the due date and message of reminders still open in step with the rules.
        changed = []
        for key, reminder in open_rows.items():
            row = wanted.get(key)
            if row and (
                reminder.due_on != row.due_on
                or reminder.message != row.message[:300]
                or reminder.organization_id != row.organization_id
            ):
                reminder.due_on, reminder.message = row.due_on, row.message[:300]
                reminder.organization_id = row.organization_id
                changed.append(reminder)
        Reminder.objects.bulk_update(changed, ["due_on", "message", "organization"], batch_size=1000)
        # Set-based writes leave no per-row signal: one audit summary per kind of change.
        if new:
            audit.audit_bulk(model=Reminder, action="create", count=len(new), filter={"opened_on": today})
        if gone:
            audit.audit_bulk(
                model=Reminder,
                action="archive",
                count=closed,
                ids=gone,
                values={"status": ReminderStatus.AUTO_CLOSED, "closed_on": today},
            )
        if changed:
            audit.audit_bulk(model=Reminder, action="update", count=len(changed), ids=[r.pk for r in changed])
    sent = send_open_reminders() if send else 0
    result = ReminderRun(opened=len(new), kept=len(open_rows) - len(gone), closed=closed, sent=sent)
    logger.info(
        "reminders: today=%s opened=%d kept=%d closed=%d sent=%d",
        today,
        result.opened,
        result.kept,
        result.closed,
        result.sent,
    )
    return result


def send_open_reminders() -> int:
    """Send every open, not yet sent reminder to the users scoped to its organization or the
    organization above it (branch secretary, community staff), through the organization's
    notification routes (``organizations.notify_routes``): a fixed number of queries. Marked
    sent once every message is recorded as a delivery (the worker delivers and retries them)."""
    with transaction.atomic():
        pending = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=ReminderStatus.OPEN, sent_at__isnull=True)
            .order_by("organization_id", "due_on", "id")
        )
        if not pending:
            return 0
        org_ids = {r.organization_id for r in pending}
        orgs = {o.pk: o for o in Organization.objects.filter(pk__in=org_ids).only("id", "name", "parent_id")}
        parents = {o.parent_id for o in orgs.values() if o.parent_id}
        by_org: dict[int, list[Recipient]] = defaultdict(list)
        roles: dict[int, str] = {}
        for scope in AccessScope.objects.filter(organization_id__in=org_ids | parents).select_related("user"):
            if scope.user.is_active:
                roles[scope.user_id] = scope.role
                by_org[scope.organization_id].append(
                    Recipient(user_id=scope.user_id, username=scope.user.username, email=scope.user.email)
                )
        lines: dict[int, list[str]] = defaultdict(list)
        for r in pending:
            lines[r.organization_id].append(
                _("%(message)s (due %(due)s)") % {"message": r.message or r.reason, "due": r.due_on.isoformat()}
            )
        queued = queue_notices(
            {org_id: (orgs[org_id].name, tuple(org_lines)) for org_id, org_lines in lines.items()},
            recipients={org_id: by_org.get(org_id, []) + by_org.get(orgs[org_id].parent_id, []) for org_id in lines},
            roles=roles,
            source="reminders",
        )
        sent_ids = [r.pk for r in pending]
        Reminder.objects.filter(pk__in=sent_ids).update(sent_at=timezone.now())
        audit.audit_bulk(model=Reminder, action="update", count=len(sent_ids), ids=sent_ids, note="sent")
    return queued


@transaction.atomic
def reminder_close(*, reminder: Reminder, status: str, user, today: datetime.date) -> Reminder:
    """Mark an open reminder done or dismissed by ``user``."""
    if status not in (ReminderStatus.DONE, ReminderStatus.DISMISSED):
        raise ValidationError({"status": _("Choose done or dismissed.")})
    reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.status != ReminderStatus.OPEN:
        raise ValidationError({"status": _("This reminder is already closed.")})
    reminder.status, reminder.closed_on, reminder.closed_by = status, today, user
    reminder.save(update_fields=["status", "closed_on", "closed_by"])
    return reminder
