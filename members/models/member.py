"""Party members (党员)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.model_bases import Timestamped
from organizations.scope import ScopedQuerySet

from .national import ConversionStatus, Degree, Education, Ethnicity


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PartyStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class OccupationStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    RETIRED = "retired", _("Retired")
    UNEMPLOYED = "unemployed", _("Unemployed")
    STUDENT = "student", _("Student")
    OTHER = "other", _("Other")


class FloatingStatus(models.TextChoices):
    NONE = "", _("Not floating")
    OUT = "out", _("Floating out")
    IN = "in", _("Floating in")


class MemberStatus(models.TextChoices):
    """The member's standing. 正常 and 预备 are ``active`` with ``party_status`` full / probationary;
    the others end (or suspend) membership and are set only by ``members.transfers.status``."""

    ACTIVE = "active", _("Active")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    DECEASED = "deceased", _("Deceased")
    STOPPED = "stopped", _("Party membership suspended")
    WITHDRAWN = "withdrawn", _("Left the party (withdrawal)")
    REMOVED = "removed", _("Left the party (removal from the rolls)")
    EXPELLED = "expelled", _("Left the party (expulsion)")
    PROBATION_CANCELLED = "prob_cancelled", _("Probationary membership cancelled")


class ManagementMode(models.TextChoices):
    """How the branch manages the member (derived from the member's situation)."""

    TARGET = "target", _("Target-based (in service)")
    POST = "post", _("Post-based (retired / unemployed)")
    TRACKING = "tracking", _("Tracking (floating)")


class MemberQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status=MemberStatus.ACTIVE)


class Member(Timestamped):
    """A party member.

    Two links to the tree (兼合式 "一方隶属, 双方管理"): ``branch`` is the compound branch where
    the member lives and takes part (``group`` optionally, a child of it); ``home_organization``
    is where the organizational relationship (组织关系) sits — the same branch for registered
    members, another node, or only a name (``home_organization_name``) when outside the tree.
    Staff of either side see the member. ID number and phone are stored encrypted with a keyed
    hash for exact lookups and a masked form for display; never in plain text.
    """

    SCOPE_PATHS = ("branch", "home_organization")
    # 一方隶属, 双方管理: when the two links sit in different subtrees, each side changes only its
    # part (docs/security.md): the branch where the member lives keeps residence, contact and
    # local duty; the home organization keeps the identity and the party record.
    # Outside the user's subtree an organization does not show, except by name where a member
    # links to it: staff need to know where the member lives and where the relationship sits.
    SCOPE_OUTSIDE_NAMES = ("branch", "group", "home_organization")
    SCOPE_SIDE_FIELDS = {
        "branch": (
            "group",
            "compound",
            "building",
            "unit",
            "room",
            "phone",
            "employer",
            "job_title",
            "floating_status",
            "floating_to",
            "floating_since",
            "reported_on",
            "note",
            "floating",
            "report",
        ),
        "home_organization": (
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "education",
            "degree",
            "native_place",
            "work_started_on",
            "admission_branch_name",
            "introducer_names",
            "party_number",
            "conversion_status",
            "party_status",
            "admitted_on",
            "full_member_on",
            "probation_extension_months",
            "occupation_status",
            "home_organization",
            "home_organization_name",
            "deceased",
            "transfer_out",
        ),
    }

    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=Ethnicity.choices, default=Ethnicity.HAN)
    native_place = models.CharField(_("native place"), max_length=50, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), blank=True, editable=False)
    # Unique through Meta.constraints, not unique=True: that would add a second, pattern-ops
    # index no query uses (lookups are exact), and every index costs at import time.
    id_number_hash = models.CharField(_("ID number (keyed hash)"), max_length=64, null=True, blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    education = models.CharField(_("education"), max_length=16, choices=Education.choices, blank=True)
    degree = models.CharField(_("degree"), max_length=10, choices=Degree.choices, blank=True, default="")
    party_status = models.CharField(
        _("party status"), max_length=14, choices=PartyStatus.choices, default=PartyStatus.FULL
    )
    admitted_on = models.DateField(_("admitted as probationary member on"), null=True, blank=True)
    full_member_on = models.DateField(_("became full member on"), null=True, blank=True)
    conversion_status = models.CharField(
        _("conversion to full membership"), max_length=10, choices=ConversionStatus.choices, blank=True, default=""
    )
    admission_branch_name = models.CharField(_("branch at admission"), max_length=100, blank=True)
    # The names as recorded (the roster column); ``introducers`` links those who are members here.
    introducer_names = models.CharField(_("introducers"), max_length=100, blank=True)
    introducers = models.ManyToManyField(
        "self", verbose_name=_("introducers in the system"), symmetrical=False, blank=True, related_name="introduced"
    )
    # Optional; unique where given (a partial unique constraint: most records have none yet).
    party_number = models.CharField(_("party member number"), max_length=30, blank=True, default="")
    probation_extension_months = models.PositiveSmallIntegerField(_("probation extended by (months)"), default=0)
    # Derived by the services from admitted_on + 1 year + extension (stored so that the "due
    # within 30 days" and "overdue" lists are one indexed range query).
    probation_due_on = models.DateField(_("probation due on"), null=True, blank=True, editable=False, db_index=True)
    occupation_status = models.CharField(
        _("occupation status"),
        max_length=12,
        choices=OccupationStatus.choices,
        default=OccupationStatus.RETIRED,
    )
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    job_title = models.CharField(_("post at work"), max_length=50, blank=True)
    work_started_on = models.DateField(_("started working on"), null=True, blank=True)
    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("compound branch"),
        on_delete=models.PROTECT,
        related_name="resident_members",
        limit_choices_to={"kind": "compound_branch"},
        db_index=False,
    )
    group = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("building group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
        limit_choices_to={"kind": "building_group"},
        db_index=False,
    )
    home_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("home organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_members",
        help_text=_("Where the organizational relationship sits, when it is in the tree."),
        db_index=False,
    )
    home_organization_name = models.CharField(_("home organization (outside the tree)"), max_length=100, blank=True)
    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        db_index=False,
    )
    building = models.ForeignKey(
        "organizations.Building",
        verbose_name=_("building"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        db_index=False,
    )
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    room = models.CharField(_("room"), max_length=10, blank=True)
    floating_status = models.CharField(
        _("floating"), max_length=4, choices=FloatingStatus.choices, blank=True, default=""
    )
    floating_to = models.CharField(_("floating to / from"), max_length=100, blank=True)
    floating_since = models.DateField(_("floating since"), null=True, blank=True)
    lost_contact = models.BooleanField(_("lost contact"), default=False)
    lost_contact_since = models.DateField(_("lost contact since"), null=True, blank=True)
    reported_on = models.DateField(_("reported to the compound on"), null=True, blank=True)
    # Set by the services on creation and transfer: 失联 counts from here for a member who has
    # attended nothing since (members.compliance.lost_contact_members).
    branch_joined_on = models.DateField(_("joined the branch on"), null=True, blank=True, editable=False)
    management_mode = models.CharField(
        _("management mode"),
        max_length=10,
        choices=ManagementMode.choices,
        default=ManagementMode.POST,
        editable=False,
    )
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = models.Manager.from_queryset(MemberQuerySet)()

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ("branch_id", "name", "id")
        permissions = [
            ("view_sensitive_data", _("Can see ID numbers and phones in full")),
            ("export_member", _("Can export member lists")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                name="member_id_number_hash_unique",
                violation_error_message=_("This ID number is already registered."),
            ),
            models.UniqueConstraint(
                fields=["party_number"],
                condition=~Q(party_number=""),
                name="member_party_number_unique",
                violation_error_message=_("This party member number is already registered."),
            ),
        ]
        # Every index is paid for on each insert (an import of 100,000 rows writes each one
        # 100,000 times), so: the branch index is the leading column of (branch, status); the
        # optional links are indexed only where set (an equality lookup implies NOT NULL, so
        # the partial index serves it); probationary members (a few percent) are listed per
        # branch for 转正, the full members never by party status alone.
        indexes = [
            models.Index(fields=["branch", "status"], name="member_branch_status"),
            models.Index(fields=["phone_hash"], name="member_phone_hash"),
            models.Index(fields=["group"], name="member_group", condition=Q(group__isnull=False)),
            models.Index(
                fields=["home_organization"], name="member_home_org", condition=Q(home_organization__isnull=False)
            ),
            models.Index(fields=["compound"], name="member_compound", condition=Q(compound__isnull=False)),
            models.Index(fields=["building"], name="member_building", condition=Q(building__isnull=False)),
            models.Index(fields=["branch"], name="member_probationary", condition=Q(party_status="probationary")),
        ]

    def __str__(self) -> str:
        return self.name
