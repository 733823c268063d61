"""The events members emits for webhook subscribers (``organizations.webhooks.emit``). Payloads
carry the fields a REST client of the scope may see; the ID number and phone are masked for a
client without ``members.view_sensitive_data`` (the event types declare them in contributions)."""

from __future__ import annotations

from members import crypto
from organizations.webhooks import emit


def member_data(member) -> dict:
    """A member as an event payload (the personal data in full: ``emit`` masks it per client)."""
    return {
        "id": member.pk,
        "name": member.name,
        "gender": member.gender,
        "party_status": member.party_status,
        "status": member.status,
        "branch_id": member.branch_id,
        "group_id": member.group_id,
        "compound_id": member.compound_id,
        "phone": crypto.decrypt(member.phone_encrypted) if member.phone_encrypted else "",
        "id_number": crypto.decrypt(member.id_number_encrypted) if member.id_number_encrypted else "",
    }


def member_event(event_type: str, member, **extra) -> int:
    orgs = [member.branch_id, member.home_organization_id, *extra.pop("also", [])]
    return emit(event_type, organizations=orgs, object_id=member.pk, data={**member_data(member), **extra})


def meeting_recorded(meeting) -> int:
    data = {
        "id": meeting.pk,
        "organization_id": meeting.organization_id,
        "kind": meeting.kind,
        "held_at": meeting.held_at,
        "topic": meeting.topic,
        "place": meeting.place,
    }
    return emit("meeting.recorded", organizations=[meeting.organization_id], object_id=meeting.pk, data=data)
