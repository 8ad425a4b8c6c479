"""An id no row can have matches no row, instead of a server error.

Django already answers `pk=2**63` with "no row" instead of letting the database
overflow (its IntegerFieldOverflow lookups), but not `pk__in=[2**63]` (SQLite
raises OverflowError, PostgreSQL "out of range") nor `pk__in=["\\x00"]` (a
ValueError). Any form with a multiple choice of records (interviewers,
participants), the admin's actions on selected rows and its autocomplete boxes
hit this when sent a tampered value. Here such values are left out of the list:
no row has them as its id.

Registered on IntegerField (so on every auto and big integer field) by
brik.core.apps. A year the calendar cannot hold (`date__year=2**63`) still
raises: answering "no row" there would let a page that loops over the years up
to the one asked for run on for billions of them.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


def _is_integer(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    try:
        int(str(value).strip())
    except (TypeError, ValueError):
        return False
    return True


class IntegerFieldIn(In):
    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and isinstance(self.rhs, (list, tuple, set, frozenset)):
            self.rhs = [v for v in self.rhs if v is None or _is_integer(v)]
        return super().get_prep_lookup()

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
