"""The shortcuts of the faster protection give what the plain methods give (issue 10, speed).

- The audit solves each end of a cell's interval as a linear program first and
  takes a whole-number optimum of it as the integer program's: the intervals
  must be those scipy's milp (the integer program, from scratch) finds.
- Secondary suppression keeps the fillings its search found and does not
  search again for cells they already show to be safe: `exposed` with a cache
  warmed by fewer hidden cells must give what it gives with an empty cache.
"""

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from brik.statistics import audit, disclosure
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
    relations_all, cell_rows = audit._rows(system, audit.inequalities(tables, system.values))
    for cells, indexes in audit._components(hidden, cell_rows):
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
