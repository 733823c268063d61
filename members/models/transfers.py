"""组织关系转接 (transfers of the organizational relationship), 流动党员 records and the history
of status changes. Written only by ``members.transfers.services`` / ``members.transfers.status``."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models.records import RecordedEntry
from organizations.scope import ScopedManager


class TransferKind(models.TextChoices):
    WITHIN = "within", _("Within the district")
    OUT = "out", _("Out of the system")
    IN = "in", _("In from outside")


class TransferState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("transfer state", "Draft")
    ISSUED = "issued", _("Letter issued")
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned")
    EXPIRED = "expired", _("Expired")


OPEN_TRANSFER_STATES = (TransferState.DRAFT, TransferState.ISSUED)


class Transfer(RecordedEntry):
    """One 介绍信 of the organizational relationship.

    ``within``: from ``from_branch`` to ``to_organization`` in the tree; the member moves only when
    the receiving side accepts. ``out``: to an organization outside the tree by name; the 回执 is
    recorded when it comes back. ``in``: a letter from outside (``from_name``) to ``to_organization``;
    receiving it creates or re-activates the member. One open (draft / issued) transfer per member.
    """

    SCOPE_PATHS = ("from_branch", "to_organization")
    # Each side drives its own steps of a letter between subtrees: the sender issues, records
    # the receipt or withdraws; the receiver accepts or returns (API action names).
    SCOPE_SIDE_FIELDS = {
        "from_branch": ("issue", "receipt", "return_letter"),
        "to_organization": ("accept", "return_letter"),
    }

    kind = models.CharField(_("kind"), max_length=8, choices=TransferKind.choices)
    state = models.CharField(_("state"), max_length=10, choices=TransferState.choices, default=TransferState.DRAFT)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
    )
    # For an inbound letter before the member exists: the name on the letter.
    member_name = models.CharField(_("name on the letter"), max_length=50, blank=True)
    from_branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("from organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    from_name = models.CharField(_("from organization (outside the tree)"), max_length=100, blank=True)
    to_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("to organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    to_name = models.CharField(_("to organization (outside the tree)"), max_length=100, blank=True)
    letter_number = models.CharField(_("letter number"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("organizational relationship transfer")
        verbose_name_plural = _("organizational relationship transfers")
        ordering = ("-created_at", "-id")
        constraints = [
            # The service checks first (a Chinese message); this is the guarantee under races.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=["draft", "issued"], member__isnull=False),
                name="transfer_one_open_per_member",
                violation_error_message=_("The member already has an open transfer."),
            ),
        ]
        indexes = [
            models.Index(fields=["from_branch", "state"], name="transfer_from_state"),
            models.Index(fields=["to_organization", "state"], name="transfer_to_state"),
        ]

    def __str__(self) -> str:
        who = self.member.name if self.member_id else self.member_name
        return f"{who} · {self.get_kind_display()} · {self.get_state_display()}"


class FloatingDirection(models.TextChoices):
    OUT = "out", _("Floating out")
    IN = "in", _("Floating in")


class FloatingRecord(models.Model):
    """流动党员: a member of ours living elsewhere (``out``), or a member of another place living
    here and recorded by a compound branch (``in``). Closed by the return (``returned_on``)."""

    SCOPE_PATHS = ("branch", "destination_organization")
    # The recording branch keeps the record; the destination's organization only reads it.
    SCOPE_SIDE_FIELDS = {"branch": ("contacted", "return_home")}

    direction = models.CharField(_("direction"), max_length=4, choices=FloatingDirection.choices)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="floating_records",
    )
    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("recording branch"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    place = models.CharField(_("floating to / from"), max_length=100)
    since = models.DateField(_("floating since"))
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    certificate_number = models.CharField(_("floating member certificate number"), max_length=40, blank=True)
    destination_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization at the destination"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    destination_name = models.CharField(_("organization at the destination (name)"), max_length=100, blank=True)
    last_contacted_on = models.DateField(_("last contacted on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("floating member record")
        verbose_name_plural = _("floating member records")
        ordering = ("-since", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(returned_on__isnull=True),
                name="floating_one_open_per_member",
                violation_error_message=_("The member already has an open floating record."),
            ),
        ]
        indexes = [models.Index(fields=["branch", "returned_on"], name="floating_branch_open")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_direction_display()} · {self.place}"


class MemberStatusChange(RecordedEntry):
    """One change of a member's standing (停止党籍, 出党, 死亡, ...): from, to, date, reason and the
    body that decided. Append-only: the history of a member's standing is never rewritten."""

    SCOPE_PATHS = ("member__branch", "member__home_organization")

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from status"), max_length=16)
    to_status = models.CharField(_("to status"), max_length=16)
    occurred_on = models.DateField(_("occurred on"))
    reason = models.CharField(_("reason"), max_length=200)
    decided_by = models.CharField(_("decided by"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("member status change")
        verbose_name_plural = _("member status changes")
        ordering = ("member_id", "-occurred_on", "-id")

    def __str__(self) -> str:
        return f"{self.member_id} · {self.from_status} → {self.to_status} · {self.occurred_on}"
