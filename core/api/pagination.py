import json

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

# Past this many rows a list says "more than N" instead of counting every row: the COUNT of a
# district's whole ledger cost more than the page itself.
COUNT_CAP = 10_000


class StandardPagination(PageNumberPagination):
    """``?page=N&page_size=M`` (at most 500 per page)."""

    page_size_query_param = "page_size"
    max_page_size = 500


class CappedCountPaginator(Paginator):
    """A paginator whose count reads at most ``COUNT_CAP + 1`` rows
    (``SELECT COUNT(*) FROM (... LIMIT cap + 1)``), so its cost does not grow with the table."""

    cap = COUNT_CAP

    @cached_property
    def count(self):
        return self._capped_count()

    def _capped_count(self) -> int:
        # Only the key is selected: per-row annotations of the page (figures in subqueries)
        # would otherwise run for every counted row.
        rows = self.object_list
        if hasattr(rows, "values"):
            rows = rows.order_by().values("pk")
        return rows[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        # The page's keys first, sorted and skipped on the key columns alone, then its rows with
        # their joins, in the same statement: a deep page no longer sorts every wide joined row
        # of the list (the planner cannot estimate a scope's id array, so it joins before
        # sorting).
        number = self.validate_number(number)
        rows = self.object_list
        # A DISTINCT list would select its ordering columns beside the key: paged as Django does.
        if not isinstance(rows, QuerySet) or not rows.ordered or rows.query.distinct:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows.filter(pk__in=rows.values("pk")[bottom:top]), number, self)


def planner_estimate(queryset) -> int | None:
    """PostgreSQL's estimate of the rows ``queryset`` returns (``EXPLAIN``, nothing read), or
    ``None`` on another database."""
    rows = queryset.order_by().values("pk")
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(CappedCountPaginator):
    """For admin changelists: the count is exact up to ``COUNT_CAP``; past it, PostgreSQL's
    estimate (at least ``COUNT_CAP + 1``), so a changelist of 100k rows never counts them all
    and its page links still reach past the cap. On another database the count is exact."""

    @cached_property
    def count(self):
        capped = self._capped_count()
        if capped <= self.cap or not hasattr(self.object_list, "query"):
            return capped
        estimate = planner_estimate(self.object_list)
        if estimate is None:
            return self.object_list.count()
        return max(capped, estimate)


class CappedCountPagination(StandardPagination):
    """Like ``StandardPagination`` for very long lists: ``count`` is exact up to ``COUNT_CAP``;
    beyond it ``count`` is ``COUNT_CAP + 1`` and ``count_capped`` is true (pages past the cap
    are not served; narrow the filter or use ``since``/``until``)."""

    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.page.paginator.capped
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {"type": "boolean", "example": False}
        return schema
