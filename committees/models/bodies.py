"""Self-governance bodies of a compound (业委会, 物管会, 自治小组, 监督小组, 议事会), their seats,
and candidate vetting against the negative list (负面清单)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.model_bases import Timestamped
from organizations.scope import ScopedManager, ScopedQuerySet, scope_node_for, user_sees_everything


class CommitteeKind(models.TextChoices):
    OWNERS = "owners_committee", _("Owners' committee")
    PROPERTY_MANAGEMENT = "property_management_committee", _("Property management committee")
    SELF_GOVERNANCE = "self_governance_group", _("Residents' self-governance group")
    SUPERVISION = "supervision_group", _("Supervision group")
    DELIBERATION = "deliberation_council", _("Deliberation council")


class CommitteeStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", pgettext_lazy("body status", "Active")
    EXPIRED = "expired", _("Term expired")
    DISSOLVED = "dissolved", pgettext_lazy("body status", "Dissolved")


# A body "exists" (counts as formed) once elected and until dissolved; an expired one still
# exists and is waiting for its re-election (换届).
FORMED_STATUSES = (CommitteeStatus.ACTIVE, CommitteeStatus.EXPIRED)


class Committee(Timestamped):
    """A self-governance body of a compound for one term (届).

    The owners' committee (业委会) is the body whose formation rate is reported among
    property-managed compounds. At most one body of a kind per compound is active at a time
    (checked by ``committees.services.committee_save`` and by a partial unique constraint).
    """

    SCOPE_PATHS = ("compound__community", "compound__branch")  # community staff; branch secretaries

    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        related_name="committees",
    )
    kind = models.CharField(_("kind of body"), max_length=32, choices=CommitteeKind.choices)
    term_number = models.PositiveSmallIntegerField(_("term number"), default=1)
    elected_on = models.DateField(_("election date"), null=True, blank=True)
    term_ends_on = models.DateField(_("term end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CommitteeStatus.choices, default=CommitteeStatus.FORMING
    )
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("self-governance body")
        verbose_name_plural = _("self-governance bodies")
        ordering = ("compound_id", "kind", "-term_number")
        constraints = [
            models.UniqueConstraint(fields=["compound", "kind", "term_number"], name="committee_unique_term"),
            models.CheckConstraint(
                condition=models.Q(term_ends_on__isnull=True)
                | models.Q(elected_on__isnull=True)
                | models.Q(term_ends_on__gt=models.F("elected_on")),
                name="committee_term_after_election",
                violation_error_message=_("The term end must be after the election date."),
            ),
            # One active body of a kind per compound, also under concurrent writes.
            models.UniqueConstraint(
                fields=["compound", "kind"],
                condition=models.Q(status="active"),
                name="committee_one_active_per_kind",
                violation_error_message=_("The compound already has an active body of this kind."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"], name="committee_kind_status")]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.get_kind_display()} 第{self.term_number}届"


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    MEMBER = "member", _("Member")
    EXECUTIVE_SECRETARY = "executive_secretary", _("Executive secretary")


class Seat(models.Model):
    """A seat of a body held by a person from ``started_on`` to ``ended_on`` (open when null).

    ``member`` links the holder's party member record; it must belong to the compound's
    community subtree. ``is_party_member`` is also true for party members recorded by name
    only (their member record sits outside the tree).
    """

    SCOPE_PATHS = ("committee__compound__community", "committee__compound__branch")

    committee = models.ForeignKey(Committee, verbose_name=_("body"), on_delete=models.CASCADE, related_name="seats")
    role = models.CharField(
        pgettext_lazy("seat", "role"), max_length=20, choices=SeatRole.choices, default=SeatRole.MEMBER
    )
    holder_name = models.CharField(_("holder"), max_length=50)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("party member record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_seats",
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    started_on = models.DateField(pgettext_lazy("term of office", "started on"))
    ended_on = models.DateField(pgettext_lazy("term of office", "ended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        ordering = ("committee_id", "role", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="seat_dates_in_order",
                violation_error_message=_("The seat ends before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.get_role_display()}"


class ReferenceQuerySet(ScopedQuerySet):
    """Reference data every staff user reads (the district's negative list)."""

    def for_user(self, user):
        if user_sees_everything(user) or scope_node_for(user) is not None:
            return self.all()
        return self.none()

    def in_subtree(self, node):
        return self.all()


class NegativeListItem(models.Model):
    """One reason on the negative list (负面清单) that bars a candidate from an owners'
    committee (e.g. owes property fees, has a criminal record). Reference data of the whole
    district: every staff user reads it; staff with the change permission edit it."""

    SCOPE_PATHS = ()  # reference data, the same for every subtree (see ReferenceQuerySet)

    code = models.CharField(_("code"), max_length=20, unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    legal_basis = models.CharField(_("basis"), max_length=200, blank=True)
    active = models.BooleanField(_("in force"), default=True)

    objects = models.Manager.from_queryset(ReferenceQuerySet)()

    class Meta:
        verbose_name = _("negative list item")
        verbose_name_plural = _("negative list")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.reason}"


class CandidateCheck(models.Model):
    """The recorded result of checking a candidate for a body against the negative list."""

    SCOPE_PATHS = ("compound__community", "compound__branch")  # community staff; branch secretaries

    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        related_name="candidate_checks",
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("body"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate_checks",
    )
    candidate_name = models.CharField(_("candidate"), max_length=50)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("party member record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate_checks",
    )
    matched_items = models.ManyToManyField(NegativeListItem, verbose_name=_("matched negative list items"), blank=True)
    passed = models.BooleanField(pgettext_lazy("qualification check", "passed"), default=True)
    checked_on = models.DateField(_("checked on"))
    checked_by = models.CharField(_("checked by"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("candidate check")
        verbose_name_plural = _("candidate checks")
        ordering = ("-checked_on", "id")

    def __str__(self) -> str:
        return f"{self.candidate_name} ({self.checked_on})"
