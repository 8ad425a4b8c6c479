"""The code search: a text that starts like a code is a range of the codes' index, any
other part of a code a search within every code; both find what "contains, in any case"
finds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brik.cases.models import Person, codes_containing

pytestmark = pytest.mark.django_db

CODES = ["BRK-2019-0050", "BRK-2019-0501", "BRK-2019-5050", "BRK-2019-10050", "BRK-2020-0050"]


@pytest.fixture
def persons():
    return [Person.objects.create(code=code) for code in CODES]


@pytest.mark.parametrize(
    "text",
    [
        "BRK-2019-0050",
        "brk-2019-0050",
        " BRK-2019-005 ",
        "BRK-2019-",
        "BRK-",
        "brk",
        "BRK-2019-0050/2",
        "BRK-2019-1",
        "2019-0050",
        "0050",
        "50",
        "RK-2019",
        "BRK-2021",
        "BRK-2019-0050x",
        "BRK-2019-ØØ",
    ],
)
def test_codes_containing_finds_what_contains_in_any_case_finds(persons, text):
    expected = {code for code in CODES if text.strip().upper() in code}
    found = set(Person.objects.filter(codes_containing(text)).values_list("code", flat=True))
    assert found == expected


def test_a_text_that_starts_like_a_code_reads_a_range_of_the_index(persons):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL: LIKE 'x%', exact there (a range would follow the collation)")
    with CaptureQueriesContext(connection) as queries:
        list(Person.objects.filter(codes_containing("brk-2019-005")).values_list("code"))
    (sql,) = (q["sql"] for q in queries.captured_queries)
    assert "LIKE" not in sql.upper()
    assert "'BRK-2019-005'" in sql
    assert "'BRK-2019-006'" in sql
