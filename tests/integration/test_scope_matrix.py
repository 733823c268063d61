"""The scope matrix: for every role, every API list endpoint, every xlsx export, every record's
detail URL, every admin changelist, sidebar filter and autocomplete, every embedded brief and
every uploaded file — nothing of another district is listed, counted, offered or reachable.

The demo district 南岸区 is seeded with data in every model (members, meetings, committees,
projects, scores, points, reminders); the users below are scoped inside a second district, so
every row they could see would be a leak.
"""

import io
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

import config.api_urls
from organizations.models import Organization, Role
from organizations.scope import subtree_filter
from tests.factories import make_tree, make_user
from tests.routes import walk_routes

ROLES = (
    ("district", Role.DISTRICT_ADMIN),
    ("street", Role.STREET_STAFF),
    ("community_a", Role.COMMUNITY_STAFF),
    ("branch_a", Role.BRANCH_SECRETARY),
    ("district", Role.API_CLIENT),
)


def _list_endpoints():
    """Every router list URL of ``/api/v1/`` with the model behind it."""
    out = []
    for regex, pattern in walk_routes(config.api_urls.urlpatterns):
        if not regex.endswith("/$") or "(?P<" in regex:
            continue
        cls = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", None) or {}
        queryset = getattr(cls, "queryset", None)
        if queryset is None or actions.get("get") != "list":
            continue
        out.append(("/api/v1/" + regex.strip("^$"), queryset.model))
    return out


@pytest.fixture
def world(db):
    call_command("seed_demo", stdout=StringIO())  # 南岸区, with data in every app
    other = make_tree("外区")
    users = {role: make_user(f"u_{role}", other[node], role) for node, role in ROLES}
    return users


def _own(model) -> set[int]:
    """Rows that legitimately belong to the second district (its organization nodes, access
    scopes and their audit entries): any row placed in 南岸区 would be a leak."""
    district = Organization.objects.exclude(code="NA").get(parent__isnull=True, name="外区区委")
    paths = getattr(model, "SCOPE_PATHS", None)
    if not paths:
        return set()
    return set(model._default_manager.filter(subtree_filter(model, district)).values_list("pk", flat=True))


def test_matrix_covers_every_app():
    labels = {model._meta.app_label for _url, model in _list_endpoints()}
    assert labels == {"organizations", "members", "committees", "projects"}
    assert len(_list_endpoints()) >= 20


def test_no_api_list_export_or_detail_leaks(world):
    endpoints = _list_endpoints()
    leaks = []
    for role, user in world.items():
        client = APIClient()
        client.force_authenticate(user)
        for url, model in endpoints:
            if getattr(model, "SCOPE_PATHS", None) == ():
                continue  # district-wide reference data (rubric, requirements): the same for all
            response = client.get(url, {"page_size": 500})
            if response.status_code == 403:
                continue  # the role may not read this at all
            if response.status_code != 200:
                leaks.append(f"{role} {url} list: {response.status_code}")
                continue
            ids = {row["id"] for row in response.json()["results"]}
            if not ids <= _own(model) or response.json()["count"] != len(ids):
                leaks.append(f"{role} {url} list: {sorted(ids - _own(model))[:5]}")
                continue
            export = client.get(url, {"format": "xlsx"})
            if export.status_code == 200:
                rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
                if len(rows) - 1 != len(ids):
                    leaks.append(f"{role} {url} xlsx: {len(rows) - 1} rows, list had {len(ids)}")
            outside = model._default_manager.exclude(pk__in=_own(model)).order_by("pk").first()
            if outside is not None:
                detail = client.get(f"{url}{outside.pk}/")
                if detail.status_code not in (403, 404):
                    leaks.append(f"{role} {url}{outside.pk}/ detail: {detail.status_code}")
    assert leaks == []


def test_no_admin_changelist_or_change_page_leaks(world):
    leaks = []
    for role, user in world.items():
        if not user.is_staff:
            continue  # secretaries and API clients have no admin
        client = Client()
        client.force_login(user)
        for model in list(admin.site._registry):
            if model._meta.app_label not in ("organizations", "members", "committees", "projects"):
                continue
            if getattr(model, "SCOPE_PATHS", None) == ():
                continue
            opts = model._meta
            response = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
            if response.status_code in (302, 403):
                continue
            changelist = response.context.get("cl") if response.context else None
            shown = {obj.pk for obj in changelist.result_list} if changelist is not None else set()
            if response.status_code != 200 or not shown <= _own(model):
                leaks.append(f"{role} admin {opts.label}: {response.status_code}, {sorted(shown - _own(model))[:5]}")
            outside = model._default_manager.exclude(pk__in=_own(model)).order_by("pk").first()
            if outside is not None:
                change = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{outside.pk}/change/")
                # Django admin answers a hidden row with a redirect to the index ("does not exist").
                if change.status_code == 200:
                    leaks.append(f"{role} admin {opts.label} change page {outside.pk}: 200")
    assert leaks == []


def _choice_ids(spec) -> tuple[type | None, set]:
    """The related model and the ids a sidebar filter offers (related-field filters only)."""
    choices = getattr(spec, "lookup_choices", None)
    field = getattr(spec, "field", None)
    related = getattr(field, "related_model", None)
    if related is None or not choices:
        return None, set()
    return related, {pk for pk, _label in choices}


def test_no_admin_sidebar_filter_or_autocomplete_offers_outside_objects(world):
    leaks = []
    for role, user in world.items():
        if not user.is_staff:
            continue
        client = Client()
        client.force_login(user)
        for model, model_admin in list(admin.site._registry.items()):
            if model._meta.app_label not in ("organizations", "members", "committees", "projects"):
                continue
            opts = model._meta
            response = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
            changelist = response.context.get("cl") if response.status_code == 200 and response.context else None
            for spec in getattr(changelist, "filter_specs", ()) if changelist is not None else ():
                related, ids = _choice_ids(spec)
                if related is not None and getattr(related, "SCOPE_PATHS", None) and not ids <= _own(related):
                    leaks.append(f"{role} {opts.label} filter {spec.title}: {sorted(ids - _own(related))[:5]}")
            for name in model_admin.get_autocomplete_fields(None):
                related = opts.get_field(name).related_model
                r = client.get(
                    "/admin/autocomplete/",
                    {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": name, "term": ""},
                )
                if r.status_code != 200:
                    continue  # the role may not use this form at all
                ids = {int(row["id"]) for row in r.json()["results"]}
                if getattr(related, "SCOPE_PATHS", None) and not ids <= _own(related):
                    leaks.append(f"{role} {opts.label}.{name} autocomplete: {sorted(ids - _own(related))[:5]}")
    assert leaks == []


def _brief_ids(value):
    """Organization ids shown inside nested briefs of an API row (``{"id", "name", "kind"}``)."""
    if isinstance(value, dict):
        found = set()
        if {"id", "name", "kind"} <= set(value) and value["id"] is not None:
            found.add(value["id"])
        for inner in value.values():
            found |= _brief_ids(inner)
        return found
    if isinstance(value, list):
        return set().union(*(_brief_ids(v) for v in value)) if value else set()
    return set()


def test_no_embedded_brief_or_file_leaks(world):
    """Rows of every list name no organization of 南岸区 in their briefs, and no uploaded file
    of 南岸区 is served to the users of the other district."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from members.meetings import meeting_record
    from members.models import Member
    from organizations.files import FILE_FIELDS

    own_orgs = _own(Organization)
    leaks = []
    for role, user in world.items():
        client = APIClient()
        client.force_authenticate(user)
        for url, _model in _list_endpoints():
            response = client.get(url, {"page_size": 500})
            if response.status_code != 200:
                continue
            shown = _brief_ids(response.json()["results"])
            if not shown <= own_orgs:
                leaks.append(f"{role} {url} briefs: {sorted(shown - own_orgs)[:5]}")
    branch = Organization.objects.filter(code__startswith="NA", kind="compound_branch").first()
    member = Member.objects.filter(branch=branch).first()
    meeting_record(
        organization=branch,
        kind="party_congress",
        topic="矩阵照片",
        held_at=timezone.now() - datetime.timedelta(days=1),
        attendance=[{"member": member.pk, "status": "present"}],
        attachments=[SimpleUploadedFile("合影.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)],
    )
    files = []
    for spec in FILE_FIELDS:
        from django.apps import apps

        model = apps.get_model(spec.model)
        files += [getattr(o, spec.field) for o in model._default_manager.exclude(**{spec.field: ""})]
    assert files
    anonymous = Client()
    for stored in files:
        if anonymous.get(stored.url).status_code != 404:
            leaks.append(f"anonymous {stored.url}")
        for role, user in world.items():
            web = Client()
            web.force_login(user)
            if web.get(stored.url).status_code != 404:
                leaks.append(f"{role} {stored.url}")
    assert leaks == []
