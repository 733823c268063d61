"""Which channel reaches whom: an organization's notification routes, inherited down the tree,
and sending notices through them (``core.notify`` records and delivers each message).

The rule (see ``NotificationRoute``): the routes of the nearest organization at or above the
addressed one that has active routes; none anywhere → ``settings.NOTIFY_DEFAULT_CHANNELS``
(the embedded default: the console) to the staff scoped there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import notify
from core.notify.base import Recipient
from organizations.models import NotificationRoute, Organization, RouteChannel
from organizations.selectors import containing_q, nearest_containing

_MOBILE_DIGITS = 11


@dataclass(frozen=True)
class Route:
    """A route as the sender uses it (a saved ``NotificationRoute`` or a default)."""

    channel: str
    role: str = ""
    target: str = ""


def default_routes() -> list[Route]:
    return [Route(channel=name) for name in getattr(settings, "NOTIFY_DEFAULT_CHANNELS", ["console"])]


def routes_for(org_ids) -> dict[int, list[Route]]:
    """``{organization id: routes}`` for many organizations in two queries."""
    org_ids = set(org_ids)
    orgs = list(Organization.objects.filter(pk__in=org_ids))
    saved = list(
        NotificationRoute.objects.filter(containing_q("organization", org_ids), is_active=True)
        .select_related("organization")
        .order_by("id")
    )
    result: dict[int, list[Route]] = {}
    for org in orgs:
        nearest = nearest_containing(saved, org)
        result[org.pk] = [Route(r.channel, r.role, r.target) for r in nearest] or default_routes()
    return result


def validate_route(route: NotificationRoute) -> None:
    """SMS needs a mobile number and the robot a key; email / console need none."""
    target = (route.target or "").strip()
    if route.channel == RouteChannel.SMS and not (target.isdigit() and len(target) == _MOBILE_DIGITS):
        raise ValidationError({"target": _("Enter the 11-digit mobile number the SMS goes to.")})
    if route.channel == RouteChannel.WECOM and not target:
        raise ValidationError({"target": _("Enter the group robot's key.")})
    if route.channel in (RouteChannel.EMAIL, RouteChannel.CONSOLE) and target:
        raise ValidationError({"target": _("Email and console reach the staff scoped here; leave the target empty.")})


@transaction.atomic
def route_save(*, route: NotificationRoute) -> NotificationRoute:
    """Create or change a route (validated; audited through the model's save)."""
    route.target = (route.target or "").strip()
    validate_route(route)
    route.full_clean()
    route.save()
    return route


def queue_notices(
    lines: dict[int, tuple[str, tuple[str, ...]]],
    *,
    recipients: dict[int, list[Recipient]],
    roles: dict[int, str],
    source: str,
) -> int:
    """Queue the deliveries for each organization's message: ``lines`` maps organization id →
    (its name, the lines to send); ``recipients`` the staff a per-user route (email, console)
    reaches there, ``roles`` user id → role (a route limited to a role reaches only those). A
    route with a fixed target (SMS, robot) gets one message per organization. Returns how many
    deliveries were queued."""
    routes = routes_for(lines)
    rows = []
    for org_id, (org_name, org_lines) in lines.items():
        subject = _("[Party building] %(count)d reminder(s) for %(org)s") % {"count": len(org_lines), "org": org_name}
        body = "\n".join(f"· {line}" for line in org_lines)
        for route in routes.get(org_id, []):
            if not notify.channel_for(route.channel).per_user:
                rows.append(_row(route.channel, route.target, subject, body, org_id, source))
                continue
            seen = set()
            for recipient in recipients.get(org_id, []):
                address = recipient.email if route.channel == RouteChannel.EMAIL else recipient.username
                if not address or address in seen or (route.role and roles.get(recipient.user_id) != route.role):
                    continue
                seen.add(address)
                rows.append(_row(route.channel, address, subject, body, org_id, source))
    notify.queue_many(rows)
    return len(rows)


def _row(channel: str, address: str, subject: str, body: str, org_id: int, source: str) -> dict:
    return {
        "channel": channel,
        "address": address,
        "subject": subject,
        "body": body,
        "source": source,
        "organization_id": org_id,
    }
