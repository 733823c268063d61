"""Maintenance of the dues summaries (``DuesRollup`` per branch and month, ``DuesArrearsSpan`` per
member; see the models) from the raw rows, by the same rules as ``ledger.FIGURES_SQL``: only
members active now count, under the branch they live in now; a month is due when a base is in
force and the member was admitted by then (a non-zero amount makes it a member-month due); it is
paid when its entries sum above zero.

Every write that changes an input calls ``members_changed`` in its transaction: a payment or a
reversal (the months it covers), a new dues base (every month of the member), a change of a
member's status, branch (the branch left is passed) or admission date (the month it was passed).
``deferred()`` collects the calls of a bulk write (the month import) into one refresh at its end.
The (branch, month) keys are locked and written by ``core.rollups.refresh_keys`` after the
members' rows are locked (in id order, as ``payment_record`` locks its member), so concurrent
writers of one branch or one member never lose each other's change. ``rebuild`` recomputes
everything; ``differences`` compares with a full recomputation.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Min, Sum

from core.rollups import refresh_keys
from members.models import DuesArrearsSpan, DuesBase, DuesPayment, DuesRollup, Member, MemberStatus

Key = tuple[int, datetime.date]
FIGURES = ("due_amount_change", "due_months_change", "paid_amount", "paid_months")
ZERO = (Decimal("0.00"), 0, Decimal("0.00"), 0)
_pending: ContextVar[dict | None] = ContextVar("dues_rollup_pending", default=None)


def _index(month: datetime.date) -> int:
    return month.year * 12 + month.month - 1


def _month(index: int) -> datetime.date:
    return datetime.date(index // 12, index % 12 + 1, 1)


class _Member:
    """One member's dues inputs: admission month, bases (by month index), net payments."""

    __slots__ = ("admitted", "froms", "amounts", "paid")

    def __init__(self, admitted_on):
        self.admitted = _index(admitted_on.replace(day=1)) if admitted_on else None
        self.froms: list[int] = []
        self.amounts: list[Decimal] = []
        self.paid: dict[int, Decimal] = {}

    def in_force(self, month: int) -> Decimal | None:
        """The monthly amount in force in ``month`` (``None``: no base, or not admitted yet)."""
        if self.admitted is not None and month < self.admitted:
            return None
        i = bisect_right(self.froms, month)
        return self.amounts[i - 1] if i else None

    def segments(self):
        """(first month, last month or None, amount) of each base while it is in force."""
        for i, (start, amount) in enumerate(zip(self.froms, self.amounts, strict=True)):
            first = start if self.admitted is None else max(start, self.admitted)
            last = self.froms[i + 1] - 1 if i + 1 < len(self.froms) else None
            if last is None or first <= last:
                yield first, last, amount

    def changes(self) -> dict[int, tuple[Decimal, int]]:
        """Month → (change of the amount due, change of the member-months due) from that month on."""
        out: dict[int, tuple[Decimal, int]] = {}

        def add(month, amount, count):
            a, c = out.get(month, (Decimal(0), 0))
            out[month] = (a + amount, c + count)

        for first, last, amount in self.segments():
            owing = int(amount > 0)
            add(first, amount, owing)
            if last is not None:
                add(last + 1, -amount, -owing)
        return out

    def unpaid_runs(self) -> list[tuple[int, int | None]]:
        """Runs of months due (non-zero amount) without a net payment."""
        paid = sorted(m for m, v in self.paid.items() if v > 0)
        runs = []
        for first, last, amount in self.segments():
            if amount <= 0:
                continue
            start = first
            for month in paid[bisect_right(paid, first - 1) :]:
                if last is not None and month > last:
                    break
                if month > start:
                    runs.append((start, month - 1))
                start = month + 1
            if last is None or start <= last:
                runs.append((start, last))
        merged: list[list] = []
        for first, last in runs:  # a new base right after an unpaid month continues the run
            if merged and merged[-1][1] is not None and merged[-1][1] + 1 == first:
                merged[-1][1] = last
            else:
                merged.append([first, last])
        return [(a, b) for a, b in merged]


def _load(members, months: set[datetime.date] | None) -> dict[int, _Member]:
    """The inputs of the active ``members`` (a queryset); payments only of ``months`` if given."""
    rows = {pk: _Member(admitted) for pk, admitted in members.values_list("pk", "admitted_on")}
    bases = DuesBase.objects.filter(member__in=members).order_by("member_id", "valid_from")
    for member_id, valid_from, amount in bases.values_list("member_id", "valid_from", "monthly_amount"):
        rows[member_id].froms.append(_index(valid_from))
        rows[member_id].amounts.append(amount)
    payments = DuesPayment.objects.filter(member__in=members)
    if months is not None:
        payments = payments.filter(month__in=sorted(months))
    for member_id, month, total in (
        payments.order_by()
        .values_list("member_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "month", "total")
    ):
        rows[member_id].paid[_index(month)] = total
    return rows


def _active(**filters):
    return Member.objects.filter(status=MemberStatus.ACTIVE, **filters)


def _fold(loaded: dict[int, _Member], branch_of: dict[int, int], keys: set[Key] | None) -> dict[Key, tuple]:
    """The (branch, month) figures of the loaded members (only ``keys`` if given)."""
    out: dict[Key, list] = {}

    def row(branch, month):
        key = (branch, _month(month))
        if keys is not None and key not in keys:
            return None
        return out.setdefault(key, list(ZERO))

    for pk, member in loaded.items():
        branch = branch_of[pk]
        for month, (amount, count) in member.changes().items():
            if (r := row(branch, month)) is not None:
                r[0] += amount
                r[1] += count
        for month, total in member.paid.items():
            amount = member.in_force(month)
            if total > 0 and amount is not None and (r := row(branch, month)) is not None:
                r[2] += total
                r[3] += int(amount > 0)
    return {key: tuple(v) for key, v in out.items()}


def _computed(keys: set[Key]) -> dict[Key, tuple]:
    """The figures of ``keys`` from the raw rows of the branches' active members."""
    members = _active(branch_id__in=sorted({b for b, _m in keys}))
    return _fold(_load(members, {m for _b, m in keys}), dict(members.values_list("pk", "branch_id")), keys)


def refresh(keys: Iterable[Key]) -> int:
    """Recompute these (branch, month) keys (in the caller's transaction)."""
    return refresh_keys(DuesRollup, ("branch_id", "month"), FIGURES, keys, _computed, zero=ZERO)


def refresh_spans(member_ids: Iterable[int]) -> None:
    """Recompute the unpaid runs of these members (none for a member no longer active)."""
    member_ids = sorted(set(member_ids))
    if not member_ids:
        return
    members = _active(pk__in=member_ids)
    branch_of = dict(members.values_list("pk", "branch_id"))
    spans = [
        DuesArrearsSpan(
            member_id=pk, branch_id=branch_of[pk], first_month=_month(a), last_month=None if b is None else _month(b)
        )
        for pk, member in _load(members, None).items()
        for a, b in member.unpaid_runs()
    ]
    DuesArrearsSpan.objects.filter(member_id__in=member_ids).delete()
    DuesArrearsSpan.objects.bulk_create(spans, batch_size=2000)


class _Change:
    """What changed for one member: the months (``None``: any of them) and the branch and
    admission date it had before (when the write changed them)."""

    __slots__ = ("months", "before")

    def __init__(self):
        self.months: set[datetime.date] | None = set()
        self.before: set[tuple[int | None, datetime.date | None]] = set()

    def add(self, months, before) -> None:
        if months is None or self.months is None:
            self.months = None
        else:
            self.months |= {m.replace(day=1) for m in months}
        if before is not None:
            self.before.add(before)


def member_keys(changes: dict[int, _Change]) -> set[Key]:
    """The keys the changed members' figures can sit under: their branch now and before × the
    months named, or else every month where a base of theirs starts (a base ends where the next
    starts), they were or had been admitted, or they paid."""
    ids = sorted(changes)
    rows = list(Member.objects.filter(pk__in=ids).values_list("pk", "branch_id", "admitted_on"))
    everything = [pk for pk in ids if changes[pk].months is None]
    found: dict[int, set] = {}
    for pk, month in (
        set(DuesBase.objects.filter(member_id__in=everything).values_list("member_id", "valid_from"))
        | set(
            DuesPayment.objects.filter(member_id__in=everything).order_by().values_list("member_id", "month").distinct()
        )
        if everything
        else ()
    ):
        found.setdefault(pk, set()).add(month)
    keys = set()
    for pk, branch_id, admitted_on in rows:
        change = changes[pk]
        months = set(found.get(pk, ())) if change.months is None else set(change.months)
        if change.months is None:
            months |= {a.replace(day=1) for a in [admitted_on, *(a for _b, a in change.before)] if a}
        for branch in {branch_id, *(b for b, _a in change.before)} - {None}:
            keys |= {(branch, m) for m in months}
    return keys


def members_changed(member_ids: Iterable[int], *, months=None, before=None) -> None:
    """An input of these members changed (see the module): refresh their keys and runs now, or at
    the end of the enclosing ``deferred()``. ``months``: only these months changed (a payment);
    ``before``: ``{member_id: (branch_id, admitted_on)}`` they had before the write, when it
    changed them."""
    pending = _pending.get()
    changes = {} if pending is None else pending
    for pk in member_ids:
        changes.setdefault(pk, _Change()).add(months, (before or {}).get(pk))
    if pending is None:
        _refresh_members(changes)


def _lock_members(member_ids) -> None:
    # Members first, in id order (as payment_record holds its member), then the keys.
    list(Member.objects.filter(pk__in=member_ids).order_by("pk").select_for_update().values_list("pk", flat=True))


def _refresh_members(changes: dict[int, _Change]) -> None:
    if not changes:
        return
    with transaction.atomic():
        _lock_members(sorted(changes))
        refresh(member_keys(changes))
        refresh_spans(changes)


@contextmanager
def deferred():
    """Around a bulk write: the rollup calls inside it are collected and run once, set-based,
    when the block ends without an error (in the same transaction)."""
    if _pending.get() is not None:
        yield
        return
    pending: dict[int, _Change] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _refresh_members(pending)


def _branch_keys(branches: list[int]) -> set[Key]:
    """Every key the branches' active members have an input in, and the rows stored for them."""
    active = {"member__status": MemberStatus.ACTIVE, "member__branch_id__in": branches}
    keys = set(DuesRollup.objects.filter(branch_id__in=branches).values_list("branch_id", "month"))
    keys |= set(DuesPayment.objects.filter(**active).order_by().values_list("member__branch_id", "month").distinct())
    keys |= set(DuesBase.objects.filter(**active).order_by().values_list("member__branch_id", "valid_from").distinct())
    # An admission month is a key only when the member's first base started before it.
    admitted = (
        _active(branch_id__in=branches, admitted_on__isnull=False)
        .annotate(first_base=Min("dues_bases__valid_from"))
        .filter(admitted_on__gt=F("first_base"))
        .values_list("branch_id", "admitted_on")
    )
    keys |= {(b, a.replace(day=1)) for b, a in admitted}
    return keys


def rebuild(*, batch_branches: int = 200) -> int:
    """Recompute every key and every run, a slice of branches per transaction (safe while users
    work: each slice locks its members and keys as a write does). Returns the keys written."""
    DuesArrearsSpan.objects.exclude(member__status=MemberStatus.ACTIVE).delete()
    branches = sorted(
        set(DuesRollup.objects.values_list("branch_id", flat=True).distinct())
        | set(_active(branch_id__isnull=False).values_list("branch_id", flat=True).distinct())
    )
    written = 0
    for i in range(0, len(branches), batch_branches):
        batch = branches[i : i + batch_branches]
        with transaction.atomic():
            member_ids = list(_active(branch_id__in=batch).values_list("pk", flat=True))
            _lock_members(member_ids)
            written += refresh(_branch_keys(batch))
            refresh_spans(member_ids)
            # Rows of zeros are left by keys that lost their last input; while the slice's members
            # are locked no write can be refreshing one of its keys, so they go.
            DuesRollup.objects.filter(branch_id__in=batch, **dict.fromkeys(FIGURES, 0)).delete()
    return written


def full_computation() -> tuple[dict[Key, tuple], set[tuple]]:
    """The summaries recomputed from every raw row: (non-zero keys, runs as (member, branch,
    first month, last month))."""
    members = _active(branch_id__isnull=False)
    branch_of = dict(members.values_list("pk", "branch_id"))
    loaded = _load(members, None)
    figures = _fold(loaded, branch_of, None)
    runs = {
        (pk, branch_of[pk], _month(a), None if b is None else _month(b))
        for pk, member in loaded.items()
        for a, b in member.unpaid_runs()
    }
    return {k: v for k, v in figures.items() if v != ZERO}, runs


def differences() -> list[tuple[str, tuple, object, object]]:
    """[(what, key, stored, recomputed)] where the summaries differ from a full recomputation
    (rows of zeros count as absent)."""
    expected, runs = full_computation()
    stored = {
        (b, m): tuple(v)
        for b, m, *v in DuesRollup.objects.values_list("branch_id", "month", *FIGURES)
        if tuple(v) != ZERO
    }
    out = [
        ("month", key, stored.get(key, ZERO), expected.get(key, ZERO))
        for key in sorted(stored.keys() | expected.keys())
        if stored.get(key, ZERO) != expected.get(key, ZERO)
    ]
    have = set(DuesArrearsSpan.objects.values_list("member_id", "branch_id", "first_month", "last_month"))
    out += [("run", run, run in have, run in runs) for run in sorted(have ^ runs, key=str)]
    return out
