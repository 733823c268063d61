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
masked). ``masked_columns`` maps an xlsx header to a regex every non-empty cell must match
(e.g. ``{"手机号": r"^\\d{3}\\*{4}\\d{4}$"}``) — members endpoints set it at merge time.
"""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

CJK = re.compile(r"[\u4e00-\u9fff]")


class APIEndpointChecks:
    url: str = ""
    model = None
    masked_columns: dict[str, str] = {}
    # Headers allowed without Chinese characters (e.g. "ID").
    latin_headers: tuple[str, ...] = ("ID",)

    def make(self, tree, inside: bool, n: int):
        raise NotImplementedError

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
