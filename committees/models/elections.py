"""换届 of a compound's self-governance body (业委会 and the others): one election record per term,
with its candidates and their votes; the body of the new term and its seats are made from it
(``committees.elections``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committees.models.bodies import Committee, CommitteeKind, SeatRole
from members.models import ElectionMethod
from organizations.scope import ScopedManager


class CommitteeElection(models.Model):
    """One election of a body: the term number, the date, the method (差额 / 等额), the seats, the
    voters (业主 entitled and taking part), the street's filing date, and the body elected."""

    SCOPE_PATHS = ("compound__community", "compound__branch")

    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        related_name="committee_elections",
    )
    kind = models.CharField(_("kind of body"), max_length=32, choices=CommitteeKind.choices)
    term_number = models.PositiveSmallIntegerField(_("term number"))
    held_on = models.DateField(pgettext_lazy("election", "held on"))
    method = models.CharField(_("election method"), max_length=20, choices=ElectionMethod.choices)
    seats = models.PositiveSmallIntegerField(pgettext_lazy("election", "seats"))
    voters_entitled = models.PositiveIntegerField(_("voters entitled"))
    voters_present = models.PositiveIntegerField(_("voters present"))
    filed_on = models.DateField(_("filed with the street on"), null=True, blank=True)
    committee = models.OneToOneField(
        Committee, verbose_name=_("body elected"), on_delete=models.PROTECT, related_name="election"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("body election")
        verbose_name_plural = _("body elections")
        ordering = ("compound_id", "kind", "-term_number")
        constraints = [
            models.UniqueConstraint(fields=["compound", "kind", "term_number"], name="committee_election_unique_term")
        ]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.get_kind_display()} 第{self.term_number}届"


class CommitteeElectionCandidate(models.Model):
    """A candidate of a body election: the name (and the party member record where there is one),
    the votes received, and the role when elected (blank: not elected)."""

    SCOPE_PATHS = ("election__compound__community", "election__compound__branch")

    election = models.ForeignKey(
        CommitteeElection, verbose_name=_("body election"), on_delete=models.CASCADE, related_name="candidates"
    )
    name = models.CharField(_("candidate"), max_length=50)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("party member record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    votes = models.PositiveIntegerField(_("votes"))
    role = models.CharField(pgettext_lazy("seat", "role"), max_length=20, choices=SeatRole.choices, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ("election_id", "-votes", "id")

    def __str__(self) -> str:
        return f"{self.name} · {self.votes}"
