"""Every concrete model of the domain apps has a factory in ``tests.factories``, and each factory
builds a valid saved row (through the service that writes it; ``full_clean`` passes)."""

from __future__ import annotations

import inspect

import factory
import pytest
from django.apps import apps

import tests.factories as factories
from tests.factories.base import ModelFactory, ServiceFactory, model_of

APPS = ("core", "organizations", "members", "committees", "projects")


def domain_models() -> list[type]:
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.abstract and not model._meta.proxy and not model._meta.auto_created
    ]


def all_factories() -> dict[type, type]:
    """Model → its factory (the first declared, when several build the same model)."""
    out = {}
    for _name, value in sorted(vars(factories).items()):
        if (
            inspect.isclass(value)
            and issubclass(value, factory.Factory)
            and value not in (ServiceFactory, ModelFactory)
            and not value._meta.abstract
        ):
            out.setdefault(model_of(value), value)
    return out


def test_every_domain_model_has_a_factory():
    covered = all_factories()
    missing = sorted(m._meta.label for m in domain_models() if m not in covered)
    assert missing == [], f"models without a factory in tests/factories/: {missing}"
    assert len(domain_models()) > 80


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m._meta.label)
def test_factory_builds_a_valid_saved_row(db, model):
    factory_class = all_factories()[model]
    obj = factory_class()
    assert isinstance(obj, model), (factory_class, type(obj))
    assert obj.pk is not None and model._default_manager.filter(pk=obj.pk).exists()
    saved = model._default_manager.get(pk=obj.pk)
    saved.full_clean()
