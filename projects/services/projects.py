"""Writes of joint-build projects (lifecycle, funding, progress) and activities."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from members.dues.funds import fund_draw
from organizations.models import Compound, Organization, OrganizationKind
from projects.exceptions import Conflict
from projects.models import (
    Activity,
    Funding,
    FundingSource,
    Need,
    ProgressUpdate,
    Project,
    ProjectStatus,
)
from projects.models.projects import PROJECT_TRANSITIONS
from projects.services.common import _inside, _locked, _save

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
        audit.record(need, "update", {"status": [need.status, "matched"]})
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
        need = Need.objects.get(pk=current.need_id)
        Need.objects.filter(pk=need.pk).update(status="closed")
        audit.record(need, "update", {"status": [need.status, "closed"]})
    return current


@transaction.atomic
def funding_add(
    *, project: Project, source: str, amount: Decimal, received_on: datetime.date, note: str = ""
) -> Funding:
    if amount is None or Decimal(amount) < 0:
        raise ValidationError({"amount": _("A funding amount cannot be negative.")})
    if project.status == ProjectStatus.CANCELLED:
        raise Conflict({"project": _("The project is cancelled.")})
    funding = _save(
        Funding(project=project), {"source": source, "amount": amount, "received_on": received_on, "note": note}
    )
    if source == FundingSource.PARTY_FEE:
        # 党费返还 is the branch's own fund (members.dues.funds): the project draws on it, in the
        # same transaction, and is refused when the balance would go negative.
        branch = party_fee_branch(project)
        if branch is None:
            raise ValidationError(
                {"source": _("Returned party fees fund only a project of a branch or of a compound with a branch.")}
            )
        fund_draw(
            branch=branch,
            amount=Decimal(amount),
            spent_on=received_on,
            purpose=_("Project: %(title)s") % {"title": project.title},
            source_label=str(Funding._meta.verbose_name),
        )
    return funding


def party_fee_branch(project: Project) -> Organization | None:
    """The branch whose fund pays a project's 党费返还: the project's own branch, else the
    branch covering its compound."""
    if project.organization.kind == OrganizationKind.BRANCH:
        return project.organization
    if project.compound_id and project.compound.branch_id:
        return project.compound.branch
    return None


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
