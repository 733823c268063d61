"""Maintained summaries of organizational life (derived data, rebuilt from the raw rows).

``AttendanceRollup`` holds, per compound branch and calendar month, the attendance (present, at
meetings not archived, by members active now) of the members living in that branch, split as the
organizational-life statistics need it: all of it, at the branch or its groups (residence), and
at the member's home organization or its groups when that is another node (统筹计入). Reading an
already-summed month therefore costs one row per branch, whatever the number of attendance rows.

Maintained only by ``members.rollups`` in the transaction of every write that changes an input
(meetings, attendance, archiving, member status, branch or home organization, a tree move), and
rebuilt or checked by ``manage.py rebuild_rollups`` / ``check_rollups``.

``DuesRollup`` and ``DuesArrearsSpan`` summarise the dues ledger the same way (maintained by
``members.dues.rollup``): per branch and month the change of the monthly amount due (so a period
reaching into months nobody has written yet is still exact) and what was paid; per member the
runs of months due and unpaid, for the members in arrears (a count that does not add over months).

``MemberLife`` holds, per member, when they were last present at a meeting (not archived, of any
organization): 失联 as of today is then a comparison on one row per member instead of a search
through the attendance (``members.organizational_life.lost_contact_q``). Maintained and checked
like the attendance rollup.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.scope import ScopedManager

__all__ = ["AttendanceRollup", "DuesArrearsSpan", "DuesRollup", "MemberLife"]


class AttendanceRollup(models.Model):
    SCOPE_PATHS = ("organization",)

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("compound branch"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint leads with it
    )
    month = models.DateField(_("month"))  # the first day of the month (local time)
    life_total = models.IntegerField(_("organizational life attended"), default=0)
    life_at_residence = models.IntegerField(_("at the compound branch"), default=0)
    life_at_home = models.IntegerField(_("at the home organization"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("organizational life summary")
        verbose_name_plural = _("organizational life summaries")
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="attendance_rollup_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.month:%Y-%m}"


class DuesRollup(models.Model):
    """Dues of the active members living in a compound branch, for one month.

    The due side is stored as changes: ``due_amount_change`` / ``due_months_change`` is how much
    the branch's monthly amount due (and its number of members owing a non-zero amount) rises from
    this month on; the amount due in a month is the sum of the changes up to it. The paid side is
    the month's own figures: net payments of months in force, and the months due with one."""

    SCOPE_PATHS = ("branch",)

    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("compound branch"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint leads with it
    )
    month = models.DateField(_("month"))
    due_amount_change = models.DecimalField(
        _("change of the monthly amount due"), max_digits=14, decimal_places=2, default=0
    )
    due_months_change = models.IntegerField(_("change of the members owing dues"), default=0)
    paid_amount = models.DecimalField(_("amount paid"), max_digits=14, decimal_places=2, default=0)
    paid_months = models.IntegerField(_("member-months paid"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("party dues summary")
        verbose_name_plural = _("party dues summaries")
        constraints = [models.UniqueConstraint(fields=["branch", "month"], name="dues_rollup_once_per_month")]

    def __str__(self) -> str:
        return f"{self.branch_id} · {self.month:%Y-%m}"


class DuesArrearsSpan(models.Model):
    """A run of consecutive months an active member owes and has not paid (``last_month`` empty:
    every month from ``first_month`` on, as long as nothing is paid). The member is in arrears in
    a period when one of their runs overlaps it."""

    SCOPE_PATHS = ("branch",)

    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("compound branch"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the index below leads with it
    )
    first_month = models.DateField(_("first month unpaid"))
    last_month = models.DateField(_("last month unpaid"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("run of unpaid dues")
        verbose_name_plural = _("runs of unpaid dues")
        indexes = [
            # Covers the arrears count: branch, then the overlap test, then the member counted.
            models.Index(fields=["branch", "first_month", "last_month", "member"], name="dues_span_branch_first")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.first_month:%Y-%m}–{self.last_month or ''}"


class MemberLife(models.Model):
    """When a member was last present at a meeting that is not archived (any organization); no
    row, or an empty date, when never. Derived from the attendance by ``members.rollups``."""

    SCOPE_PATHS = ("member__branch", "member__home_organization")

    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("party member"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="life",
    )
    last_present_at = models.DateTimeField(_("last present at a meeting"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("organizational life of a member")
        verbose_name_plural = _("organizational life of members")

    def __str__(self) -> str:
        return f"{self.member_id} · {self.last_present_at or '-'}"
