"""Rules of 设岗定责 / 时间银行 (the API, admin and phone pages call these).

- A post belongs to a compound branch and, optionally, to one of the compounds it covers.
- A post is held by a member living in that branch or by a resident volunteer of the branch,
  each at most once at a time.
- A service record is a day's hours (more than 0, at most 24 per person and day over all posts)
  on a post the person held that day. It is recorded as pending and confirmed by the secretary
  (a user who may change service records in the branch); only a confirmed record of a member
  earns points, once (``members.points.award_events``: the entry's source is the record).
- Withdrawing a confirmation reverses the points with the ledger's own correction (a manual
  entry of the opposite sign, with its reason and author); correcting a confirmed record
  withdraws it and records the corrected one, pending again.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.auth.accounts import recorded_user
from core.plausibility import plausible_date
from members.member_rules import set_member_pii
from members.models import Member, MemberStatus, PointsEntry, PointsKind, PositionKind
from members.points import award_events, points_adjust
from members.volunteering.models import (
    MAX_HOURS_PER_DAY,
    BuildingHead,
    HeadKind,
    PairedHousehold,
    PostHolder,
    PostKind,
    ServiceRecord,
    ServiceStatus,
    Volunteer,
    VolunteerPost,
)
from organizations.models import OrganizationKind


def _branch_error(organization) -> str | None:
    if organization is None:
        return _("This field is required.")
    if organization.kind != OrganizationKind.BRANCH:
        return _("“%(name)s” is not a compound branch.") % {"name": organization.name}
    return None


def volunteer_save(
    *, volunteer: Volunteer | None = None, branch=None, name: str = "", phone: str | None = None
) -> Volunteer:
    """Register (or edit) a resident volunteer: a name and a mobile phone (encrypted at rest)."""
    volunteer = volunteer or Volunteer()
    if branch is not None:
        volunteer.branch = branch
    volunteer.name = (name or volunteer.name or "").strip()
    errors: dict[str, list[str]] = {}
    if not volunteer.name:
        errors["name"] = [_("This field is required.")]
    problem = _branch_error(volunteer.branch if volunteer.branch_id else None)
    if problem:
        errors["branch"] = [problem]
    if phone is not None and not phone.strip() and not volunteer.phone_hash:
        errors["phone"] = [_("This field is required.")]
    try:
        set_member_pii(volunteer, phone=phone)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    volunteer.save()
    return volunteer


def post_check(post: VolunteerPost) -> None:
    """A post of a compound branch, for a compound that branch covers, with a known kind and a name."""
    errors: dict[str, str] = {}
    problem = _branch_error(post.organization if post.organization_id else None)
    if problem:
        errors["organization"] = problem
    if post.kind not in PostKind.values:
        errors["kind"] = _("Choose a post kind from the list.")
    if not (post.name or "").strip():
        errors["name"] = _("This field is required.")
    if post.compound_id and post.organization_id and post.compound.branch_id != post.organization_id:
        errors["compound"] = _("“%(compound)s” is not covered by this branch.") % {"compound": post.compound.name}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def post_save(*, post: VolunteerPost | None = None, **fields) -> VolunteerPost:
    """Create or change a volunteer post (设岗)."""
    post = post or VolunteerPost()
    for name, value in fields.items():
        setattr(post, name, value)
    if not post.name and post.kind:
        with translation.override(settings.LANGUAGE_CODE):  # stored text is in the site's language
            post.name = str(PostKind(post.kind).label)
    post_check(post)
    post.save()
    return post


def holder_check(holder: PostHolder) -> None:
    """One person (a member of the branch or a volunteer of the branch), not holding the post twice."""
    errors: dict[str, str] = {}
    post = holder.post
    field = "member" if holder.member_id else "volunteer"
    if bool(holder.member_id) == bool(holder.volunteer_id):
        errors["member"] = _("Choose either a member or a resident volunteer.")
    elif holder.member_id:
        if holder.member.status != MemberStatus.ACTIVE:
            errors["member"] = _("%(name)s is not an active member.") % {"name": holder.member.name}
        elif holder.member.branch_id != post.organization_id:
            errors["member"] = _("%(name)s does not live in this branch.") % {"name": holder.member.name}
    elif holder.volunteer.branch_id != post.organization_id:
        errors["volunteer"] = _("%(name)s is not a volunteer of this branch.") % {"name": holder.volunteer.name}
    if holder.started_on is None:
        errors["started_on"] = _("This field is required.")
    elif holder.ended_on and holder.ended_on < holder.started_on:
        errors["ended_on"] = _("The end date is before the start date.")
    if not errors and holder.ended_on is None:
        current = PostHolder.objects.filter(
            post=post, ended_on__isnull=True, **{f"{field}_id": getattr(holder, f"{field}_id")}
        )
        if current.exclude(pk=holder.pk).exists():
            errors[field] = _("%(name)s already holds this post.") % {"name": holder.person_name}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def holder_add(
    *, post: VolunteerPost, member: Member | None = None, volunteer: Volunteer | None = None, started_on=None
) -> PostHolder:
    """Put a member or a resident volunteer on a post (定责)."""
    holder = PostHolder(post=post, member=member, volunteer=volunteer, started_on=started_on or timezone.localdate())
    holder_check(holder)
    holder.save()
    return holder


@transaction.atomic
def holder_end(*, holder: PostHolder, ended_on: datetime.date) -> PostHolder:
    holder.ended_on = ended_on
    holder_check(holder)
    holder.save(update_fields=["ended_on"])
    return holder


def _hours(value) -> tuple[Decimal | None, str | None]:
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        return None, _("Enter the hours as a number, e.g. 2 or 1.5.")
    if not hours.is_finite() or hours <= 0:
        return None, _("Service hours must be more than 0.")
    if hours > MAX_HOURS_PER_DAY:
        return None, _("Service hours cannot exceed %(max)d on one day.") % {"max": MAX_HOURS_PER_DAY}
    if hours != hours.quantize(Decimal("0.1")):
        return None, _("Enter the hours to one decimal place at most.")
    return hours, None


def _person_day_total(record: ServiceRecord) -> Decimal:
    holder = record.holder
    person = Q(holder__member_id=holder.member_id) if holder.member_id else Q(holder__volunteer_id=holder.volunteer_id)
    rows = ServiceRecord.objects.filter(person, served_on=record.served_on).exclude(status=ServiceStatus.REVOKED)
    return rows.exclude(pk=record.pk).aggregate(total=Sum("hours"))["total"] or Decimal(0)


def record_check(record: ServiceRecord, *, today: datetime.date | None = None) -> None:
    """Hours more than 0 and, with the person's other records that day, at most 24; a day the
    person held the post, not in the future; what was done."""
    errors: dict[str, str] = {}
    hours, problem = _hours(record.hours)
    if problem:
        errors["hours"] = problem
    else:
        record.hours = hours
    today = today or timezone.localdate()
    if record.served_on is None:
        errors["served_on"] = _("This field is required.")
    else:
        try:
            plausible_date(record.served_on)
        except ValidationError as exc:
            errors["served_on"] = exc.messages[0]
        if "served_on" not in errors and record.served_on > today:
            errors["served_on"] = _("The service date is in the future.")
        holder = record.holder
        if "served_on" not in errors and (
            record.served_on < holder.started_on or (holder.ended_on and record.served_on > holder.ended_on)
        ):
            errors["served_on"] = _("%(name)s did not hold this post on that day.") % {"name": holder.person_name}
    if not (record.description or "").strip():
        errors["description"] = _("Say what was done.")
    if not errors:
        done = _person_day_total(record)
        if done + record.hours > MAX_HOURS_PER_DAY:
            errors["hours"] = _(
                "Service hours cannot exceed %(max)d on one day (%(done)s already recorded for %(name)s that day)."
            ) % {"max": MAX_HOURS_PER_DAY, "done": done, "name": record.holder.person_name}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def service_record(
    *, holder: PostHolder, served_on, hours, description: str, actor=None, confirm: bool = False, today=None
) -> ServiceRecord:
    """Record a day's service on a post (pending); ``confirm`` confirms it at once (the
    secretary recording what they saw)."""
    record = ServiceRecord(
        post_id=holder.post_id,
        holder=holder,
        served_on=served_on,
        hours=hours,
        description=(description or "").strip(),
        recorded_by=recorded_user(actor),
    )
    record_check(record, today=today)
    record.save()
    if confirm:
        return service_confirm(record=record, actor=actor)
    return record


def service_rows(since: datetime.date | None):
    """The points source: confirmed records of members, on the day served."""
    qs = ServiceRecord.objects.filter(status=ServiceStatus.CONFIRMED, holder__member__isnull=False)
    if since:
        qs = qs.filter(served_on__gte=since)
    return qs.annotate(_member=F("holder__member_id"), _source=F("id"), _day=F("served_on"))


@transaction.atomic
def service_confirm(*, record: ServiceRecord, actor) -> ServiceRecord:
    """Confirm a pending record and award its points (once: confirming again changes nothing)."""
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if record.status == ServiceStatus.CONFIRMED:
        return record
    if record.status == ServiceStatus.REVOKED:
        raise ValidationError({"status": _("This record was withdrawn; record the service again instead.")})
    record.status = ServiceStatus.CONFIRMED
    record.confirmed_by = recorded_user(actor)
    record.confirmed_at = timezone.now()
    record.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    award_events(PointsKind.SERVICE_HOURS, service_rows(None).filter(pk=record.pk))
    return record


@transaction.atomic
def service_revoke(*, record: ServiceRecord, actor, reason: str) -> ServiceRecord:
    """Withdraw a confirmation: the record stays (withdrawn) and its points entry is reversed by
    a manual correction naming the record."""
    record = ServiceRecord.objects.select_for_update(of=("self",)).select_related("holder__member").get(pk=record.pk)
    errors = {}
    if record.status != ServiceStatus.CONFIRMED:
        errors["status"] = _("Only a confirmed record can be withdrawn.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for withdrawing the confirmation.")
    if errors:
        raise ValidationError(errors)
    record.status = ServiceStatus.REVOKED
    record.revoked_reason = reason.strip()[:200]
    record.save(update_fields=["status", "revoked_reason"])
    if record.holder.member_id:
        awarded = PointsEntry.objects.filter(
            kind=PointsKind.SERVICE_HOURS, source_id=record.pk, member_id=record.holder.member_id
        ).filter(source_type__model="servicerecord", source_type__app_label="members")
        total = awarded.aggregate(total=Sum("points"))["total"] or 0
        if total:
            text = _("Service record %(id)d withdrawn: %(reason)s") % {"id": record.pk, "reason": reason.strip()}
            points_adjust(
                member=record.holder.member, points=-total, reason=text[:200], user=actor, occurred_on=record.served_on
            )
    return record


@transaction.atomic
def service_correct(*, record: ServiceRecord, actor, reason: str = "", **changes) -> ServiceRecord:
    """Correct the date, hours or description: a pending record is changed in place; a
    confirmed one is withdrawn (its points reversed) and the corrected record, pending, replaces it."""
    allowed = {"served_on", "hours", "description"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be corrected.") for name in unknown})
    if record.status == ServiceStatus.PENDING:
        for name, value in changes.items():
            setattr(record, name, value)
        record_check(record)
        record.save()
        return record
    if record.status == ServiceStatus.REVOKED:
        raise ValidationError({"status": _("This record was withdrawn; record the service again instead.")})
    service_revoke(record=record, actor=actor, reason=reason or _("corrected"))
    corrected = ServiceRecord(
        post_id=record.post_id,
        holder=record.holder,
        served_on=changes.get("served_on", record.served_on),
        hours=changes.get("hours", record.hours),
        description=changes.get("description", record.description),
        recorded_by=recorded_user(actor),
        replaces=record,
    )
    record_check(corrected)
    corrected.save()
    return corrected


# --- 党员中心户 and 楼栋长 / 单元长 ------------------------------------------------------------


@transaction.atomic
def paired_household_add(
    *, member: Member, compound, building=None, unit: str = "", room: str = "", household: str = "", started_on=None
) -> PairedHousehold:
    """Pair a 党员中心户 (a member holding that position) with a household (包联户)."""
    errors: dict[str, str] = {}
    holds = member.positions.filter(kind=PositionKind.CENTRAL_HOUSEHOLD, ended_on__isnull=True).exists()
    if not holds:
        errors["member"] = _("%(name)s is not a party member central household.") % {"name": member.name}
    if compound is None:
        errors["compound"] = _("This field is required.")
    elif building is not None and building.compound_id != compound.pk:
        errors["building"] = _("“%(building)s” is not in “%(compound)s”.") % {
            "building": building.name,
            "compound": compound.name,
        }
    if not (room or "").strip() and not (household or "").strip():
        errors["room"] = _("Give the room or the head of household.")
    if errors:
        raise ValidationError(errors)
    return PairedHousehold.objects.create(
        member=member,
        compound=compound,
        building=building,
        unit=(unit or "").strip(),
        room=(room or "").strip(),
        household=(household or "").strip(),
        started_on=started_on or timezone.localdate(),
    )


def head_check(head: BuildingHead) -> None:
    errors: dict[str, str] = {}
    if bool(head.member_id) == bool(head.volunteer_id):
        errors["member"] = _("Choose either a member or a resident volunteer.")
    if head.kind == HeadKind.UNIT and not head.unit:
        errors["unit"] = _("A unit head needs the unit.")
    if head.kind == HeadKind.BUILDING:
        head.unit = ""
    if head.kind == HeadKind.UNIT and head.unit.isdigit() and int(head.unit) > (head.building.units or 1):
        errors["unit"] = _("%(building)s has %(units)d units.") % {
            "building": head.building.name,
            "units": head.building.units,
        }
    if not errors and head.ended_on is None:
        current = BuildingHead.objects.filter(
            building=head.building, kind=head.kind, unit=head.unit, ended_on__isnull=True
        )
        if current.exclude(pk=head.pk).exists():
            errors["unit" if head.kind == HeadKind.UNIT else "building"] = _(
                "This building or unit already has a current head."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def building_head_assign(
    *,
    building,
    kind: str,
    member: Member | None = None,
    volunteer: Volunteer | None = None,
    unit: str = "",
    started_on=None,
) -> BuildingHead:
    """Name the 楼栋长 of a building or the 单元长 of one of its units (a member or a resident)."""
    head = BuildingHead(
        building=building,
        kind=kind,
        unit=(unit or "").strip(),
        member=member,
        volunteer=volunteer,
        started_on=started_on or timezone.localdate(),
    )
    head_check(head)
    head.save()
    return head


# --- for the member's own pages -------------------------------------------------------------


def member_volunteering(member: Member, year: int) -> dict:
    """What a member's portal shows: the posts held now (``posts``: PostHolder rows with their
    post) and the confirmed service hours and records dated in ``year``."""
    posts = list(
        PostHolder.objects.filter(member=member, ended_on__isnull=True).select_related("post", "post__compound")
    )
    confirmed = ServiceRecord.objects.filter(
        holder__member=member, status=ServiceStatus.CONFIRMED, served_on__year=year
    ).aggregate(hours=Sum("hours"), records=Count("pk"))
    return {"posts": posts, "hours": confirmed["hours"] or Decimal(0), "records": confirmed["records"]}
