"""Events of the projects app that earn member points (registered in ``projects/contributions.py``).

Each returns the rows the points service inserts in one statement: annotated with ``_member``,
``_source`` and ``_day`` (see ``core.registry.PointsSource``).
"""

from __future__ import annotations

import datetime

from django.db.models import F, QuerySet
from django.db.models.functions import TruncDate

from projects.models import MicroWish, RequestStatus, ResidentRequest, WishStatus


def micro_wish_rows(since: datetime.date | None) -> QuerySet:
    """A fulfilled micro-wish earns its claimer points on the day it was fulfilled."""
    qs = MicroWish.objects.filter(status=WishStatus.FULFILLED, claimed_by__isnull=False, fulfilled_at__isnull=False)
    if since:
        qs = qs.filter(fulfilled_at__date__gte=since)
    return qs.annotate(_member=F("claimed_by_id"), _source=F("id"), _day=TruncDate("fulfilled_at"))


def request_rows(since: datetime.date | None) -> QuerySet:
    """A resolved (or rated) request earns the member it was dispatched to points."""
    qs = ResidentRequest.objects.filter(
        spam=False,
        status__in=(RequestStatus.RESOLVED, RequestStatus.RATED),
        assigned_member__isnull=False,
        resolved_on__isnull=False,
    )
    if since:
        qs = qs.filter(resolved_on__gte=since)
    return qs.annotate(_member=F("assigned_member_id"), _source=F("id"), _day=F("resolved_on"))
