"""Database expressions the statistics need and Django does not run natively everywhere.

Django runs `ExtractYear` on SQLite through a Python function that SQLite calls
once per row (django_date_extract): at 100,000 assessments the report's age
query spent most of its time there. `Year` is the same expression written in
SQL for dates, so SQLite computes it itself; elsewhere it is Django's own.
`DaysBetween` is the same for the days between two dates.
"""

from __future__ import annotations

from django.db.models import DateField, DateTimeField, Func, IntegerField
from django.db.models.functions import ExtractYear


class Year(ExtractYear):
    """The year of a date, as an integer: ExtractYear without a Python call per row on SQLite.

    Only for dates: a datetime's year depends on the time zone, which SQLite
    cannot convert natively, so a datetime keeps Django's function (same result).
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        field = self.lhs.output_field
        if not isinstance(field, DateField) or isinstance(field, DateTimeField):
            return super().as_sql(compiler, connection)
        sql, params = compiler.compile(self.lhs)
        # Dates are stored as 'YYYY-MM-DD' text. "%%" is one "%" once Django's
        # SQLite cursor has turned its "%s" placeholders into "?".
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


class DaysBetween(Func):
    """Whole days from the date `start` to the date `end` (end - start), as an integer,
    computed by the database: Django's date subtraction gives a duration that SQLite
    works out through a Python function per row, and the report only needs days."""

    output_field = IntegerField()
    arity = 2  # DaysBetween(end, start)

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL: date - date is an integer number of days.
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return f"({end} - {start})", (*end_params, *start_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        # Dates are 'YYYY-MM-DD' text; julianday's difference of two dates is whole.
        return (
            f"CAST(julianday({end}) - julianday({start}) AS INTEGER)",
            (*end_params, *start_params),
        )
