"""Serving residents: joint-build activities (共建活动), micro-wishes (微心愿) and resident
requests (群众点单 → 支部派单 → 党员接单, 三事分流, disputes 矛盾纠纷)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.files import RandomName, validate_photo
from organizations.scope import ScopedManager
from projects.models.partners import Category


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    PERFORMANCE = "performance", _("Performance")
    VOLUNTEER = "volunteer", _("Volunteer service")
    CLINIC = "clinic", _("Free clinic")
    LECTURE = "lecture", _("Lecture")
    LEGAL_AID = "legal_aid", _("Legal aid")
    OTHER = "other", _("Other")


class Activity(models.Model):
    """A dated joint-build activity with partners and participant counts."""

    SCOPE_PATHS = ("organizer", "compound__branch")

    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("activity kind"), max_length=12, choices=ActivityKind.choices)
    held_on = models.DateField(_("held on"))
    organizer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organizing branch"),
        on_delete=models.PROTECT,
        related_name="joint_activities",
    )
    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joint_activities",
    )
    partners = models.ManyToManyField(
        "projects.PartnerUnit", verbose_name=_("partner units"), blank=True, related_name="activities"
    )
    place = models.CharField(_("place"), max_length=150, blank=True)
    member_participants = models.PositiveIntegerField(_("party members taking part"), default=0)
    resident_participants = models.PositiveIntegerField(_("residents taking part"), default=0)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("joint-build activity")
        verbose_name_plural = _("joint-build activities")
        ordering = ("-held_on", "id")
        indexes = [models.Index(fields=["held_on"], name="activity_held_on")]

    def __str__(self) -> str:
        return self.title


class WishStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    CLAIMED = "claimed", _("Claimed")
    FULFILLED = "fulfilled", _("Fulfilled")


class MicroWish(models.Model):
    """A resident's micro-wish (微心愿) published by the community, claimed once by an
    in-service member and fulfilled (fulfilment is what earns points). The resident's name is
    stored for the community and shown masked everywhere else."""

    SCOPE_PATHS = ("community", "compound__branch")

    community = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="micro_wishes",
        limit_choices_to={"kind": "community_committee"},
    )
    compound = models.ForeignKey(
        "organizations.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="micro_wishes"
    )
    resident_name = models.CharField(_("resident"), max_length=50)
    content = models.TextField(_("wish"))
    status = models.CharField(_("status"), max_length=10, choices=WishStatus.choices, default=WishStatus.PUBLISHED)
    published_on = models.DateField(_("published on"))
    claimed_by = models.ForeignKey(
        "members.Member",
        verbose_name=_("claimed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_wishes",
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    fulfilment_note = models.TextField(_("fulfilment note"), blank=True)
    fulfilment_photo = models.FileField(
        _("fulfilment photo"), upload_to=RandomName("projects/wishes/"), blank=True, validators=[validate_photo]
    )
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ("-published_on", "id")
        indexes = [models.Index(fields=["status", "fulfilled_at"], name="wish_status_fulfilled")]

    def __str__(self) -> str:
        return self.content[:30]


class RequestKind(models.TextChoices):
    REQUEST = "request", _("Request")
    DISPUTE = "dispute", _("Dispute")


class Triage(models.TextChoices):
    """三事分流."""

    MAJOR = "major", _("Major matter (government department)")
    MINOR = "minor", _("Minor matter (community or branch)")
    PRIVATE = "private", _("Private matter (residents themselves)")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    TRIAGED = "triaged", _("Triaged")
    DISPATCHED = "dispatched", _("Dispatched")
    RESOLVED = "resolved", _("Resolved")
    RATED = "rated", _("Rated")


class DisputeLevel(models.TextChoices):
    GENERAL = "general", _("General dispute")
    SERIOUS = "serious", _("Serious dispute")
    MAJOR = "major", _("Major dispute")


class MediationOutcome(models.TextChoices):
    NONE = "", _("Not mediated yet")
    RECONCILED = "reconciled", _("Reconciled")
    COMPENSATION_AGREED = "compensation_agreed", _("Compensation agreed")
    REFERRED = "referred", _("Referred to another body")
    FAILED = "failed", _("Mediation failed")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class ResidentRequest(models.Model):
    """A resident's request (群众点单) or dispute (矛盾纠纷): triaged by 三事分流, dispatched by
    the branch (支部派单) to a member or an organization inside the compound's community with a
    due date (党员接单), or to a government department for a major matter; resolved; rated by
    the resident only after resolution."""

    SCOPE_PATHS = ("compound__community", "compound__branch")
    # Who handles the request and how it ended: set by the dispatch and resolve steps only, read
    # in the admin and the API alike.
    HANDLING_FIELDS = (
        "assigned_member",
        "assigned_organization",
        "department",
        "dispatched_on",
        "due_on",
        "resolved_on",
        "resolution",
    )

    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        related_name="resident_requests",
    )
    kind = models.CharField(_("request kind"), max_length=8, choices=RequestKind.choices, default=RequestKind.REQUEST)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    description = models.TextField(_("description"))
    resident_name = models.CharField(_("resident"), max_length=50)
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    triage = models.CharField(_("triage"), max_length=8, choices=Triage.choices, blank=True)
    dispute_level = models.CharField(_("dispute level"), max_length=8, choices=DisputeLevel.choices, blank=True)
    mediation_outcome = models.CharField(
        _("mediation outcome"), max_length=20, choices=MediationOutcome.choices, blank=True, default=""
    )
    assigned_member = models.ForeignKey(
        "members.Member",
        verbose_name=_("assigned member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_requests",
    )
    assigned_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("assigned organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_requests",
    )
    department = models.CharField(_("government department"), max_length=100, blank=True)
    dispatched_on = models.DateField(_("dispatched on"), null=True, blank=True)
    due_on = models.DateField(pgettext_lazy("request", "due on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(pgettext_lazy("request outcome", "resolution"), blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rated_on = models.DateField(_("rated on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Placed by the resident on the compound's public page (projects.residents): the contact
    # phone is encrypted with a keyed hash (rate limit per phone) and a masked form for display;
    # the tracking link's token is stored only as its SHA-256.
    building_unit = models.CharField(_("building / unit"), max_length=50, blank=True)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("contact phone"), max_length=20, blank=True, editable=False)
    photo = models.FileField(
        _("photo"), upload_to=RandomName("projects/requests/"), blank=True, validators=[validate_photo]
    )
    tracking_hash = models.CharField(
        _("tracking token (hash)"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    score = models.PositiveSmallIntegerField(_("score (1–5)"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    spam = models.BooleanField(_("marked as spam"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("resident request")
        verbose_name_plural = _("resident requests")
        ordering = ("-received_on", "id")
        indexes = [models.Index(fields=["received_on"], name="request_received_on")]

    def __str__(self) -> str:
        return f"{self.compound.name}：{self.description[:20]}"
