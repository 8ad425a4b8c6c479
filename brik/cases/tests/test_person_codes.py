"""The code search: a text that starts like a code is a range of the codes' index, any
other part of a code a search of the codes' trigram index (cases/0020; a scan of every
code for a text SQLite's index cannot answer); all find what "contains, in any case"
finds, and the index follows every change of the codes."""

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


def test_part_of_a_code_can_be_read_from_the_trigram_index_on_postgresql(persons):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's trigram index (cases/0020); SQLite's is the FTS5 table")
    sql, params = (
        Person.objects.filter(codes_containing("2019-005"))
        .order_by()
        .values_list("pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        # A handful of rows: the planner would read the table whatever the indexes, or
        # walk the codes' unique index and compare each. Neither is allowed here, so the
        # plan reads the trigram index if it can serve the query and the table otherwise.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_code_trigram_idx" in plan, plan


def test_part_of_a_code_is_read_from_the_fts5_trigram_table_on_sqlite(persons):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 table (cases/0020)")
    query = Person.objects.filter(codes_containing("2019-005")).values_list("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = "\n".join(row[-1] for row in cursor.fetchall())
    assert "person_code_trigram VIRTUAL TABLE INDEX" in plan, plan
    # Two letters, or a character no code is written with: every code is compared.
    for text in ("50", "0050/2"):
        assert "person_code_trigram" not in str(Person.objects.filter(codes_containing(text)).query)


def test_the_trigram_index_follows_new_changed_and_deleted_codes(persons):
    def found(text):
        return set(Person.objects.filter(codes_containing(text)).values_list("code", flat=True))

    assert found("2019-005") == {"BRK-2019-0050"}
    assert found("10050") == {"BRK-2019-10050"}
    persons[0].code = "BRK-2019-0777"
    persons[0].save(update_fields=["code"])
    persons[3].delete()
    Person.objects.create(code="BRK-2022-0050")
    assert found("2019-005") == set()
    assert found("10050") == set()
    assert found("9-077") == {"BRK-2019-0777"}
    assert found("2-005") == {"BRK-2022-0050"}
    assert found("-0050") == {"BRK-2020-0050", "BRK-2022-0050"}
