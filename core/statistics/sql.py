"""SQL pieces of the statistics that know no tree."""

from __future__ import annotations

from django.db.models import BooleanField, Expression


class AnyOf(Expression):
    """``column = ANY(ARRAY(subquery))`` (PostgreSQL; ``IN (subquery)`` elsewhere).

    For one node, PostgreSQL plans the subtree's ids as an array probed through the foreign-key
    index: as fast as the hand-written nested-set join for a street, and as the range join for a
    whole district (bench/stats.py), where a plain join on the range picks a sequential scan for
    small subtrees and ``IN (SELECT ...)`` a semi-join."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column, subquery):
        super().__init__()
        self.column, self.subquery = column, subquery

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs):
        self.column, self.subquery = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)
        if connection.vendor == "postgresql":
            return f"{column} = ANY(ARRAY{subquery})", [*column_params, *subquery_params]
        return f"{column} IN {subquery}", [*column_params, *subquery_params]
