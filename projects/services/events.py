"""The events projects emits for webhook subscribers (``organizations.webhooks.emit``)."""

from __future__ import annotations

from organizations.webhooks import emit


def request_status_changed(request) -> int:
    """``request.status_changed`` for a resident request, to the subscribers covering its
    compound's community or branch (its scope paths). The resident's name is masked for a
    client without the unmask permission (declared in contributions)."""
    compound = request.compound
    data = {
        "id": request.pk,
        "status": request.status,
        "kind": request.kind,
        "category": request.category,
        "triage": request.triage,
        "compound_id": request.compound_id,
        "received_on": request.received_on,
        "due_on": request.due_on,
        "resolved_on": request.resolved_on,
        "rating": request.rating,
        "resident_name": request.resident_name,
    }
    return emit(
        "request.status_changed",
        organizations=[compound.community_id, compound.branch_id],
        object_id=request.pk,
        data=data,
    )
