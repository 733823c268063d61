"""Maintained summaries of organizational life (derived data, rebuilt from the raw rows).

``AttendanceRollup`` holds, per compound branch and calendar month, the attendance (present, at
meetings not archived, by members active now) of the members living in that branch, split as the
organizational-life statistics need it: all of it, at the branch or its groups (residence), and
at the member's home organization or its groups when that is another node (统筹计入). Reading an
already-summed month therefore costs one row per branch, whatever the number of attendance rows.

Maintained only by ``members.rollups`` in the transaction of every write that changes an input
(meetings, attendance, archiving, member status, branch or home organization, a tree move), and
rebuilt or checked by ``manage.py rebuild_rollups`` / ``check_rollups``.

``MemberLife`` holds, per member, when they were last present at a meeting (not archived, of any
organization): 失联 as of today is then a comparison on one row per member instead of a search
through the attendance (``members.organizational_life.lost_contact_q``). Maintained and checked
the same way.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.scope import ScopedManager

__all__ = ["AttendanceRollup", "MemberLife"]


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
