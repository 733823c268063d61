from django.core.paginator import Paginator
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
        # Only the key is selected: per-row annotations of the page (figures in subqueries)
        # would otherwise run for every counted row.
        rows = self.object_list
        if hasattr(rows, "values"):
            rows = rows.order_by().values("pk")
        return rows[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


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
