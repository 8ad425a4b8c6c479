"""An integer outside its column's range matches no row: also in an `__in` list.

Django already answers `pk=2**63` with "no row" instead of letting the database
overflow (its IntegerFieldOverflow lookups), but not `pk__in=[2**63]`: SQLite
raises OverflowError and PostgreSQL "out of range", a server error for any form
with a multiple choice of records (interviewers, participants) sent a huge
number. Registered on IntegerField (and so on every auto and big integer
field) by brik.core.apps.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
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
