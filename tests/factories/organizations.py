"""Factories of the organizations app: the tree, places, access, reminders, scoring, notification."""

from __future__ import annotations

import datetime as _dt
import itertools

import factory

from core.auth.roles import Role
from organizations import services
from organizations.models import Building, Compound, Organization, OrganizationKind, Venue
from tests.factories.base import (
    TODAY,
    ModelFactory,
    ServiceFactory,
    make_org,
    new_branch,
    new_community,
    new_user,
    service_call,
)

_seq = itertools.count(1)


class OrganizationFactory(ServiceFactory):
    """A tree node through ``organization_create`` (kind and parent are checked there)."""

    class Meta:
        model = Organization

    kind = OrganizationKind.DISTRICT
    parent = None
    name = None

    @classmethod
    def service(cls, *, kind, parent, name, **extra):
        return make_org(kind, parent, name=name, **extra)


class AccessScopeFactory(ServiceFactory):
    """A user's scope node and role through ``access_scope_set``."""

    class Meta:
        model = "organizations.AccessScope"

    user = factory.LazyFunction(new_user)
    organization = factory.LazyFunction(new_community)
    role = Role.COMMUNITY_STAFF

    @classmethod
    def service(cls, **fields):
        return services.access_scope_set(**fields)


class CompoundFactory(ServiceFactory):
    """A residential compound through ``organizations.services.compound_save``."""

    class Meta:
        model = Compound

    name = factory.Sequence(lambda n: f"测试小区{n}")
    community = factory.LazyFunction(new_community)

    @classmethod
    def service(cls, **fields):
        return services.compound_save(**fields)


class BuildingFactory(ServiceFactory):
    """A building through ``organizations.services.building_save`` (its group must be of the compound's branch)."""

    class Meta:
        model = Building

    compound = factory.SubFactory(CompoundFactory)
    name = factory.Sequence(lambda n: f"{n}栋")

    @classmethod
    def service(cls, **fields):
        return services.building_save(**fields)


class VenueFactory(ModelFactory):
    """A branch venue (党群服务驿站). Venues have no rule beyond the model's own validation, which runs here."""

    class Meta:
        model = Venue

    branch = factory.LazyFunction(new_branch)
    name = factory.Sequence(lambda n: f"党群服务驿站{n}")


class TermLengthFactory(ModelFactory):
    """An allowed term length of a kind of organization (admin reference data)."""

    class Meta:
        model = "organizations.TermLength"

    organization_kind = OrganizationKind.GROUP
    years = factory.Sequence(lambda n: 10 + n)


class ReminderFactory(ServiceFactory):
    """A 换届 reminder opened by ``run_reminders`` for a branch whose term ends within 90 days."""

    class Meta:
        model = "organizations.Reminder"

    branch = factory.LazyFunction(new_branch)
    today = TODAY

    @classmethod
    def service(cls, *, branch, today):
        from organizations.models import Reminder
        from organizations.reminders.service import run_reminders

        services.organization_update(
            organization=branch, elected_on=today - _dt.timedelta(days=5 * 365 - 30), term_ends_on=today
        )
        run_reminders(today=today, send=False)
        return Reminder.objects.get(reason="branch_term_ending", subject_id=branch.pk)


class ScoringRubricFactory(ModelFactory):
    """A branch scoring rubric (标准化规范化建设 考核细则), admin reference data."""

    class Meta:
        model = "organizations.ScoringRubric"

    name = factory.Sequence(lambda n: f"考核细则{n}")
    valid_from = factory.Sequence(lambda n: _dt.date(2030 + n, 1, 1))


class ScoringItemFactory(ModelFactory):
    """An item of a rubric."""

    class Meta:
        model = "organizations.ScoringItem"

    rubric = factory.SubFactory(ScoringRubricFactory)
    name = factory.Sequence(lambda n: f"组织建设{n}")


class ScoringCriterionFactory(ModelFactory):
    """A manually scored criterion of an item."""

    class Meta:
        model = "organizations.ScoringCriterion"

    item = factory.SubFactory(ScoringItemFactory)
    code = factory.Sequence(lambda n: f"M{n}")
    name = "党员群众满意度"
    max_points = 5
    method = "manual"


class BranchScoreFactory(ServiceFactory):
    """A branch's score for a period, computed by ``score_branches``."""

    class Meta:
        model = "organizations.BranchScore"

    branch = factory.LazyFunction(new_branch)
    period = "2026-Q1"

    @classmethod
    def service(cls, *, branch, period):
        from organizations.models import BranchScore
        from organizations.scoring.service import score_branches

        score_branches(period=period, org=branch)
        return BranchScore.objects.get(branch=branch, period=period)


class ManualScoreFactory(ModelFactory):
    """Points entered by hand for a manual criterion (the scoring admin's row)."""

    class Meta:
        model = "organizations.ManualScore"

    branch = factory.LazyFunction(new_branch)
    criterion = factory.SubFactory(ScoringCriterionFactory)
    period = "2026-Q1"
    points = 3


class NotificationRouteFactory(ServiceFactory):
    """A notification route through ``route_save`` (validated)."""

    class Meta:
        model = "organizations.NotificationRoute"

    organization = factory.LazyFunction(new_community)
    channel = "console"
    target = ""
    role = ""

    @classmethod
    def service(cls, **fields):
        from organizations.models import NotificationRoute
        from organizations.notify_routes import route_save

        return route_save(route=NotificationRoute(**fields))


def _api_client():
    return services.access_scope_set(user=new_user(), organization=new_community(), role=Role.API_CLIENT).user


class WebhookFactory(ServiceFactory):
    """A webhook registered by an API client for its scope, through ``webhook_create``."""

    class Meta:
        model = "organizations.Webhook"

    user = factory.LazyFunction(_api_client)
    name = factory.Sequence(lambda n: f"网格系统{n}")
    url = factory.Sequence(lambda n: f"https://grid{n}.example.org/hook")
    secret = "a-very-long-shared-secret"
    event_types = factory.LazyFunction(lambda: ["member.created"])

    service = service_call("organizations.webhooks.webhook_create")


class WebhookDeliveryFactory(ServiceFactory):
    """A queued delivery of an event to a webhook, through ``emit``."""

    class Meta:
        model = "organizations.WebhookDelivery"

    webhook = factory.SubFactory(WebhookFactory)
    event_type = "member.created"

    @classmethod
    def service(cls, *, webhook, event_type):
        from organizations.webhooks import emit

        n = next(_seq)
        emit(event_type, organizations=[webhook.organization_id], object_id=n, data={"id": n, "name": "王*"})
        return webhook.deliveries.latest("pk")


__all__ = [
    "AccessScopeFactory",
    "BranchScoreFactory",
    "BuildingFactory",
    "CompoundFactory",
    "ManualScoreFactory",
    "NotificationRouteFactory",
    "OrganizationFactory",
    "ReminderFactory",
    "ScoringCriterionFactory",
    "ScoringItemFactory",
    "ScoringRubricFactory",
    "TermLengthFactory",
    "VenueFactory",
    "WebhookDeliveryFactory",
    "WebhookFactory",
]
