"""The bases of the factories, and the tree builders every app's factories start from.

``ServiceFactory._create`` calls the service the admin, API and importer call, so a test cannot
build a state the rules forbid. ``ModelFactory`` is for reference rows the product edits in the
admin only (no service, no rule beyond the model's validation, which runs). Faker zh_CN gives
Chinese names; sequences keep unique fields unique."""

from __future__ import annotations

import datetime as _dt
import itertools
from importlib import import_module

import factory
from django.apps import apps
from django.contrib.auth import get_user_model

from organizations import services
from organizations.models import Formation, Organization, OrganizationKind

FAKER_LOCALE = "zh_CN"
TODAY = _dt.date(2026, 1, 1)

_codes = itertools.count(1)


def make_org(kind: str, parent: Organization | None = None, name: str | None = None, **extra) -> Organization:
    n = next(_codes)
    if kind == OrganizationKind.BRANCH:
        extra.setdefault("formation", Formation.STANDALONE)
    return services.organization_create(
        name=name or f"{OrganizationKind(kind).label}{n}", code=f"T{n:06d}", kind=kind, parent=parent, **extra
    )


def make_tree(prefix: str = "") -> dict[str, Organization]:
    """district → street → community → branch → group, plus a sibling community with its own
    branch: the smallest tree that shows scope isolation."""
    district = make_org(OrganizationKind.DISTRICT, name=f"{prefix}区委")
    street = make_org(OrganizationKind.STREET, district, name=f"{prefix}街道")
    community_a = make_org(OrganizationKind.COMMUNITY, street, name=f"{prefix}A社区")
    community_b = make_org(OrganizationKind.COMMUNITY, street, name=f"{prefix}B社区")
    branch_a = make_org(OrganizationKind.BRANCH, community_a, name=f"{prefix}A支部")
    branch_b = make_org(OrganizationKind.BRANCH, community_b, name=f"{prefix}B支部")
    group_a = make_org(OrganizationKind.GROUP, branch_a, name=f"{prefix}A党小组")
    return {
        "district": district,
        "street": street,
        "community_a": community_a,
        "community_b": community_b,
        "branch_a": branch_a,
        "branch_b": branch_b,
        "group_a": group_a,
    }


def new_community() -> Organization:
    """A community of a new district and street (a factory's default place)."""
    district = make_org(OrganizationKind.DISTRICT)
    return make_org(OrganizationKind.COMMUNITY, make_org(OrganizationKind.STREET, district))


def new_branch() -> Organization:
    """A compound branch of a new community (a factory's default branch)."""
    return make_org(OrganizationKind.BRANCH, new_community())


def make_user(username: str, organization: Organization | None = None, role: str | None = None, **extra):
    User = get_user_model()
    user = User.objects.create_user(username=username, password="Test-password-2026", **extra)
    if organization is not None:
        services.access_scope_set(user=user, organization=organization, role=role)
    return User.objects.get(pk=user.pk)


_usernames = itertools.count(1)


def new_user():
    """A user without a scope (an actor for services that record who did something)."""
    return make_user(f"factory_user{next(_usernames)}")


def model_of(factory_class) -> type:
    """The model class a factory declares (a class or an ``app.Model`` label)."""
    model = factory_class._meta.model
    return apps.get_model(model) if isinstance(model, str) else model


class ServiceFactory(factory.Factory):
    """Base: ``create`` hands the declared fields to ``service`` (a keyword-only service function)."""

    class Meta:
        abstract = True

    @classmethod
    def service(cls, **fields):
        raise NotImplementedError

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cls.service(**kwargs)


def service_call(path: str) -> classmethod:
    """The ``service`` of a factory whose service takes the declared fields as they are:
    ``service = service_call("committees.services.seat_save")``. The function is imported when the
    factory first creates a row, not when the factories load."""
    module, name = path.rsplit(".", 1)

    def service(cls, **fields):
        return getattr(import_module(module), name)(**fields)

    return classmethod(service)


class ModelFactory(factory.Factory):
    """Base for admin-edited reference rows: the model's own validation runs, then the row is saved."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        model = apps.get_model(model_class) if isinstance(model_class, str) else model_class
        obj = model(**kwargs)
        obj.full_clean()
        obj.save()
        return obj


__all__ = [
    "FAKER_LOCALE",
    "TODAY",
    "ModelFactory",
    "ServiceFactory",
    "make_org",
    "make_tree",
    "make_user",
    "model_of",
    "new_branch",
    "new_community",
    "new_user",
    "service_call",
]
