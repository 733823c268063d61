"""No hard deletes of domain records from any admin or any API endpoint."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import get_resolver

from core.audit import AUDITED_APPS
from tests.factories import make_user
from tests.routes import walk_routes


@pytest.fixture
def superuser(db):
    return make_user("root", is_superuser=True, is_staff=True)


def test_no_admin_deletes_domain_records(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in AUDITED_APPS:
            continue
        assert not model_admin.has_delete_permission(request), model._meta.label
        assert "delete_selected" not in model_admin.get_actions(request), model._meta.label
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_delete_permission(request), f"{model._meta.label} inline {inline}"
        checked += 1
    assert checked >= 4


def _api_views():
    for path, entry in walk_routes(get_resolver().url_patterns):
        if path.startswith("api/v1/"):
            yield path, entry.callback


def test_no_api_endpoint_accepts_delete():
    checked = 0
    for path, callback in _api_views():
        cls = getattr(callback, "cls", None)
        if cls is None:
            continue
        methods = {m.lower() for m in getattr(cls, "http_method_names", [])}
        actions = getattr(callback, "actions", None) or {}
        if "delete" in actions or hasattr(cls, "delete"):
            assert "delete" not in methods, path
        checked += 1
    assert checked >= 8


def test_delete_request_is_refused_even_for_a_superuser(tree, superuser, district_admin, api_client_for):
    from organizations.models import Organization

    assert api_client_for(superuser).delete(f"/api/v1/organizations/{tree['group_a'].pk}/").status_code == 405
    assert api_client_for(district_admin).delete(f"/api/v1/organizations/{tree['group_a'].pk}/").status_code == 403
    assert Organization.objects.filter(pk=tree["group_a"].pk).exists()
