"""Demo notification routes and a webhook of the city platform (registered after every other
seeder, so seeding itself emits no events). The webhook points at a local port where nothing
listens: its one delivery shows in the admin as failed after its retries, and it is then
switched off so the demo never tries to reach anyone; so is 古楼湾社区's grid system, after one
delivery."""

from __future__ import annotations

from core.auth.roles import Role
from core.registry import EVENT_TYPES, DemoContext
from organizations.models import NotificationRoute, Webhook
from organizations.notify_routes import route_save
from organizations.webhooks import emit, webhook_create, webhook_update

DEMO_URL = "http://127.0.0.1:9/demo-webhook"


def seed(ctx: DemoContext) -> None:
    for code, channel, role in (("NA-HYL-JH", "email", Role.COMMUNITY_STAFF), ("NA-HYL-JH-HC", "console", "")):
        org = ctx.orgs[code]
        if not NotificationRoute.objects.filter(organization=org, channel=channel).exists():
            route_save(route=NotificationRoute(organization=org, channel=channel, role=role))
    # A community's own grid system, registered by its staff (switched off: nothing listens).
    staff = ctx.users.get("gulouwan_staff")
    if staff is not None and not Webhook.objects.filter(user=staff).exists():
        grid = webhook_create(
            user=staff,
            name="古楼湾社区网格系统（示例）",
            url=DEMO_URL,
            secret="demo-only-grid-secret-2026",
            event_types=["member.created", "member.updated", "meeting.recorded", "score.computed"],
        )
        # One event of its community before it is switched off: its delivery (failed, nothing
        # listens) is what the grid system's staff see of the webhook.
        branch = ctx.orgs["NA-NP-GLW-JL"]
        emit(
            "score.computed",
            organizations=[branch.pk],
            object_id=branch.pk,
            data={"branch_id": branch.pk, "demo": True},
        )
        webhook_update(webhook=grid, is_active=False)
    user = ctx.users.get("city_platform")
    if user is None or Webhook.objects.filter(user=user).exists():
        return
    hook = webhook_create(
        user=user,
        name="市级平台（示例）",
        url=DEMO_URL,
        secret="demo-only-shared-secret-2026",
        event_types=sorted(EVENT_TYPES),
    )
    branch = ctx.orgs["NA-HYL-JH-HC"]
    emit("score.computed", organizations=[branch.pk], object_id=branch.pk, data={"branch_id": branch.pk, "demo": True})
    webhook_update(webhook=hook, is_active=False)
