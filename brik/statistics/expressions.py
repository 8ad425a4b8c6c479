"""Database expressions the statistics need and Django does not run natively everywhere.

Django runs `ExtractYear` on SQLite through a Python function that SQLite calls
once per row (django_date_extract): at 100,000 assessments the report's age
query spent most of its time there. `Year` is the same expression written in
SQL for dates, so SQLite computes it itself; elsewhere it is Django's own.
"""

from __future__ import annotations

from django.db.models import DateField, DateTimeField
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
