"""The shortcuts of the faster protection give what the plain methods give (issue 10, speed).

- The audit solves each end of a cell's interval as a linear program first and
  takes a whole-number optimum of it as the integer program's: the intervals
  must be those scipy's milp (the integer program, from scratch) finds.
- Secondary suppression keeps the fillings its search found and does not
  search again for cells they already show to be safe: `exposed` with a cache
  warmed by fewer hidden cells must give what it gives with an empty cache.
- The "show again" pass asks only whether any cell is exposed, and stops at the
  first: it must say so exactly when the whole search finds one.
- The audit narrows each cell's bounds by the relations before it solves: the
  bounds must hold every cell's exact interval, a cell they pin must have a
  one-value interval, and the intervals solved within them must be milp's.
- The hardening takes the suppression's fillings as witnesses: it must hide
  exactly what it hides without them.
"""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from brik.statistics import audit, bounds, disclosure
from brik.statistics.relations import Inequality, inequalities
from brik.statistics.tables import PRIMARY, SECONDARY
from brik.statistics.tests.test_disclosure_audit_properties import T, person, tables_of

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _milp_interval(problem, relations, system, j):
    """Cell j's interval by scipy's milp on the same relations: the reference."""
    cells = problem.cells
    position = {k: i for i, k in enumerate(cells)}
    matrix = np.zeros((max(len(relations), 1), len(cells)))
    lows, highs = np.zeros(len(relations)), np.zeros(len(relations))
    for r, (terms, lo, hi) in enumerate(relations):
        constant = 0.0
        for k, c in terms:
            if k in position:
                matrix[r, position[k]] += c
            else:
                constant += c * system.values[k]
        lows[r], highs[r] = lo - constant, hi - constant
    constraints = [LinearConstraint(matrix[: len(relations)], lows, highs)] if relations else []
    bounds = Bounds(
        np.array([1.0 if m == PRIMARY else 0.0 for m in problem.marks]),
        np.array([float(T - 1) if m == PRIMARY else np.inf for m in problem.marks]),
    )
    ends = []
    for sign in (1.0, -1.0):
        c = np.zeros(len(cells))
        c[j] = sign
        result = milp(c, constraints=constraints, integrality=np.ones(len(cells)), bounds=bounds)
        ends.append(-sign * math.inf if result.status != 0 else sign * result.fun)
    return ends


@SETTINGS
@given(st.lists(person, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_the_relaxation_first_gives_the_integer_programs_intervals(persons, random):
    tables = tables_of(persons)
    system = disclosure.build_system(tables, T)
    # Any hidden cells, not only a pattern that passes: narrow intervals are compared too.
    open_cells = sorted((k for k in system.values if k not in system.fixed), key=str)
    hidden = {k: PRIMARY if 1 <= system.values[k] < T else SECONDARY for k in open_cells}
    hidden = {k: m for k, m in hidden.items() if m == PRIMARY or random.random() < 0.5}
    relations_all, (cell_rows, rows_of) = audit._rows(system, inequalities(tables, system.values))
    for cells, indexes in audit._components(hidden, cell_rows, rows_of):
        relations = [relations_all[i] for i in indexes]
        problem = audit._Problem(system, hidden, T, cells, relations, True)
        for j in range(len(cells)):
            low, _x = problem.solve(j, 1.0)
            high, _x = problem.solve(j, -1.0)
            expected = _milp_interval(problem, relations, system, j)
            assert [round(low, 6), round(high, 6)] == [round(e, 6) for e in expected]


@SETTINGS
@given(st.lists(person, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_fillings_kept_from_fewer_hidden_cells_change_no_verdict(persons, random):
    system = disclosure.build_system(tables_of(persons), T)
    open_cells = sorted((k for k in system.values if k not in system.fixed), key=str)
    small = {k: PRIMARY for k in open_cells if 1 <= system.values[k] < T}
    more = {
        **small,
        **{k: SECONDARY for k in open_cells if k not in small and random.random() < 0.4},
    }
    # Some "<5" become "x" too: their ranges only widen.
    more.update({k: SECONDARY for k in small if random.random() < 0.3})
    warmed: dict = {}
    disclosure.exposed(system, small, T, warmed)
    assert disclosure.exposed(system, more, T, warmed) == disclosure.exposed(system, more, T, {})
    # And back to fewer hidden cells (the "show again" pass): the kept fillings that
    # moved a cell now shown do not apply.
    assert disclosure.exposed(system, small, T, warmed) == disclosure.exposed(system, small, T, {})


def _random_hidden(system, random, share=0.5):
    """The small cells as "<5", and about `share` of the other open cells as "x"."""
    open_cells = sorted((k for k in system.values if k not in system.fixed), key=str)
    hidden = {k: PRIMARY if 1 <= system.values[k] < T else SECONDARY for k in open_cells}
    return {k: m for k, m in hidden.items() if m == PRIMARY or random.random() < share}


@SETTINGS
@given(st.lists(person, min_size=10, max_size=80), st.randoms(use_true_random=False))
def test_the_search_for_any_exposed_cell_agrees_with_the_whole_search(persons, random):
    system = disclosure.build_system(tables_of(persons), T)
    s = disclosure._structure(system)
    # Larger years, and few cells hidden besides the small ones: some are exposed in
    # many examples.
    hidden = {s.number[k]: m for k, m in _random_hidden(system, random, 0.1).items()}
    top = max(s.values, default=0)
    whole = disclosure._exposed(s, hidden, T, top, {}, frozenset())
    near = {n for n in hidden if random.random() < 0.3}
    first = disclosure._exposed(s, hidden, T, top, {}, frozenset(), any_one=near)
    assert bool(first) == bool(whole)
    assert first <= whole
    assert len(first) <= 1


@SETTINGS
@given(st.lists(person, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_the_narrowed_bounds_hold_every_interval_and_pin_only_fixed_cells(persons, random):
    tables = tables_of(persons)
    system = disclosure.build_system(tables, T)
    hidden = _random_hidden(system, random)
    relations_all, (cell_rows, rows_of) = audit._rows(system, inequalities(tables, system.values))
    for cells, indexes in audit._components(hidden, cell_rows, rows_of):
        relations = [relations_all[i] for i in indexes]
        low_bound, high_bound = bounds.narrowed_bounds(system, hidden, T, cells, relations)
        bounded = audit._Problem(system, hidden, T, cells, relations, True, (low_bound, high_bound))
        for j in range(len(cells)):
            expected = _milp_interval(bounded, relations, system, j)
            assert low_bound[j] <= expected[0]
            assert expected[1] <= high_bound[j]
            if low_bound[j] == high_bound[j]:
                assert expected == [system.values[cells[j]]] * 2
            low, _x = bounded.solve(j, 1.0)
            high, _x = bounded.solve(j, -1.0)
            assert [round(low, 6), round(high, 6)] == [round(e, 6) for e in expected]


@SETTINGS
@given(st.lists(person, min_size=1, max_size=30))
def test_the_suppressions_fillings_change_nothing_the_hardening_hides(persons):
    tables = tables_of(persons)
    system = disclosure.build_system(tables, T)
    fillings: list = []
    hidden = disclosure.suppress(system, T, None, fillings)
    for filling in fillings:
        # Each filling meets every sum, with the cells it does not move at their counts.
        values = {**system.values, **filling}
        for eq in system.equations:
            assert values[eq.total] == sum(values[m] for m in eq.members)
    with_witnesses = audit.harden(system, hidden, T, tables=tables, witnesses=fillings)
    assert with_witnesses == audit.harden(system, hidden, T, tables=tables)


@SETTINGS
@given(st.lists(person, min_size=1, max_size=30), st.randoms(use_true_random=False))
def test_a_witness_clears_only_cells_the_audit_finds_wide_enough(persons, random):
    tables = tables_of(persons)
    system = disclosure.build_system(tables, T)
    fillings: list = []
    pattern = disclosure.suppress(system, T, None, fillings)
    # Fillings found for the suppression's pattern, judged against fewer hidden cells:
    # those that move a shown cell, or break a relation between tables, must not count.
    hidden = {k: m for k, m in pattern.items() if random.random() < 0.7}
    relations = inequalities(tables, system.values)
    cleared = audit._witnessed(system, hidden, T, relations, 1, fillings)
    exact = {i.key: i for i in audit.intervals(system, hidden, T, relations=relations)}
    assert cleared <= hidden.keys()
    assert all(exact[k].ok for k in cleared)


def test_the_ends_where_the_relaxations_optimum_is_not_a_whole_number():
    """a + b, b + c and a + c are each at most 1, and d = a + b + c is hidden: the
    relaxation's largest d is 1.5 (a half each), the integer program's 1. Whether the
    true d is 1 (the end is the count) or 0 (a solution with d = 1 shows the end),
    the audit must say 1, as milp does."""
    a, b, c, d = (("identified", (("cell", name), ("year", 2021))) for name in "abcd")
    relations = [
        Inequality(((a, 1), (b, 1)), 1),
        Inequality(((b, 1), (c, 1)), 1),
        Inequality(((a, 1), (c, 1)), 1),
    ]
    for values in ({a: 1, b: 0, c: 0, d: 1}, {a: 0, b: 0, c: 0, d: 0}):
        system = disclosure.System(
            values=values, equations=[disclosure.Equation(d, (a, b, c))], fixed=set()
        )
        hidden = dict.fromkeys(values, SECONDARY)
        found = {
            i.key: (i.low, i.high)
            for i in audit.intervals(system, hidden, T, relations=relations, width=1)
        }
        assert found == {a: (0, 1), b: (0, 1), c: (0, 1), d: (0, 1)}
