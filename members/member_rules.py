"""The rules of one member, pure Python over loaded objects (no query), so the services and
the importer apply exactly the same rules to one row or to 100,000: required fields and links,
dates in order, probation (党章 第七条), management mode, and the encrypted personal data."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from members import crypto
from members.models import ConversionStatus, FloatingStatus, ManagementMode, Member, OccupationStatus, PartyStatus
from organizations.models import Organization, OrganizationKind


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def probation_due_date(admitted_on: datetime.date | None, extension_months: int = 0) -> datetime.date | None:
    """党章 第七条: probation is one year from admission; it may be extended once by 6–12 months."""
    if admitted_on is None:
        return None
    return add_months(admitted_on, 12 + (extension_months or 0))


def management_mode_for(member: Member) -> str:
    """目标式 for in-service members, 跟踪式 for floating ones, 设岗式 for the others."""
    if member.floating_status:
        return ManagementMode.TRACKING
    if member.occupation_status in (OccupationStatus.IN_SERVICE,):
        return ManagementMode.TARGET
    return ManagementMode.POST


def set_member_pii(member: Member, *, id_number: str | None = None, phone: str | None = None) -> None:
    """Validate and store ID number / phone as ciphertext + keyed hash + masked form (no
    plain-text column exists). ``None`` leaves a value unchanged, ``""`` clears it."""
    errors: dict[str, list[str]] = {}
    if id_number is not None:
        value = crypto.normalize_id_number(id_number)
        if not value:
            member.id_number_encrypted, member.id_number_hash, member.id_number_masked = "", None, ""
        else:
            problems = crypto.id_number_errors(value, member.birth_date)
            if problems:
                errors["id_number"] = problems
            else:
                if member.birth_date is None:
                    member.birth_date = crypto.id_birth_date(value)
                if not member.gender:
                    member.gender = crypto.id_gender(value)
                member.id_number_encrypted = crypto.encrypt(value)
                member.id_number_hash = crypto.keyed_hash(value)
                member.id_number_masked = crypto.mask_id_number(value)
    if phone is not None:
        value = crypto.normalize_phone(phone)
        if not value:
            member.phone_encrypted, member.phone_hash, member.phone_masked = "", "", ""
        elif not crypto.MOBILE_RE.match(value):
            errors["phone"] = [_("Enter a valid mobile phone number (11 digits starting with 1).")]
        else:
            member.phone_encrypted = crypto.encrypt(value)
            member.phone_hash = crypto.keyed_hash(value)
            member.phone_masked = crypto.mask_phone(value)
    if errors:
        raise ValidationError(errors)


def _link_errors(member: Member, branch, group, add) -> None:
    """The name, and the branch / group links."""
    if not (member.name or "").strip():
        add("name", _("This field is required."))
    if branch is None:
        add("branch", _("This field is required."))
    elif branch.kind != OrganizationKind.BRANCH:
        add("branch", _("“%(name)s” is not a compound branch.") % {"name": branch.name})
    if group is not None:
        if group.kind != OrganizationKind.GROUP:
            add("group", _("“%(name)s” is not a building group.") % {"name": group.name})
        elif branch is not None and group.parent_id != branch.pk:
            add(
                "group",
                _("The building group “%(group)s” is not under the branch “%(branch)s”.")
                % {"group": group.name, "branch": branch.name},
            )


def _date_and_probation_errors(member: Member, add) -> None:
    """Dates in order; probation (党章 第七条: one year, one extension of 6 to 12 months); fills
    the due date."""
    if member.admitted_on and member.full_member_on and member.full_member_on < member.admitted_on:
        add("full_member_on", _("The full-member date is before the admission date."))
    if member.birth_date and member.admitted_on and member.admitted_on <= member.birth_date:
        add("admitted_on", _("The admission date is before the birth date."))
    ext = member.probation_extension_months or 0
    if ext and not 6 <= ext <= 12:
        add("probation_extension_months", _("Probation can be extended once, by 6 to 12 months."))
    if member.party_status == PartyStatus.PROBATIONARY:
        if member.full_member_on:
            add("full_member_on", _("A probationary member has no full-member date."))
        if member.conversion_status:
            add("conversion_status", _("A probationary member has not been converted yet."))
        member.probation_due_on = probation_due_date(member.admitted_on, ext)
    else:
        # A full member keeps the extension of their probation as its record (转正情况).
        member.probation_due_on = None
        _conversion_errors(member, ext, add)


def _conversion_errors(member: Member, ext: int, add) -> None:
    """转正情况 of a full member, derived from the probation record where it says something: an
    extension means 延长预备期后转正; a full-member date without one means 按期."""
    if not member.conversion_status:
        if ext:
            member.conversion_status = ConversionStatus.EXTENDED
        elif member.full_member_on:
            member.conversion_status = ConversionStatus.ON_TIME
    elif ext and member.conversion_status == ConversionStatus.ON_TIME:
        add("conversion_status", _("The probation was extended: the conversion was not on time."))


def member_rule_errors(
    member: Member, *, branch: Organization | None, group: Organization | None, home_organization: Organization | None
) -> dict[str, list[str]]:
    """Every rule of one member that needs no query (the related nodes are passed in).
    Also fills the derived fields (management mode, probation due date, default home)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    _link_errors(member, branch, group, add)
    if home_organization is not None and member.home_organization_name:
        add(
            "home_organization_name",
            _("Give the home organization either as a node of the tree or as a name, not both."),
        )
    if home_organization is None and not member.home_organization_name and branch is not None:
        member.home_organization_id = branch.pk  # registered in the compound branch itself
    _date_and_probation_errors(member, add)
    if member.floating_status not in ("", FloatingStatus.OUT, FloatingStatus.IN):
        add("floating_status", _("Unknown floating status."))
    if member.reported_on and member.occupation_status != OccupationStatus.IN_SERVICE:
        add("reported_on", _("Only in-service members report to their compound."))
    member.management_mode = management_mode_for(member)
    return errors


def party_status_change_errors(
    before: Member, *, months: int | None, status: str | None, full_member_on=None
) -> dict[str, list[str]]:
    """The rules of a change to the probation or the party status of a stored member: one
    extension only, never changed or undone (党章 第七条); 转正 only, never back to probationary."""
    errors: dict[str, list[str]] = {}
    if months is not None and months != before.probation_extension_months and before.probation_extension_months:
        errors["probation_extension_months"] = [
            _("The probation was already extended once; the extension cannot be changed or undone.")
        ]
    if status is not None and status != before.party_status and status != PartyStatus.FULL:
        errors["party_status"] = [_("A full member cannot become a probationary member again.")]
    if (status or before.party_status) == PartyStatus.PROBATIONARY and full_member_on:
        errors["full_member_on"] = [_("A probationary member has no full-member date.")]
    return errors
