"""Writes of joint building and service. Keyword-only, typed, atomic; refusals are Django
ValidationErrors with field keys (``Conflict`` when the record's state forbids the change)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member
from organizations.files import validate_photo
from organizations.models import Compound, Organization
from projects.exceptions import Conflict
from projects.models import (
    Activity,
    Agreement,
    Funding,
    MicroWish,
    Need,
    PartnerUnit,
    ProgressUpdate,
    Project,
    ProjectStatus,
    Rating,
    RequestKind,
    RequestStatus,
    ResidentRequest,
    Resource,
    Triage,
    WishStatus,
)
from projects.models.projects import PROJECT_TRANSITIONS

IN_SERVICE = "in_service"


def _inside(node: Organization | None, root: Organization | None) -> bool:
    """``node`` lies in ``root``'s subtree (inclusive). Reads the nested-set values fresh (one
    query): instances held by callers may predate later tree writes."""
    if node is None or root is None:
        return False
    rows = {
        r["pk"]: r
        for r in Organization.objects.filter(pk__in=(node.pk, root.pk)).values("pk", "tree_id", "lft", "rght")
    }
    n, r = rows.get(node.pk), rows.get(root.pk)
    return bool(n and r and n["tree_id"] == r["tree_id"] and r["lft"] <= n["lft"] and n["rght"] <= r["rght"])


def _save(obj, fields: dict, *, exclude=None):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


def _locked(model, obj):
    """Re-read ``obj`` with a row lock (PostgreSQL; SQLite serializes writes anyway)."""
    return model.objects.select_for_update().get(pk=obj.pk)


# --- partners, agreements, resources, needs -------------------------------------------------


@transaction.atomic
def partner_save(*, partner: PartnerUnit | None = None, **fields) -> PartnerUnit:
    return _save(partner or PartnerUnit(), fields)


@transaction.atomic
def agreement_save(*, agreement: Agreement | None = None, **fields) -> Agreement:
    """Agreement.clean checks the partner side (a community or a branch) and the dates."""
    return _save(agreement or Agreement(), fields)


@transaction.atomic
def resource_save(*, resource: Resource | None = None, **fields) -> Resource:
    return _save(resource or Resource(), fields)


@transaction.atomic
def need_save(*, need: Need | None = None, **fields) -> Need:
    return _save(need or Need(), fields)


# --- projects ----------------------------------------------------------------------------------


def _validate_project(project: Project, need: Need | None) -> None:
    errors = {}
    compound = project.compound
    if compound is not None and project.organization_id:
        org, community = project.organization, compound.community
        if not (_inside(org, community) or _inside(community, org)):
            errors["compound"] = _("The compound “%(compound)s” is not under “%(org)s”.") % {
                "compound": compound.name,
                "org": org.name,
            }
    if need is not None and compound is not None and need.compound_id != compound.pk:
        errors["need"] = _("The matched need belongs to another compound.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *,
    title: str,
    organization: Organization,
    category: str,
    proposed_on: datetime.date,
    compound: Compound | None = None,
    partners=(),
    resources=(),
    need: Need | None = None,
    budget: Decimal = Decimal(0),
    beneficiaries: int = 0,
    volunteers: int = 0,
    description: str = "",
) -> Project:
    if compound is None and need is not None:
        compound = need.compound
    project = Project(
        title=title,
        organization=organization,
        category=category,
        proposed_on=proposed_on,
        compound=compound,
        need=need,
        budget=budget,
        beneficiaries=beneficiaries,
        volunteers=volunteers,
        description=description,
    )
    _validate_project(project, need)
    _save(project, {})
    project.partners.set(partners)
    project.resources.set(resources)
    if need is not None and need.status == "open":
        Need.objects.filter(pk=need.pk).update(status="matched")
    return project


@transaction.atomic
def project_update(*, project: Project, partners=None, resources=None, **fields) -> Project:
    """Change a project's details (not its status: that is ``project_transition``)."""
    if "status" in fields:
        raise ValidationError({"status": _("Use the status actions to change the status.")})
    for name, value in fields.items():
        setattr(project, name, value)
    _validate_project(project, project.need)
    _save(project, {})
    if partners is not None:
        project.partners.set(partners)
    if resources is not None:
        project.resources.set(resources)
    return project


_STATUS_DATE = {
    ProjectStatus.APPROVED: "approved_on",
    ProjectStatus.IN_PROGRESS: "started_on",
    ProjectStatus.COMPLETED: "completed_on",
    ProjectStatus.CANCELLED: "cancelled_on",
}


@transaction.atomic
def project_transition(*, project: Project, to_status: str, on: datetime.date, reason: str = "") -> Project:
    """Move a project along proposed → approved → in progress → completed (or cancelled)."""
    if to_status not in ProjectStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    current = _locked(Project, project)
    if to_status not in PROJECT_TRANSITIONS[ProjectStatus(current.status)]:
        raise Conflict(
            {
                "status": _("A project cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "from": ProjectStatus(current.status).label,
                    "to": ProjectStatus(to_status).label,
                }
            }
        )
    if to_status == ProjectStatus.CANCELLED and not reason.strip():
        raise ValidationError({"reason": _("Give a reason for cancelling.")})
    current.status = to_status
    setattr(current, _STATUS_DATE[to_status], on)
    if to_status == ProjectStatus.CANCELLED:
        current.cancel_reason = reason.strip()
    current.save()
    if to_status == ProjectStatus.COMPLETED and current.need_id:
        Need.objects.filter(pk=current.need_id).update(status="closed")
    return current


@transaction.atomic
def funding_add(
    *, project: Project, source: str, amount: Decimal, received_on: datetime.date, note: str = ""
) -> Funding:
    if amount is None or Decimal(amount) < 0:
        raise ValidationError({"amount": _("A funding amount cannot be negative.")})
    if project.status == ProjectStatus.CANCELLED:
        raise Conflict({"project": _("The project is cancelled.")})
    return _save(
        Funding(project=project), {"source": source, "amount": amount, "received_on": received_on, "note": note}
    )


@transaction.atomic
def progress_add(*, project: Project, date: datetime.date, text: str, photo=None) -> ProgressUpdate:
    return _save(ProgressUpdate(project=project), {"date": date, "text": text, "photo": photo or ""})


# --- activities --------------------------------------------------------------------------------


@transaction.atomic
def activity_save(*, activity: Activity | None = None, partners=None, **fields) -> Activity:
    activity = activity or Activity()
    for name, value in fields.items():
        setattr(activity, name, value)
    if activity.compound_id and activity.organizer_id:
        community = activity.compound.community
        if not (_inside(activity.organizer, community) or _inside(community, activity.organizer)):
            raise ValidationError({"compound": _("The compound is not under the organizing organization.")})
    _save(activity, {})
    if partners is not None:
        activity.partners.set(partners)
    return activity


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
    return MicroWish.objects.get(pk=wish.pk)


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
    return current
