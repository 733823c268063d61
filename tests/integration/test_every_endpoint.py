"""Every list/detail endpoint of ``/api/v1/``, found by walking the URL resolver the way the
authorization matrix does (``tests/security/test_authorization_matrix.py``), so a new endpoint is
checked without editing this file. On the demo district, as community staff of one community:

- list: 200, only rows in the user's scope, the same number of queries for half a page and a page;
- detail: 200 for a listed row, its ETag answered with 304 on ``If-None-Match``, another tag 200;
- scope: a row outside the user's subtree is never listed and its detail is 404;
- update round trip, where the endpoint is writable: the writable fields read back, sent again with
  PATCH, are accepted and read back unchanged (an endpoint answering 405 changes through actions).

The deeper checks per endpoint (``org`` filter, xlsx export, masking, a new row changing the list
ETag) are ``tests/api_mixins.py``, applied in tests/integration/test_endpoints.py.
"""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

import config.api_urls
from organizations.models import Role
from tests.security import test_authorization_matrix as matrix

demo = matrix.demo  # the same seeded district as the matrix (a fixture)
ROLE = Role.COMMUNITY_STAFF
# Values the API shows masked (personal data): sent back they would not be the stored value.
MASK = "*"
# Fields every write moves on (the optimistic-locking counter).
COUNTERS = {"version"}


def read_endpoints():
    """``(list regex, detail regex or None, viewset class, writable)`` per routed list endpoint."""
    lists, details = {}, {}
    for regex, pattern in matrix._walk(config.api_urls.urlpatterns):
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


def _update_serializer(cls):
    view = cls()
    view.action, view.request, view.format_kwarg, view.kwargs = "partial_update", None, None, {}
    return view.get_serializer_class()


def _writable(serializer_class, body: dict) -> dict:
    """The fields of ``body`` the update serializer accepts back as they were read (no files,
    nothing masked, no nested objects)."""
    fields = serializer_class(context={}).fields
    out = {}
    for name, value in body.items():
        field = fields.get(name)
        if field is None or field.read_only or name == "id":
            continue
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
            continue
        if isinstance(value, str) and (MASK in value or value.startswith("http")):
            continue
        out[name] = value
    return out


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


def _refused_fields(response, sent: dict) -> set[str]:
    """The sent fields a 400 names: as error keys, or in a message ("cannot change here: kind")."""
    if response.status_code != 400:
        return set()
    errors = response.json().get("errors", {})
    text = " ".join(str(m) for m in errors.get("non_field_errors", []))
    return {name for name in sent if name in errors or re.search(rf"\b{name}\b", text)}


def _check_round_trip(client, url, cls, body, problems):
    """PATCH the values read back. A field the update refuses as such (a rule: the parent moves
    through ``move``, a link outside the user's scope stays as it is) is left out and the rest
    sent again; 405 means the records are changed through actions only."""
    sent = _writable(_update_serializer(cls), body)
    r = client.patch(url, sent, format="json")
    for _attempt in range(3):
        refused = _refused_fields(r, sent)
        if not refused:
            break
        sent = {k: v for k, v in sent.items() if k not in refused}
        r = client.patch(url, sent, format="json")
    if r.status_code == 405:
        return
    if r.status_code != 200:
        problems.append(f"{url}: PATCH of its own values {r.status_code} {r.content[:200]!r}")
        return
    after = client.get(url).json()
    changed = {k for k, v in sent.items() if after.get(k) != v and k not in COUNTERS}
    if changed:
        problems.append(f"{url}: PATCH of its own values changed {sorted(changed)}")


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
        body = _check_etag(client, matrix._url(detail, ids[0]), problems).json()
        if writable:
            target = matrix._targets(model, user, node)["inside"]
            if target is not None:
                body = client.get(matrix._url(detail, target.pk)).json()
                _check_round_trip(client, matrix._url(detail, target.pk), cls, body, problems)
    assert not problems, "\n".join(problems)
    # Endpoints the demo district leaves empty for community staff are checked for scope only.
    assert len(empty) < len(endpoints) // 2, empty
