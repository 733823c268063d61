"""Every list/detail endpoint of ``/api/v1/``, found by walking the URL resolver the way the
authorization matrix does (``tests/security/test_authorization_matrix.py``), so a new endpoint is
checked without editing this file. On the demo district, as community staff of one community:

- list: 200, only rows in the user's scope, the same number of queries for half a page and a page;
- detail: 200 for a listed row, its ETag answered with 304 on ``If-None-Match``, another tag 200;
- scope: a row outside the user's subtree is never listed and its detail is 404;
- update round trip, where the endpoint is writable: the writable fields read back, sent again with
  PATCH, are accepted and read back unchanged (an endpoint answering 405 changes through actions);
- create round trip, where the list accepts POST: a listed row's read representation, its unique
  fields changed (``tests.integration.create_payloads``), is POSTed (201), read back as sent, and
  the new row is inside the user's scope. The endpoints that create through actions or that the
  role may not create on are ``NO_CREATE_ROUND_TRIP``, each with its reason.

The deeper checks per endpoint (``org`` filter, xlsx export, masking, a new row changing the list
ETag) are ``tests/api_mixins.py``, applied in tests/integration/test_endpoints.py.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

import config.api_urls
from organizations.models import Role
from tests.api_mixins import update_round_trip, update_serializer
from tests.integration.create_payloads import BUILDERS, NOT_READ_BACK, create_serializer, payload_for, same, source_row
from tests.routes import walk_routes
from tests.security import test_authorization_matrix as matrix

demo = matrix.demo  # the same seeded district as the matrix (a fixture)
ROLE = Role.COMMUNITY_STAFF


def read_endpoints():
    """``(list regex, detail regex or None, viewset class, writable)`` per routed list endpoint."""
    lists, details = {}, {}
    for regex, pattern in walk_routes(config.api_urls.urlpatterns):
        clean = regex.replace("^", "").replace("$", "")
        if "(?P<format>" in clean or clean.startswith(matrix.SKIP_PREFIXES):
            continue
        actions = getattr(pattern.callback, "actions", None) or {}
        cls = getattr(pattern.callback, "cls", None)
        if actions.get("get") == "list" and getattr(cls, "queryset", None) is not None:
            lists[clean] = cls
        elif actions.get("get") == "retrieve":
            details[clean.split("(?P<pk>")[0]] = (clean, "patch" in actions)
    return [(regex, *details.get(regex, (None, False)), cls) for regex, cls in lists.items()]


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _check_list(client, url, model, user, problems):
    r = client.get(url, {"page_size": 10})
    if r.status_code != 200:
        problems.append(f"{url}: list {r.status_code} {r.content[:160]!r}")
        return []
    ids = [row["id"] for row in r.json()["results"]]
    visible = set(model._default_manager.for_user(user).filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - visible:
        problems.append(f"{url}: lists rows outside the scope {sorted(set(ids) - visible)}")
    # Half a page and a page: the same queries (the scope's per-model id sets are one query each
    # whatever the number of rows, once some row refers to that model).
    if len(ids) >= 4:
        counts = []
        for size in (len(ids) // 2, len(ids)):
            with CaptureQueriesContext(connection) as ctx:
                client.get(url, {"page_size": size})
            counts.append(len(ctx.captured_queries))
        if counts[0] != counts[1]:
            problems.append(f"{url}: {counts[0]} queries for {len(ids) // 2} rows, {counts[1]} for {len(ids)}")
    return ids


def _check_etag(client, url, problems):
    r = client.get(url)
    tag = r.get("ETag", "")
    if r.status_code != 200 or not tag.startswith('"'):
        problems.append(f"{url}: {r.status_code} without an ETag")
        return r
    again = client.get(url, HTTP_IF_NONE_MATCH=tag)
    if again.status_code != 304 or again.content:
        problems.append(f"{url}: If-None-Match with its own ETag gave {again.status_code}")
    if client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code != 200:
        problems.append(f"{url}: another ETag is not a full answer")
    return r


def test_every_list_and_detail_endpoint(demo):
    user = matrix._user(ROLE, demo)
    node = demo[matrix.ROLE_NODE[ROLE]]
    client = _client(user)
    problems, empty = [], []
    endpoints = read_endpoints()
    assert len(endpoints) >= 25, endpoints
    for regex, detail, writable, cls in endpoints:
        url = matrix._url(regex)
        model = cls.queryset.model
        ids = _check_list(client, url, model, user, problems)
        if detail is None:
            continue
        _check_etag(client, url, problems)
        outside = cls.queryset.exclude(pk__in=model._default_manager.for_user(user).values("pk")).first()
        if outside is not None:
            if client.get(matrix._url(detail, outside.pk)).status_code != 404:
                problems.append(f"{url}: an object outside the scope is not 404")
            if outside.pk in ids:
                problems.append(f"{url}: an object outside the scope is listed")
        if not ids:
            empty.append(url)
            continue
        _check_etag(client, matrix._url(detail, ids[0]), problems)
        if writable:
            target = matrix._targets(model, user, node)["inside"]
            if target is not None:
                problem = update_round_trip(client, matrix._url(detail, target.pk), update_serializer(cls))
                if problem:
                    problems.append(problem)
    assert not problems, "\n".join(problems)
    # Endpoints the demo district leaves empty for community staff are checked for scope only.
    assert len(empty) < len(endpoints) // 2, empty


# Endpoints whose list accepts POST but that get no create round trip here, and why.
NO_CREATE_ROUND_TRIP: dict[str, str] = {
    "funds/allocations/": "an allocation is made by the street or district above the branch (allocated_by_org), "
    "which community staff cannot name (outside their subtree: refused on that field)",
}


def create_endpoints():
    """``(list regex, detail regex, viewset class)`` per routed list endpoint that accepts POST."""
    out = []
    for regex, pattern in walk_routes(config.api_urls.urlpatterns):
        clean = regex.replace("^", "").replace("$", "")
        if "(?P<format>" in clean or clean.startswith(matrix.SKIP_PREFIXES):
            continue
        actions = getattr(pattern.callback, "actions", None) or {}
        if actions.get("get") == "list" and actions.get("post") == "create":
            out.append((clean, pattern.callback.cls))
    return out


def _create_round_trip(client, user, node, regex, cls) -> str | None:
    """POST a copy of a listed row (unique fields changed); the problem found, or None."""
    url = matrix._url(regex)
    model = cls.queryset.model
    ctx = {"user": user, "node": node}
    # As a real request would: the user (and the scope node's nested-set values it carries) is
    # loaded afresh, not kept from before the previous endpoint's write moved the tree.
    user = type(user).objects.get(pk=user.pk)
    client.force_authenticate(user)
    body = None
    if regex not in BUILDERS:
        # A row of this endpoint (its queryset: incoming letters are the transfers received).
        visible = model._default_manager.for_user(user).values("pk")
        source = source_row(regex, cls.queryset.filter(pk__in=visible), ctx)
        if source is None:
            return f"{url}: no row in the user's scope to copy a payload from"
        body = client.get(f"{url}{source.pk}/").json()
    payload = payload_for(regex, body, create_serializer(cls), model, ctx)
    r = client.post(url, payload, format="json")
    if r.status_code != 201:
        return f"{url}: create {r.status_code} {r.content.decode()[:400]} (sent {payload})"
    created = r.json()
    new_id = (created[0] if isinstance(created, list) else created)["id"]  # a payment answers its months
    if not model._default_manager.for_user(type(user).objects.get(pk=user.pk)).filter(pk=new_id).exists():
        return f"{url}: the new row {new_id} is outside the user's scope"
    user = type(user).objects.get(pk=user.pk)
    client.force_authenticate(user)
    read = client.get(f"{url}{new_id}/").json()
    unread = NOT_READ_BACK.get(regex, set())
    differ = {k: (v, read[k]) for k, v in payload.items() if k in read and k not in unread and not same(v, read[k])}
    return f"{url}: read back differs (sent, read) {differ}" if differ else None


def test_every_create_endpoint(demo):
    user = matrix._user(ROLE, demo)
    node = demo[matrix.ROLE_NODE[ROLE]]
    client = _client(user)
    problems, done = [], []
    endpoints = create_endpoints()
    assert len(endpoints) >= 30, endpoints
    for regex, cls in endpoints:
        if regex in NO_CREATE_ROUND_TRIP:
            continue
        problem = _create_round_trip(client, user, node, regex, cls)
        if problem:
            problems.append(problem)
        else:
            done.append(regex)
    assert not problems, "\n".join(problems)
    assert set(NO_CREATE_ROUND_TRIP) <= {regex for regex, _cls in endpoints}, "allow-list names a gone endpoint"
    assert len(done) == len(endpoints) - len(NO_CREATE_ROUND_TRIP)
