"""The demo's writer stores what the ORM and log_action would have stored."""

import datetime as dt

from brik.cases.models import Case, Person
from brik.core import choices as c
from brik.demo.records import make
from brik.demo.writer import Writer


def test_rows_written_in_bulk_read_back_as_the_orm_would_have_saved_them(db):
    person = make(Person, code="BRK-2021-0001", gender=c.Gender.WOMAN, birth_year=1990)
    person.created_at = person.updated_at = dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC)
    case = make(Case, person=person, referred_on=dt.date(2021, 3, 1), status="referred")
    case.created_at = case.updated_at = dt.datetime(2021, 3, 1, 10, 15, tzinfo=dt.UTC)
    writer = Writer()
    writer.insert([person])
    writer.insert([case])
    writer.reset_sequences()
    saved = Case.objects.select_related("person").get()
    assert saved.person.code == "BRK-2021-0001"
    assert saved.person.languages == []
    assert saved.created_at == dt.datetime(2021, 3, 1, 10, 15, tzinfo=dt.UTC)
    assert saved.sequence == 1
    # The database's own numbering continues after the demo's rows.
    later = Person.objects.create(code="BRK-2021-0002")
    assert later.pk > person.pk
