"""Candidates for party membership (申请人) and their dated step log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.model_bases import Timestamped
from members.models.member import Education, Gender
from organizations.scope import ScopedQuerySet


class Stage(models.TextChoices):
    """The five stages of 《发展党员工作细则》."""

    APPLICANT = "applicant", _("Applicant for party membership")
    ACTIVIST = "activist", _("Activist")
    TARGET = "target", _("Development target")
    PROBATIONARY = "probationary", pgettext_lazy("development stage", "Probationary member")
    FULL = "full", pgettext_lazy("development stage", "Full member")


class Candidate(Timestamped):
    """An applicant for party membership, not yet a member (申请人).

    ``stage``, ``next_step`` and ``next_due_on`` are kept by the services from the step log (stored
    so that the pipeline list, its filters and the reminders are one indexed query). ID number and
    phone are stored exactly like a member's: ciphertext, keyed hash, masked form. ``member`` is
    set once the higher committee approved the admission (the member record made from this one).
    """

    SCOPE_PATHS = ("branch",)

    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), blank=True, editable=False)
    id_number_hash = models.CharField(_("ID number (keyed hash)"), max_length=64, null=True, blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    employer = models.CharField(_("work unit"), max_length=100, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, blank=True)
    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("receiving branch"),
        on_delete=models.PROTECT,
        related_name="candidates",
        limit_choices_to={"kind": "compound_branch"},
    )
    applied_on = models.DateField(_("applied on"))
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices, default=Stage.APPLICANT, editable=False)
    next_step = models.CharField(_("next step"), max_length=24, blank=True, editable=False)
    next_due_on = models.DateField(_("next step due on"), null=True, blank=True, editable=False)
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("member record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="candidacy",
    )

    objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("candidate for membership")
        verbose_name_plural = _("candidates for membership")
        ordering = ("branch_id", "applied_on", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                name="candidate_id_number_hash_unique",
                violation_error_message=_("This ID number is already registered."),
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "stage"], name="candidate_branch_stage"),
            models.Index(fields=["next_due_on"], name="candidate_next_due"),
        ]

    def __str__(self) -> str:
        return self.name


class CandidateStep(models.Model):
    """One dated step of a candidate's development (an entry of the step log). Written only by
    ``members.development.services.step_record``; never edited (a wrong entry is a new one)."""

    SCOPE_PATHS = ("candidate__branch",)

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="steps"
    )
    code = models.CharField(_("step"), max_length=24)
    on = models.DateField(_("date"))
    people = models.ManyToManyField(
        "members.Member",
        verbose_name=_("people"),
        blank=True,
        related_name="candidate_steps",
        help_text=_("Contacts (培养联系人) or sponsors (入党介绍人)."),
    )
    meeting = models.ForeignKey(
        "members.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidate_steps",
    )
    resolution = models.ForeignKey(
        "members.MeetingResolution",
        verbose_name=_("resolution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidate_steps",
    )
    publicity_from = models.DateField(_("publicity from"), null=True, blank=True)
    hours = models.DecimalField(_("training hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    document = models.CharField(_("document"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = _("development step")
        verbose_name_plural = _("development steps")
        ordering = ("candidate_id", "on", "id")

    def __str__(self) -> str:
        from members.development.steps import STEPS

        step = STEPS.get(self.code)
        return f"{step.label if step else self.code} {self.on}"
