"""Party dues (党费) and branch funds (党费返还 and other allocations).

The rates are data: a versioned ``DuesStandard`` with its ``DuesBracket`` rows, installed from
《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号) by migration 0016. The dues
ledger and the branch funds are append-only: a correction is a new (reversing) entry.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.files import RandomName
from organizations.scope import ScopedManager

__all__ = [
    "BranchFund",
    "DuesBase",
    "DuesArrearsReason",
    "DuesBracket",
    "DuesCategory",
    "DuesPayment",
    "DuesStandard",
    "FundAllocation",
    "FundKind",
    "FundSpending",
    "PaymentMethod",
]


class DuesCategory(models.TextChoices):
    IN_SERVICE = "in_service", _("In service (after-tax salary)")
    RETIRED = "retired", _("Retired (pension received)")
    FARMER = "farmer", _("Farmer")
    STUDENT = "student", _("Student")
    HARDSHIP = "hardship", _("Laid-off, unemployed, on relief or minimum allowance")


class DuesStandard(models.Model):
    """One version of the dues rates; the newest one in force on a date applies."""

    SCOPE_PATHS = ()

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    citation = models.CharField(_("citation"), max_length=300)
    effective_from = models.DateField(_("effective from"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("dues standard")
        verbose_name_plural = _("dues standards")
        ordering = ("-effective_from",)

    def __str__(self) -> str:
        return self.name


class DuesBracket(models.Model):
    """One bracket: for a category, income up to and including ``upper_bound`` (none: no upper
    bound) pays ``rate`` of the base, or a fixed monthly amount between ``min_amount`` and
    ``max_amount`` (farmers 0.2–1 yuan). ``exempt_allowed``: the branch may exempt the member."""

    SCOPE_PATHS = ()

    standard = models.ForeignKey(
        DuesStandard, verbose_name=_("dues standard"), on_delete=models.PROTECT, related_name="brackets"
    )
    category = models.CharField(_("category"), max_length=12, choices=DuesCategory.choices)
    upper_bound = models.DecimalField(
        _("upper bound (inclusive)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4, null=True, blank=True)
    min_amount = models.DecimalField(_("minimum monthly amount"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_amount = models.DecimalField(_("maximum monthly amount"), max_digits=8, decimal_places=2, null=True, blank=True)
    exempt_allowed = models.BooleanField(_("may be exempted"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("dues bracket")
        verbose_name_plural = _("dues brackets")
        ordering = ("standard", "category", models.F("upper_bound").asc(nulls_last=True))
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__isnull=False) | models.Q(min_amount__isnull=False),
                name="dues_bracket_rate_or_amount",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ≤ {self.upper_bound or '∞'}"


class DuesBase(models.Model):
    """A member's dues base for a year (or from a change on): category, monthly income base and
    the monthly amount computed from the standard (or more, if the member chooses)."""

    SCOPE_PATHS = ("member__branch",)

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_bases"
    )
    valid_from = models.DateField(_("valid from"))
    category = models.CharField(_("category"), max_length=12, choices=DuesCategory.choices)
    income_base = models.DecimalField(_("monthly income base"), max_digits=12, decimal_places=2, default=0)
    standard = models.ForeignKey(DuesStandard, verbose_name=_("dues standard"), on_delete=models.PROTECT)
    computed_amount = models.DecimalField(_("amount by the standard"), max_digits=10, decimal_places=2)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=10, decimal_places=2)
    exempt = models.BooleanField(_("exempt"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("dues base")
        verbose_name_plural = _("dues bases")
        ordering = ("member", "-valid_from")
        constraints = [
            models.UniqueConstraint(fields=["member", "valid_from"], name="dues_base_member_from"),
            models.CheckConstraint(condition=models.Q(monthly_amount__gte=0), name="dues_base_amount_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.valid_from:%Y-%m} {self.monthly_amount}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    ONLINE = "online", _("Online payment")


class DuesPayment(models.Model):
    """One month's dues in the append-only ledger. A correction is a reversing entry (negative
    amount, ``reverses`` the original); the month is then unpaid again and may be paid anew."""

    SCOPE_PATHS = ("branch",)

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_payments"
    )
    # The branch the member belonged to when paying: the 台账 of a month stays as it was.
    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("compound branch"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("month covered"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ("-month", "-id")
        indexes = [
            models.Index(fields=["member", "month"], name="dues_payment_member_month"),
            models.Index(fields=["branch", "month"], name="dues_payment_branch_month"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m} {self.amount}"


class FundKind(models.TextChoices):
    RETURNED_DUES = "returned_dues", _("Returned party dues")
    START_UP = "start_up", _("Start-up grant")
    PROJECT_SUPPORT = "project_support", _("Project support")


class BranchFund(models.Model):
    """A branch's fund: the row every spending locks (select_for_update) so the balance
    (allocations − spending) is checked and changed one writer at a time."""

    SCOPE_PATHS = ("branch",)

    branch = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("compound branch"),
        on_delete=models.PROTECT,
        related_name="fund",
    )
    balance = models.DecimalField(_("balance"), max_digits=14, decimal_places=2, default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("branch fund")
        verbose_name_plural = _("branch funds")
        constraints = [models.CheckConstraint(condition=models.Q(balance__gte=0), name="branch_fund_nonneg")]

    def __str__(self) -> str:
        return f"{self.branch} {self.balance}"


class FundEntry(models.Model):
    """What money entries of a branch fund share (append-only, scoped by the fund's branch)."""

    SCOPE_PATHS = ("fund__branch",)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    objects = ScopedManager()

    class Meta:
        abstract = True


class FundAllocation(FundEntry):
    """Money the district or a street allocates to a branch (append-only)."""

    fund = models.ForeignKey(
        BranchFund, verbose_name=_("branch fund"), on_delete=models.PROTECT, related_name="allocations"
    )
    allocated_by_org = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("allocated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(pgettext_lazy("fund", "kind"), max_length=16, choices=FundKind.choices)
    allocated_on = models.DateField(_("allocated on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ("-allocated_on", "-id")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="fund_allocation_positive")]

    def __str__(self) -> str:
        return f"{self.fund.branch} +{self.amount}"


class FundSpending(FundEntry):
    """What a branch spent from its fund (append-only), with the receipt; ``source_label`` names
    the caller when a higher app draws on the fund (e.g. a project's 党费返还 funding)."""

    fund = models.ForeignKey(
        BranchFund, verbose_name=_("branch fund"), on_delete=models.PROTECT, related_name="spendings"
    )
    spent_on = models.DateField(_("spent on"))
    purpose = models.CharField(_("purpose"), max_length=200)
    receipt = models.FileField(_("receipt"), upload_to=RandomName("funds/"), blank=True)
    receipt_name = models.CharField(_("original file name"), max_length=200, blank=True)
    receipt_type = models.CharField(_("content type"), max_length=100, blank=True)
    source_label = models.CharField(_("drawn by"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("fund spending")
        verbose_name_plural = _("fund spendings")
        ordering = ("-spent_on", "-id")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="fund_spending_positive")]

    def __str__(self) -> str:
        return f"{self.fund.branch} -{self.amount} {self.purpose}"


class DuesArrearsReason(models.Model):
    """Why a member has not paid (illness, working away…), recorded by the branch: a reason
    noted in the last six months keeps the member off the six-months flag."""

    SCOPE_PATHS = ("member__branch",)

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="dues_arrears_reasons"
    )
    noted_on = models.DateField(_("noted on"))
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("reason for unpaid dues")
        verbose_name_plural = _("reasons for unpaid dues")
        ordering = ("-noted_on",)

    def __str__(self) -> str:
        return f"{self.member} {self.noted_on}: {self.reason}"
