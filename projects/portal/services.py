"""Member-side writes on micro-wishes and dispatched requests, through the projects services.

Accepting a request and recording progress have no state of their own in the request's
workflow (dispatched → resolved): they are kept as entries of the request's audit trail, which
is also where the branch reads them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.audit.models import AuditEntry
from members.models import Member
from members.points import award_points
from projects.exceptions import Conflict
from projects.models import MicroWish, RequestStatus, ResidentRequest, WishStatus
from projects.services.service import request_resolve, wish_claim, wish_fulfil

ACCEPTED = "member_accepted"
PROGRESS = "member_progress"


def compound_q(member: Member, prefix: str = "") -> Q:
    """The member's compound (or, without one, the compounds their branch covers)."""
    if member.compound_id:
        return Q(**{f"{prefix}compound_id": member.compound_id})
    return Q(**{f"{prefix}compound__branch_id": member.branch_id})


def open_wishes(member: Member):
    return MicroWish.objects.filter(compound_q(member), status=WishStatus.PUBLISHED).select_related("compound")


def my_wishes(member: Member):
    return MicroWish.objects.filter(claimed_by=member).select_related("compound")


def my_requests(member: Member):
    return ResidentRequest.objects.filter(assigned_member=member).select_related("compound")


def member_wish_claim(*, wish: MicroWish, member: Member) -> MicroWish:
    if not open_wishes(member).filter(pk=wish.pk).exists():
        raise Conflict({"status": _("This micro-wish is no longer open in your compound.")})
    return wish_claim(wish=wish, member=member, now=timezone.now())


@transaction.atomic
def member_wish_fulfil(*, wish: MicroWish, member: Member, note: str, photo) -> MicroWish:
    """Mark the member's own claimed wish fulfilled with a photo (content-checked by the
    wish's photo validator); the points follow from the fulfilled wish, once (``award_points``
    is idempotent on the event)."""
    if wish.claimed_by_id != member.pk:
        raise Conflict({"status": _("Only the member who claimed this micro-wish can mark it fulfilled.")})
    if not photo:
        raise ValidationError({"photo": _("Add a photo of the fulfilled wish.")})
    done = wish_fulfil(wish=wish, note=note, now=timezone.now(), photo=photo)
    transaction.on_commit(lambda: award_points(since=timezone.localdate(done.fulfilled_at)))
    return done


def _dispatched_to(request: ResidentRequest, member: Member) -> None:
    if request.assigned_member_id != member.pk:
        raise Conflict({"status": _("This request was not dispatched to you.")})
    if request.status != RequestStatus.DISPATCHED:
        raise Conflict({"status": _("This request is no longer open.")})


def request_history(request: ResidentRequest) -> list[AuditEntry]:
    """The member's acceptance and progress notes on ``request``, oldest first."""
    entries = AuditEntry.objects.filter(model=ResidentRequest._meta.label_lower, object_id=str(request.pk)).order_by(
        "at", "id"
    )
    return [e for e in entries if ACCEPTED in (e.changes or {}) or PROGRESS in (e.changes or {})]


def is_accepted(request: ResidentRequest) -> bool:
    return any(ACCEPTED in e.changes for e in request_history(request))


@transaction.atomic
def member_request_accept(*, request: ResidentRequest, member: Member) -> ResidentRequest:
    """党员接单: the member takes the request dispatched to them (once)."""
    _dispatched_to(request, member)
    if is_accepted(request):
        raise Conflict({"status": _("You have already accepted this request.")})
    audit.record(request, "update", {ACCEPTED: [None, member.name]})
    return request


@transaction.atomic
def member_request_progress(*, request: ResidentRequest, member: Member, note: str) -> ResidentRequest:
    _dispatched_to(request, member)
    if not is_accepted(request):
        raise Conflict({"status": _("Accept the request before recording progress.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("Describe the progress.")})
    audit.record(request, "update", {PROGRESS: [None, note.strip()[:500]]})
    return request


@transaction.atomic
def member_request_resolve(
    *, request: ResidentRequest, member: Member, resolution: str, mediation_outcome: str = ""
) -> ResidentRequest:
    _dispatched_to(request, member)
    if not is_accepted(request):
        raise Conflict({"status": _("Accept the request before resolving it.")})
    today = timezone.localdate()
    done = request_resolve(
        request=request, resolved_on=today, resolution=resolution, mediation_outcome=mediation_outcome
    )
    transaction.on_commit(lambda: award_points(since=today))
    return done
