"""换届选举 (branch elections with term history) and 民主评议党员 (yearly appraisal) models."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.scope import ScopedManager


class ElectionMethod(models.TextChoices):
    COMPETITIVE = "competitive", _("Competitive (more candidates than seats)")
    NON_COMPETITIVE = "non_competitive", _("Non-competitive (as many candidates as seats)")


class Election(models.Model):
    """One 换届选举 of a branch: the term number, the votes, and the term end derived from the
    organization kind's allowed term lengths (organizations.terms)."""

    SCOPE_PATHS = ("organization",)

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="elections"
    )
    term_number = models.PositiveIntegerField(_("term number"))
    held_on = models.DateField(pgettext_lazy("election", "held on"))
    method = models.CharField(_("election method"), max_length=20, choices=ElectionMethod.choices)
    seats = models.PositiveIntegerField(pgettext_lazy("election", "seats"))
    voters_entitled = models.PositiveIntegerField(_("voters entitled"))
    voters_present = models.PositiveIntegerField(_("voters present"))
    approved_on = models.DateField(_("approved by the higher committee on"), null=True, blank=True)
    term_ends_on = models.DateField(_("term ends on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ("organization_id", "-held_on")
        constraints = [
            models.UniqueConstraint(fields=("organization", "term_number"), name="election_term_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} #{self.term_number}"


class ElectionCandidate(models.Model):
    """A candidate of an election with the votes received and, if elected, the post."""

    SCOPE_PATHS = ("election__organization",)

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="candidates"
    )
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT)
    votes = models.PositiveIntegerField(_("votes"))
    elected = models.BooleanField(_("elected"), default=False)
    post = models.CharField(_("post"), max_length=20, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=("election", "member"), name="candidate_unique")]

    def __str__(self) -> str:
        return f"{self.election} {self.member}"


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASIC = "basic", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class AppraisalFollowUp(models.TextChoices):
    CORRECT = "correct", _("Correct within a time limit")
    PERSUADE = "persuade", _("Persuade to withdraw")
    EXPEL = "expel", _("Remove from the party")


class AppraisalSession(models.Model):
    """民主评议党员 of a branch for one year, linked to its 民主评议 meeting if one exists."""

    SCOPE_PATHS = ("organization",)

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    year = models.PositiveIntegerField(_("year"))
    held_on = models.DateField(pgettext_lazy("appraisal", "held on"))
    meeting = models.ForeignKey(
        "members.Meeting", verbose_name=_("meeting"), on_delete=models.SET_NULL, null=True, blank=True
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("appraisal session")
        verbose_name_plural = _("appraisal sessions")
        ordering = ("organization_id", "-year")
        constraints = [models.UniqueConstraint(fields=("organization", "year"), name="appraisal_year_unique")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class AppraisalResult(models.Model):
    """A member's grade in an appraisal session; 不合格 carries the follow-up and its dates."""

    SCOPE_PATHS = ("session__organization",)

    session = models.ForeignKey(
        AppraisalSession, verbose_name=_("appraisal session"), on_delete=models.CASCADE, related_name="results"
    )
    member = models.ForeignKey("members.Member", verbose_name=_("member"), on_delete=models.PROTECT)
    grade = models.CharField(_("grade"), max_length=20, choices=AppraisalGrade.choices)
    follow_up = models.CharField(_("follow-up"), max_length=20, choices=AppraisalFollowUp.choices, blank=True)
    follow_up_on = models.DateField(_("follow-up decided on"), null=True, blank=True)
    follow_up_due = models.DateField(_("correct by"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("appraisal result")
        verbose_name_plural = _("appraisal results")
        constraints = [models.UniqueConstraint(fields=("session", "member"), name="appraisal_result_unique")]

    def __str__(self) -> str:
        return f"{self.session} {self.member}"
