"""Generic API endpoint checks (NetBox ``APIViewTestCases`` style).

Apply to an endpoint in a few lines::

    class TestCompounds(APIEndpointChecks):
        url = "/api/v1/compounds/"
        model = Compound

        def make(self, tree, inside, n):   # one object under community A (inside) or B (outside)
            return Compound.objects.create(community=tree["community_a" if inside else "community_b"], name=f"c{n}")

The viewer is ``staff_a`` (community staff of community A, see ``tests/conftest.py``). Checks:
list and detail; the ``org`` subtree filter; scope (an object outside never listed, its detail
is 404, no count includes it); the same number of queries for 1 and 50 rows; ETag + 304;
``?format=xlsx`` (opens with openpyxl, Chinese headers, the whole filtered list, the masked columns
masked); an update round trip (the writable fields read back and PATCHed again are accepted and read
back unchanged); and, where ``factory`` is set, a create round trip: a payload built by that
factory (``factory_fields``) is created (201), read back as sent and listed, and the same payload
pointing outside the scope is refused on that field (400, nothing saved). ``masked_columns`` maps an xlsx header to a regex every non-empty cell must match
(e.g. ``{"手机号": r"^\\d{3}\\*{4}\\d{4}$"}``) — members endpoints set it at merge time.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

CJK = re.compile(r"[\u4e00-\u9fff]")
# Values the API shows masked (personal data): sent back they would not be the stored value.
MASK = "*"
# Fields every write moves on (the optimistic-locking counter).
COUNTERS = {"version"}


def writable_fields(serializer_class, body: dict) -> dict:
    """The fields of ``body`` (a detail read) the serializer accepts back as they were read: no
    files or links, nothing masked, no nested objects."""
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


def refused_fields(response, sent: dict) -> set[str]:
    """The sent fields a 400 names: as error keys, or in a message ("cannot change here: kind")."""
    if response.status_code != 400:
        return set()
    errors = response.json().get("errors", {})
    text = " ".join(str(m) for m in errors.get("non_field_errors", []))
    return {name for name in sent if name in errors or re.search(rf"\b{name}\b", text)}


def update_round_trip(client, url: str, serializer_class) -> str | None:
    """PATCH a detail's own values back; the problem found, or None. A field the update refuses
    as such (a rule: the parent moves through ``move``, a link outside the user's scope stays)
    is left out and the rest sent again; 405 means the records change through actions only."""
    sent = writable_fields(serializer_class, client.get(url).json())
    r = client.patch(url, sent, format="json")
    for _attempt in range(3):
        refused = refused_fields(r, sent)
        if not refused:
            break
        sent = {k: v for k, v in sent.items() if k not in refused}
        r = client.patch(url, sent, format="json")
    if r.status_code == 405:
        return None
    if r.status_code != 200:
        return f"{url}: PATCH of its own values {r.status_code} {r.content[:200]!r}"
    after = client.get(url).json()
    changed = {k for k, v in sent.items() if after.get(k) != v and k not in COUNTERS}
    return f"{url}: PATCH of its own values changed {sorted(changed)}" if changed else None


def update_serializer(viewset):
    """The serializer class ``viewset`` uses for a partial update."""
    view = viewset()
    view.action, view.request, view.format_kwarg, view.kwargs = "partial_update", None, None, {}
    return view.get_serializer_class()


def factory_payload(factory_class, **fields) -> dict:
    """A JSON payload from a factory's declarations (its stub: nothing saved), model instances as
    their ids."""
    built = vars(factory_class.stub(**fields))
    values = {k: (v.pk if isinstance(v, models.Model) else v) for k, v in built.items() if v is not None}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))  # as the API reads it: dates as text


class APIEndpointChecks:
    url: str = ""
    model = None
    masked_columns: dict[str, str] = {}
    # Headers allowed without Chinese characters (e.g. "ID").
    latin_headers: tuple[str, ...] = ("ID",)

    # A factory of tests/factories/ building the create payload, and the fields it is given
    # (``factory_fields(tree, inside)``); no factory, no create round trip.
    factory = None
    # Payload fields the API does not take (service arguments such as ``today``).
    not_in_payload: tuple[str, ...] = ("today",)
    # Payload fields (personal data) the API never reads back in clear: masked or left out.
    masked_on_read: tuple[str, ...] = ()

    def make(self, tree, inside: bool, n: int):
        raise NotImplementedError

    def factory_fields(self, tree, inside: bool) -> dict:
        return {}

    # --- helpers

    def _ids(self, response) -> set[int]:
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    def _objects(self, tree, inside: bool, count: int, start: int = 0):
        return [self.make(tree, inside, start + i) for i in range(count)]

    def _list_all(self, client, **params):
        r = client.get(self.url, {"page_size": 500, **params})
        assert r.status_code == 200, r.content
        return r.json()

    # --- checks

    def test_list_detail_and_scope(self, tree, staff_a, api_client_for):
        inside = self._objects(tree, True, 2)
        outside = self._objects(tree, False, 1, start=10)[0]
        client = api_client_for(staff_a)
        body = self._list_all(client)
        ids = {row["id"] for row in body["results"]}
        assert {o.pk for o in inside} <= ids
        assert outside.pk not in ids
        assert body["count"] == self.model.objects.for_user(staff_a).count() == len(ids)
        assert client.get(f"{self.url}{inside[0].pk}/").status_code == 200
        r = client.get(f"{self.url}{outside.pk}/")
        assert r.status_code == 404 and r.json()["code"] == "not_found"
        # An id filter pointing outside changes nothing: still never listed.
        assert outside.pk not in {row["id"] for row in self._list_all(client, org=tree["community_b"].pk)["results"]}

    def test_org_filter(self, tree, district_admin, staff_a, api_client_for):
        inside = self._objects(tree, True, 2)
        outside = self._objects(tree, False, 1, start=10)[0]
        admin = api_client_for(district_admin)
        in_a = {row["id"] for row in self._list_all(admin, org=tree["community_a"].pk)["results"]}
        assert {o.pk for o in inside} <= in_a and outside.pk not in in_a
        in_b = {row["id"] for row in self._list_all(admin, org=tree["community_b"].pk)["results"]}
        assert outside.pk in in_b and not ({o.pk for o in inside} & in_b)
        everything = {row["id"] for row in self._list_all(admin, org=tree["district"].pk)["results"]}
        assert in_a | in_b <= everything
        # Another user's node is no filter at all for staff_a: it matches nothing.
        assert self._list_all(api_client_for(staff_a), org=tree["community_b"].pk)["count"] == 0
        assert admin.get(self.url, {"org": "x"}).status_code == 400

    def test_query_count_same_for_1_and_50_rows(self, tree, staff_a, api_client_for):
        self._objects(tree, True, 50)
        client = api_client_for(staff_a)
        client.get(self.url, {"page_size": 1})  # warm the per-user scope cache

        def queries(page_size):
            with CaptureQueriesContext(connection) as ctx:
                r = client.get(self.url, {"page_size": page_size})
            assert r.status_code == 200
            assert len(r.json()["results"]) == page_size
            return len(ctx.captured_queries)

        assert queries(1) == queries(50)

    def test_etag_conditional_get(self, tree, staff_a, api_client_for):
        obj = self._objects(tree, True, 1)[0]
        client = api_client_for(staff_a)
        for url in (self.url, f"{self.url}{obj.pk}/"):
            r = client.get(url)
            tag = r["ETag"]
            assert tag.startswith('"')
            again = client.get(url, HTTP_IF_NONE_MATCH=tag)
            assert again.status_code == 304 and again.content == b""
            assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
        # A new object in scope changes the list: the old tag no longer matches, the new one does.
        list_tag = client.get(self.url)["ETag"]
        self.make(tree, True, 99)
        changed = client.get(self.url, HTTP_IF_NONE_MATCH=list_tag)
        assert changed.status_code == 200 and changed["ETag"] != list_tag
        assert client.get(self.url, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304

    def _viewset(self):
        from django.urls import resolve

        return resolve(self.url).func.cls

    def test_update_round_trip(self, tree, staff_a, api_client_for):
        obj = self._objects(tree, True, 1)[0]
        problem = update_round_trip(api_client_for(staff_a), f"{self.url}{obj.pk}/", update_serializer(self._viewset()))
        assert problem is None, problem

    def test_create_round_trip(self, tree, staff_a, api_client_for):
        if self.factory is None:
            pytest.skip("no factory for a create payload")
        client = api_client_for(staff_a)
        payload = {
            k: v
            for k, v in factory_payload(self.factory, **self.factory_fields(tree, True)).items()
            if k not in self.not_in_payload
        }
        r = client.post(self.url, payload, format="json")
        assert r.status_code == 201, r.content
        # Read back as the next request would: with the user loaded again (the client above holds
        # one user object, whose scope node a new tree node has since moved).
        reader = api_client_for(type(staff_a).objects.get(pk=staff_a.pk))
        body = reader.get(f"{self.url}{r.json()['id']}/").json()
        shown = {k: v for k, v in payload.items() if k not in self.masked_on_read}
        assert {k: body.get(k) for k in shown} == shown
        assert not any(payload[k] in map(str, body.values()) for k in self.masked_on_read), body
        assert r.json()["id"] in {row["id"] for row in self._list_all(client)["results"]}
        outside = factory_payload(self.factory, **self.factory_fields(tree, False))
        moved = {k: v for k, v in outside.items() if k in payload and v != payload[k]}
        assert moved, "the outside payload names no other organization"
        before = self.model._default_manager.count()
        refused = client.post(self.url, {**payload, **moved}, format="json")
        assert refused.status_code == 400 and set(refused.json()["errors"]) & set(moved), refused.content
        assert self.model._default_manager.count() == before

    def test_xlsx_export(self, tree, staff_a, api_client_for):
        self._objects(tree, True, 3)
        self._objects(tree, False, 1, start=10)
        client = api_client_for(staff_a)
        expected = self._list_all(client)["count"]
        r = client.get(self.url, {"format": "xlsx", "page_size": 1})
        assert r.status_code == 200, r.content
        assert r["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in r["Content-Disposition"]
        sheet = load_workbook(io.BytesIO(r.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        headers = rows[0]
        for header in headers:
            assert header and (CJK.search(str(header)) or header in self.latin_headers), header
        assert len(rows) - 1 == expected  # the whole filtered list, not one page
        for header, pattern in self.masked_columns.items():
            column = headers.index(header)
            for row in rows[1:]:
                if row[column]:
                    assert re.search(pattern, str(row[column])), (header, row[column])
        # Detail as xlsx: one row; a 404 stays JSON.
        first = self._list_all(client)["results"][0]["id"]
        detail = client.get(f"{self.url}{first}/", {"format": "xlsx"})
        assert len(list(load_workbook(io.BytesIO(detail.content)).active.iter_rows())) == 2
        missing = client.get(f"{self.url}999999999/", {"format": "xlsx"})
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"


__all__ = ["APIEndpointChecks", "pytest"]
