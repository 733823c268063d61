"""Member points (积分): award from verified events, set-based; manual adjustments; leaderboards.

``award_points`` turns each registered source (``core.registry.POINTS_SOURCES``: attendance
here, fulfilled micro-wishes and resolved requests from the projects app) into one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` statement (``INSERT OR
IGNORE`` on SQLite) against the unique (member, kind, source) constraint, so no row passes
through Python and running it twice, or two workers at once, never counts an event twice. Sources of apps that are absent are skipped.
"""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import LockKey, advisory_xact_lock
from core.registry import POINTS_SOURCES
from members.models import Attendance, Member, MemberStatus, PointsEntry, PointsKind, PointsRule
from organizations.models import Organization
from organizations.selectors import in_subtree

logger = logging.getLogger(__name__)


def attendance_rows(since: datetime.date | None) -> QuerySet:
    """Present at a meeting that was held (not archived), by an active member."""
    qs = Attendance.objects.filter(status="present", meeting__archived=False, member__status=MemberStatus.ACTIVE)
    if since:
        qs = qs.filter(meeting__held_at__date__gte=since)
    return qs.annotate(_member=F("member_id"), _source=F("id"), _day=TruncDate("meeting__held_at"))


def _available(model: str) -> bool:
    app_label, name = model.split(".")
    try:
        apps.get_model(app_label, name)
    except LookupError:
        return False
    return True


def _insert_select(rows: QuerySet, *, kind: str, points: int, source_type_id: int) -> int:
    """``INSERT INTO ledger SELECT ... ON CONFLICT DO NOTHING``: one statement, no rows through
    Python; returns how many entries were new."""
    # The anti-join skips events already in the ledger cheaply (unique index); ON CONFLICT stays
    # as the guard against a concurrent writer.
    already = PointsEntry.objects.filter(
        member_id=OuterRef("_member"), kind=kind, source_type_id=source_type_id, source_id=OuterRef("_source")
    )
    select = (
        rows.filter(~Exists(already))
        .annotate(
            _kind=Value(kind, output_field=CharField()),
            _points=Value(points, output_field=IntegerField()),
            _type=Value(source_type_id, output_field=IntegerField()),
            _reason=Value("", output_field=CharField()),
            _created=Value(timezone.now(), output_field=DateTimeField()),
        )
        .order_by()
        .values_list("_member", "_kind", "_points", "_type", "_source", "_day", "_reason", "_created")
    )
    sql, params = select.query.sql_with_params()
    table = connection.ops.quote_name(PointsEntry._meta.db_table)
    columns = "member_id, kind, points, source_type_id, source_id, occurred_on, reason, created_at"
    if connection.vendor == "sqlite":
        statement = f"INSERT OR IGNORE INTO {table} ({columns}) {sql}"
    else:
        statement = f"INSERT INTO {table} ({columns}) {sql} ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return max(cursor.rowcount, 0)


def award_points(*, since: datetime.date | None = None) -> dict[str, int]:
    """Add the ledger entries every verified event earns (those since ``since``, or all);
    returns how many new entries per kind. One INSERT ... SELECT per kind; idempotent (the
    unique (member, kind, source) constraint); serialized by the ``POINTS`` advisory lock."""
    created: dict[str, int] = {}
    with transaction.atomic():
        advisory_xact_lock(LockKey.POINTS)
        rules = {r.kind: r for r in PointsRule.objects.filter(active=True)}
        for source in POINTS_SOURCES.values():
            kind = str(source.kind)
            rule = rules.get(kind)
            if rule is None or not _available(source.model):
                continue
            ct = ContentType.objects.get_for_model(apps.get_model(source.model))
            created[kind] = _insert_select(source.rows(since), kind=kind, points=rule.points, source_type_id=ct.pk)
    logger.info("points: since=%s created=%s", since, created)
    return created


def award_events(kind: str, rows: QuerySet) -> int:
    """Award the points of ``kind`` for the events in ``rows`` now (a narrower ``award_points``
    for a service that has just verified one event): same statement, rule, lock and uniqueness."""
    with transaction.atomic():
        advisory_xact_lock(LockKey.POINTS)
        rule = PointsRule.objects.filter(active=True, kind=kind).first()
        if rule is None:
            return 0
        ct = ContentType.objects.get_for_model(rows.model)
        return _insert_select(rows, kind=kind, points=rule.points, source_type_id=ct.pk)


def points_adjust(*, member: Member, points: int, reason: str, user, occurred_on: datetime.date) -> PointsEntry:
    """A manual adjustment: a new ledger entry with its reason and author (audited)."""
    errors = {}
    if not points:
        errors["points"] = _("Enter a non-zero number of points.")
    if not (reason or "").strip():
        errors["reason"] = _("A manual adjustment needs a reason.")
    if user is None or not getattr(user, "pk", None):
        errors["created_by"] = _("A manual adjustment needs the user who makes it.")
    if errors:
        raise ValidationError(errors)
    return PointsEntry.objects.create(
        member=member,
        kind=PointsKind.MANUAL,
        points=points,
        reason=reason.strip(),
        created_by=user,
        occurred_on=occurred_on,
    )


def _window(since: datetime.date | None, until: datetime.date | None) -> Q:
    q = Q()
    if since:
        q &= Q(points_entries__occurred_on__gte=since)
    if until:
        q &= Q(points_entries__occurred_on__lte=until)
    return q


def leaderboard(
    *, org: Organization, since: datetime.date | None = None, until: datetime.date | None = None
) -> QuerySet[Member]:
    """Active members living anywhere under ``org``, with ``points_total``, best first (one
    query; slice it for a top N)."""
    return (
        Member.objects.filter(
            in_subtree("branch", org),
            status=MemberStatus.ACTIVE,
        )
        .annotate(points_total=Coalesce(Sum("points_entries__points", filter=_window(since, until)), 0))
        .order_by("-points_total", "id")
    )


def branch_points(
    *, org: Organization, since: datetime.date | None = None, until: datetime.date | None = None
) -> QuerySet[Organization]:
    """Branches under ``org`` with the points their members earned (``points_total``), best first."""
    q = Q(resident_members__status=MemberStatus.ACTIVE)
    if since:
        q &= Q(resident_members__points_entries__occurred_on__gte=since)
    if until:
        q &= Q(resident_members__points_entries__occurred_on__lte=until)
    return (
        Organization.objects.filter(in_subtree("", org), kind="compound_branch")
        .annotate(points_total=Coalesce(Sum("resident_members__points_entries__points", filter=q), 0))
        .order_by("-points_total", "id")
    )
