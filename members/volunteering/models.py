"""Volunteer posts (设岗定责), service hours (时间银行), paired households (包联户) and
building / unit heads (楼栋长 / 单元长).

They live with the members because the people in them are members (or residents who volunteer
without being party members, ``Volunteer``); the places they point at (compounds, buildings)
are the organizations app's. Writes go through ``members.volunteering.services``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.scope import ScopedManager

MAX_HOURS_PER_DAY = 24


class PostKind(models.TextChoices):
    LIAISON = "liaison", _("Public sentiment liaison")
    PATROL = "patrol", _("Security patrol")
    CIVILITY = "civility", _("Civility persuasion")
    MEDIATION = "mediation", _("Dispute mediation")
    ASSISTANCE = "assistance", _("Paired assistance")
    FIVE_HEADS = "five_heads", _("Five heads linkage")
    MODEL_POST = "model_post", _("Party member model post")
    OTHER = "other", pgettext_lazy("volunteer post kind", "Other")


class ServiceStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("service record", "Confirmed")
    REVOKED = "revoked", pgettext_lazy("service record", "Confirmation withdrawn")


class HeadKind(models.TextChoices):
    BUILDING = "building_head", _("Building head")
    UNIT = "unit_head", _("Unit head")


class Volunteer(models.Model):
    """A resident who volunteers without being a party member (群众志愿者): a name and a phone
    (stored like a member's: ciphertext, keyed hash, masked form), no login."""

    SCOPE_PATHS = ("branch",)

    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="volunteers",
        limit_choices_to={"kind": "compound_branch"},
    )
    name = models.CharField(_("full name"), max_length=50)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("resident volunteer")
        verbose_name_plural = _("resident volunteers")
        ordering = ("branch_id", "name", "id")

    def __str__(self) -> str:
        return self.name


class HeldByPerson(models.Model):
    """A role held from ``started_on`` to ``ended_on`` (open when null) by one person: a member
    or a resident volunteer, never both."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_roles",
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("resident volunteer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_roles",
    )
    started_on = models.DateField(pgettext_lazy("term of office", "started on"))
    ended_on = models.DateField(pgettext_lazy("term of office", "ended on"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, volunteer__isnull=True)
                | models.Q(member__isnull=True, volunteer__isnull=False),
                name="%(class)s_member_or_volunteer",
            ),
        ]

    @property
    def person_name(self) -> str:
        person = self.member or self.volunteer
        return person.name if person else ""


class VolunteerPost(models.Model):
    """A volunteer post (志愿服务岗) of a branch, optionally for one of its compounds."""

    SCOPE_PATHS = ("organization",)

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="volunteer_posts",
        limit_choices_to={"kind": "compound_branch"},
    )
    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_posts",
    )
    kind = models.CharField(_("post kind"), max_length=20, choices=PostKind.choices)
    name = models.CharField(_("post name"), max_length=100)
    duties = models.TextField(_("duties"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("volunteer post")
        verbose_name_plural = _("volunteer posts")
        ordering = ("organization_id", "kind", "name", "id")

    def __str__(self) -> str:
        return self.name


class PostHolder(HeldByPerson):
    """Who holds a post (定责), from ``started_on`` to ``ended_on``: a member or a resident volunteer."""

    SCOPE_PATHS = ("post__organization",)

    post = models.ForeignKey(
        VolunteerPost, verbose_name=_("volunteer post"), on_delete=models.CASCADE, related_name="holders"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("post holder")
        verbose_name_plural = _("post holders")
        ordering = ("post_id", "started_on", "id")
        constraints = [
            *HeldByPerson.Meta.constraints,
            models.UniqueConstraint(
                fields=["post", "member"],
                condition=models.Q(ended_on__isnull=True, member__isnull=False),
                name="post_holder_member_once",
            ),
            models.UniqueConstraint(
                fields=["post", "volunteer"],
                condition=models.Q(ended_on__isnull=True, volunteer__isnull=False),
                name="post_holder_volunteer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} · {self.person_name}"


class ServiceRecord(models.Model):
    """Service hours on a post (时间银行): recorded by the secretary or staff, confirmed by the
    secretary. Only a confirmed record of a member earns points (one entry, whose source is
    this record); withdrawing the confirmation reverses it with a ledger correction, and a
    corrected record replaces this one (``replaces``)."""

    SCOPE_PATHS = ("post__organization",)

    post = models.ForeignKey(
        VolunteerPost, verbose_name=_("volunteer post"), on_delete=models.PROTECT, related_name="service_records"
    )
    holder = models.ForeignKey(
        PostHolder, verbose_name=_("post holder"), on_delete=models.PROTECT, related_name="service_records"
    )
    served_on = models.DateField(_("service date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    description = models.CharField(_("what was done"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.PENDING, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    revoked_reason = models.CharField(_("reason for withdrawal"), max_length=200, blank=True, editable=False)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="corrected_by",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ("-served_on", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=MAX_HOURS_PER_DAY), name="service_record_hours_in_range"
            ),
        ]
        indexes = [models.Index(fields=["status", "served_on"], name="service_record_status_day")]

    def __str__(self) -> str:
        return f"{self.holder.person_name} {self.served_on} {self.hours}h"


class PairedHousehold(models.Model):
    """A household a 党员中心户 is paired with (包联户): compound, building, unit, room."""

    SCOPE_PATHS = ("member__branch",)

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("central household member"),
        on_delete=models.PROTECT,
        related_name="paired_households",
    )
    compound = models.ForeignKey(
        "organizations.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="+"
    )
    building = models.ForeignKey(
        "organizations.Building",
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    room = models.CharField(_("room"), max_length=20, blank=True)
    household = models.CharField(_("head of household"), max_length=50, blank=True)
    started_on = models.DateField(pgettext_lazy("term of office", "started on"))
    ended_on = models.DateField(pgettext_lazy("term of office", "ended on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("paired household")
        verbose_name_plural = _("paired households")
        ordering = ("member_id", "compound_id", "building_id", "unit", "room")

    def __str__(self) -> str:
        where = " ".join(
            str(p) for p in (self.compound.name, self.building.name if self.building else "", self.unit, self.room) if p
        )
        return where


class BuildingHead(HeldByPerson):
    """楼栋长 (a building) or 单元长 (one unit of it), a party member or a resident volunteer."""

    SCOPE_PATHS = ("building__compound__community",)

    building = models.ForeignKey(
        "organizations.Building", verbose_name=_("building"), on_delete=models.PROTECT, related_name="heads"
    )
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    kind = models.CharField(_("role"), max_length=20, choices=HeadKind.choices)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("building or unit head")
        verbose_name_plural = _("building and unit heads")
        ordering = ("building_id", "kind", "unit")
        constraints = [
            *HeldByPerson.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(kind="building_head", unit="") | (models.Q(kind="unit_head") & ~models.Q(unit="")),
                name="building_head_unit_for_unit_head",
            ),
            models.UniqueConstraint(
                fields=["building"],
                condition=models.Q(ended_on__isnull=True, kind="building_head"),
                name="building_head_one_current",
            ),
            models.UniqueConstraint(
                fields=["building", "unit"],
                condition=models.Q(ended_on__isnull=True, kind="unit_head"),
                name="unit_head_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.get_kind_display()} · {self.person_name}"
