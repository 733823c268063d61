"""Writes of serving residents: micro-wishes (微心愿) and resident requests (点单 → 派单 → 接单)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from members.models import Member
from organizations.files import validate_photo
from organizations.models import Compound, Organization
from projects.exceptions import Conflict
from projects.models import (
    MicroWish,
    Rating,
    RequestKind,
    RequestStatus,
    ResidentRequest,
    Triage,
    WishStatus,
)
from projects.services.common import IN_SERVICE, _inside, _locked, _save
from projects.services.events import request_status_changed

# --- micro-wishes ------------------------------------------------------------------------------


@transaction.atomic
def wish_publish(
    *, community: Organization, compound: Compound, resident_name: str, content: str, published_on: datetime.date
) -> MicroWish:
    if compound.community_id != community.pk:
        raise ValidationError({"compound": _("The compound does not belong to this community.")})
    return _save(
        MicroWish(community=community, compound=compound),
        {"resident_name": resident_name, "content": content, "published_on": published_on},
    )


@transaction.atomic
def wish_claim(*, wish: MicroWish, member: Member, now: datetime.datetime) -> MicroWish:
    """Claim a published wish for an in-service member. A single conditional UPDATE decides:
    of two members claiming at the same moment exactly one row update succeeds."""
    errors = {}
    if member.occupation_status != IN_SERVICE:
        errors["member"] = _("Only an in-service party member can claim a micro-wish.")
    elif getattr(member, "status", "active") != "active":
        errors["member"] = _("The member is no longer active.")
    elif not _inside(member.branch, wish.community):
        errors["member"] = _("The member does not belong to this community.")
    if errors:
        raise ValidationError(errors)
    won = MicroWish.objects.filter(pk=wish.pk, status=WishStatus.PUBLISHED).update(
        status=WishStatus.CLAIMED, claimed_by=member, claimed_at=now
    )
    if not won:
        raise Conflict({"status": _("This micro-wish has already been claimed.")})
    claimed = MicroWish.objects.get(pk=wish.pk)
    audit.record(
        claimed,
        "update",
        {"status": [WishStatus.PUBLISHED, WishStatus.CLAIMED], "claimed_by": [None, member.pk]},
    )
    return claimed


@transaction.atomic
def wish_fulfil(*, wish: MicroWish, note: str, now: datetime.datetime, photo=None) -> MicroWish:
    current = _locked(MicroWish, wish)
    if current.status != WishStatus.CLAIMED:
        raise Conflict({"status": _("Only a claimed micro-wish can be marked fulfilled.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Describe how the wish was fulfilled.")})
    current.status = WishStatus.FULFILLED
    current.fulfilment_note = note.strip()
    current.fulfilled_at = now
    if photo:
        validate_photo(photo)  # the model validator; this service saves without full_clean
        current.fulfilment_photo = photo
    current.save()
    return current


# --- resident requests -------------------------------------------------------------------------


@transaction.atomic
def request_submit(
    *,
    compound: Compound,
    category: str,
    description: str,
    resident_name: str,
    received_on: datetime.date,
    kind: str = RequestKind.REQUEST,
    dispute_level: str = "",
) -> ResidentRequest:
    if kind == RequestKind.DISPUTE and not dispute_level:
        raise ValidationError({"dispute_level": _("A dispute needs a level.")})
    if kind != RequestKind.DISPUTE and dispute_level:
        raise ValidationError({"dispute_level": _("Only a dispute has a level.")})
    return _save(
        ResidentRequest(compound=compound),
        {
            "category": category,
            "description": description,
            "resident_name": resident_name,
            "received_on": received_on,
            "kind": kind,
            "dispute_level": dispute_level,
        },
    )


def _expect(current: ResidentRequest, *allowed: str, message: str) -> None:
    if current.status not in allowed:
        raise Conflict({"status": message % {"status": RequestStatus(current.status).label}})


@transaction.atomic
def request_triage(*, request: ResidentRequest, triage: str) -> ResidentRequest:
    """三事分流: major (a government department), minor (community / branch), private (residents)."""
    if triage not in Triage.values:
        raise ValidationError({"triage": _("Unknown triage class.")})
    current = _locked(ResidentRequest, request)
    _expect(
        current,
        RequestStatus.SUBMITTED,
        RequestStatus.TRIAGED,
        message=_("A request that is “%(status)s” cannot be triaged again."),
    )
    current.triage = triage
    current.status = RequestStatus.TRIAGED
    current.save(update_fields=["triage", "status"])
    request_status_changed(current)
    return current


@transaction.atomic
def request_dispatch(
    *,
    request: ResidentRequest,
    due_on: datetime.date,
    dispatched_on: datetime.date,
    member: Member | None = None,
    organization: Organization | None = None,
    department: str = "",
) -> ResidentRequest:
    """支部派单: to a member or an organization inside the compound's community (minor
    matters), or to a government department (major matters). Private matters are not
    dispatched: the residents settle them and the request is resolved directly."""
    current = _locked(ResidentRequest, request)
    _expect(
        current,
        RequestStatus.TRIAGED,
        RequestStatus.DISPATCHED,
        message=_("A request that is “%(status)s” cannot be dispatched."),
    )
    errors = {}
    community = current.compound.community
    if current.triage == Triage.PRIVATE:
        errors["triage"] = _("A private matter is settled by the residents themselves, not dispatched.")
    elif current.triage == Triage.MAJOR and not department.strip():
        errors["department"] = _("A major matter goes to a government department: name it.")
    elif current.triage == Triage.MINOR and member is None and organization is None:
        errors["member"] = _("Choose a party member or an organization to take the request.")
    if member is not None and not _inside(member.branch, community):
        errors["member"] = _("“%(name)s” is not inside %(community)s; choose someone of this community.") % {
            "name": member.name,
            "community": community.name,
        }
    if organization is not None and not _inside(organization, community):
        errors["organization"] = _(
            "“%(name)s” is not inside %(community)s; choose an organization of this community."
        ) % {
            "name": organization.name,
            "community": community.name,
        }
    if due_on < dispatched_on:
        errors["due_on"] = _("The due date is before the dispatch date.")
    if errors:
        raise ValidationError(errors)
    current.assigned_member = member
    current.assigned_organization = organization
    current.department = department.strip()
    current.dispatched_on = dispatched_on
    current.due_on = due_on
    current.status = RequestStatus.DISPATCHED
    current.save()
    request_status_changed(current)
    return current


@transaction.atomic
def request_resolve(
    *, request: ResidentRequest, resolved_on: datetime.date, resolution: str, mediation_outcome: str = ""
) -> ResidentRequest:
    current = _locked(ResidentRequest, request)
    if current.status == RequestStatus.TRIAGED and current.triage != Triage.PRIVATE:
        raise Conflict({"status": _("Dispatch the request before resolving it.")})
    _expect(
        current,
        RequestStatus.TRIAGED,
        RequestStatus.DISPATCHED,
        message=_("A request that is “%(status)s” cannot be resolved."),
    )
    errors = {}
    if not resolution.strip():
        errors["resolution"] = _("Describe how the request was resolved.")
    if mediation_outcome and current.kind != RequestKind.DISPUTE:
        errors["mediation_outcome"] = _("Only a dispute has a mediation outcome.")
    if current.kind == RequestKind.DISPUTE and not mediation_outcome:
        errors["mediation_outcome"] = _("Record the outcome of the mediation.")
    start = current.dispatched_on or current.received_on
    if resolved_on < start:
        errors["resolved_on"] = _("The resolution date is before the request was taken.")
    if errors:
        raise ValidationError(errors)
    current.resolved_on = resolved_on
    current.resolution = resolution.strip()
    current.mediation_outcome = mediation_outcome
    current.status = RequestStatus.RESOLVED
    current.full_clean()
    current.save()
    request_status_changed(current)
    return current


@transaction.atomic
def request_rate(*, request: ResidentRequest, rating: str, rated_on: datetime.date) -> ResidentRequest:
    """The resident's rating (满意 / 基本满意 / 不满意), only after resolution and only once."""
    current = _locked(ResidentRequest, request)
    if current.status != RequestStatus.RESOLVED:
        if current.status == RequestStatus.RATED:
            raise Conflict({"rating": _("The resident has already rated this request.")})
        raise Conflict({"rating": _("A request can be rated only after it is resolved.")})
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Unknown rating.")})
    current.rating = rating
    current.rated_on = rated_on
    current.status = RequestStatus.RATED
    current.save(update_fields=["rating", "rated_on", "status"])
    request_status_changed(current)
    return current
