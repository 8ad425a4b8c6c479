"""Secondary suppression always passes its own audit (issue 10), on random persons.

Random persons, each with a gender and one to three forms of exploitation, in
two years, give linked tables as the report has them: persons by gender (each
in one row), by form (in one row or more, every one in at least one) and
Eurostat's form groups, all with the year's persons as total. Whatever the
data, the pattern `disclosure.protect` chooses must leave every hidden cell
wide enough when the audit attacks all tables together with integer
programming (sums, "at most the total", "at least one form", group ≥ form).
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brik.statistics import audit, disclosure
from brik.statistics.tables import TOTAL, Column, Row, Table

T = 5
YEARS = (2020, 2021)
GENDERS = ("woman", "man", "unknown")
FORMS = ("sexual", "forced_labour", "criminal")
GROUP_OF = {"sexual": "SEX_EXP", "forced_labour": "LAB_EXP", "criminal": "OTH"}

person = st.tuples(
    st.sampled_from(YEARS),
    st.sampled_from(GENDERS),
    st.sets(st.sampled_from(FORMS), min_size=1, max_size=3),
)


def _table(slug, row_dim, keys, counts, totals, *, additive) -> Table:
    return Table(
        slug=slug,
        title=slug,
        columns=[Column(key=y, label=str(y)) for y in YEARS],
        rows=[Row(key=k, label=k, values=[counts.get((y, k), 0) for y in YEARS]) for k in keys],
        total=Row(key=TOTAL, label="Total", values=[totals.get(y, 0) for y in YEARS]),
        note="",
        measure="identified",
        row_dim=row_dim,
        additive=additive,
    )


def tables_of(persons) -> list[Table]:
    totals: dict = {}
    genders: dict = {}
    forms: dict = {}
    groups: dict = {}
    for year, gender, kinds in persons:
        totals[year] = totals.get(year, 0) + 1
        genders[(year, gender)] = genders.get((year, gender), 0) + 1
        for form in kinds:
            forms[(year, form)] = forms.get((year, form), 0) + 1
        for group in {GROUP_OF[f] for f in kinds}:
            groups[(year, group)] = groups.get((year, group), 0) + 1
    return [
        _table("gender", "gender", GENDERS, genders, totals, additive=True),
        _table("forms", "form", FORMS, forms, totals, additive=False),
        _table(
            "eurostat_forms",
            "eurostat_form",
            sorted(set(GROUP_OF.values())),
            groups,
            totals,
            additive=False,
        ),
    ]


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(person, min_size=0, max_size=30))
def test_secondary_suppression_passes_its_own_audit(persons):
    protected = disclosure.protect(tables_of(persons), t=T)
    found = audit.audit_tables(protected, T, width=1)
    assert [i.describe() for i in audit.failures(found)] == []
    for table in protected:
        for row in table.all_rows():
            for i, value in enumerate(row.values):
                if 1 <= value < T and row is not table.total:
                    assert row.mark(i), "every small count is hidden"
