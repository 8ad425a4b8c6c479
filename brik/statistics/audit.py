"""The attacker's audit: what an outsider can work out from everything Brik publishes.

The audit takes the place of an outsider with integer linear programming (the
approach of tau-ARGUS and sdcTable's audit). The outsider knows every shown
figure of every public output (all years, both languages, every format: they
carry the same cells), that a "<5" cell holds 1 to threshold-1 and an "x"
cell 0 or more, and every relation between the cells that Brik knows: the
sums of each table (`disclosure.build_system`) and the relations within and
between tables that are not sums (`brik.statistics.relations`).

For every hidden cell the audit asks the solver (HiGHS, through
highspy, the solver's own interface) for the smallest and the largest value the cell can
have while all of that holds: the interval the outsider can derive. A cell
is protected when its interval is at least BRIK_DISCLOSURE_MIN_WIDTH wide
and, for a cell whose true count is below the threshold, holds at least one
other value from 0 to threshold-1.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import highspy
import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from scipy.sparse import coo_matrix

from brik.statistics.bounds import narrowed_bounds
from brik.statistics.disclosure import Equation, System, linked_groups
from brik.statistics.relations import Inequality, inequalities
from brik.statistics.tables import PRIMARY, SECONDARY, CellKey, Table

DEFAULT_MIN_WIDTH = 1


def min_width() -> int:
    value = getattr(settings, "BRIK_DISCLOSURE_MIN_WIDTH", DEFAULT_MIN_WIDTH)
    if not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured("BRIK_DISCLOSURE_MIN_WIDTH must be an integer of at least 1.")
    return value


@dataclass
class Interval:
    key: CellKey
    mark: str
    value: int  # the true count (never published when hidden)
    low: float
    high: float  # math.inf when nothing bounds it from above
    ok: bool

    def describe(self) -> str:
        measure, coords = self.key
        where = ", ".join(f"{dim}={value}" for dim, value in coords)
        high = "∞" if math.isinf(self.high) else str(int(self.high))
        verdict = "ok" if self.ok else "TOO NARROW"
        return f"{measure}[{where}] {self.mark}: [{int(self.low)}, {high}] {verdict}"


# --- the attack ------------------------------------------------------------------------


def _components(
    hidden: dict[CellKey, str],
    rows: list[list[CellKey]],
    rows_of: dict[CellKey, list[int]] | None = None,
) -> list[tuple[list[CellKey], list[int]]]:
    """Groups of hidden cells linked by relations (`rows`: each relation's cells), each
    with the relations that hold its cells (their positions, in order). Walks from
    the hidden cells through their own relations only (`rows_of`: each cell's
    relations, made here when not given)."""
    of = _rows_of(rows) if rows_of is None else rows_of
    return [
        (sorted(group, key=str), sorted(used))
        for group, used in linked_groups(hidden, lambda cell: of.get(cell, ()), rows)
    ]


def _rows_of(rows: list[list[CellKey]]) -> dict[CellKey, list[int]]:
    found: dict[CellKey, list[int]] = defaultdict(list)
    for i, cells in enumerate(rows):
        for k in cells:
            if not found[k] or found[k][-1] != i:
                found[k].append(i)
    return found


def intervals(
    system: System,
    hidden: dict[CellKey, str],
    t: int,
    *,
    relations: Sequence[Inequality] = (),
    width: int | None = None,
    integral: bool = True,
    cache: dict | None = None,
    quick: bool = False,
) -> list[Interval]:
    """Every hidden cell's interval as an outsider derives it, and whether it is wide enough.

    Groups of hidden cells that share no relation are solved apart; `cache`
    keeps each group's answer for the next call (the same cells and marks give
    the same intervals).

    With `quick` (and a width of 1), a cell is cleared as soon as any solution
    gives it a value that meets the range, and one solution often clears many
    cells: the verdicts are the same, but the intervals of cleared cells are
    only as wide as the solutions seen (at least the range).
    """
    width = min_width() if width is None else width
    cache = {} if cache is None else cache
    # Each relation as (terms, lower, upper) over cells; known cells become constants.
    relations_all: list[tuple[list[tuple[CellKey, int]], float, float]] = []
    for eq in _equations(system.equations):
        relations_all.append(([(eq.total, 1), *((m, -1) for m in eq.members)], 0.0, 0.0))
    for ineq in relations:
        if all(k in system.values for k, _c in ineq.terms):
            relations_all.append((list(ineq.terms), -np.inf, float(ineq.bound)))
    out: list[Interval] = []
    cell_rows = [[k for k, _c in terms] for terms, _lo, _hi in relations_all]
    for cells, indexes in _components(hidden, cell_rows):
        signature = (frozenset((k, hidden[k]) for k in cells), width, integral, quick)
        if signature in cache:
            out.extend(cache[signature])
            continue
        problem = _Problem(system, hidden, t, cells, [relations_all[i] for i in indexes], integral)
        found = problem.quick(width) if quick else problem.full(width)
        cache[signature] = found
        out.extend(found)
    return sorted(out, key=lambda i: str(i.key))


def _quiet_highs() -> None:
    """HiGHS prints its banner to the process's standard output the first time a solver
    is made, whatever its options (the output_flag is read later): the first is made
    here with that output sent to /dev/null, so that no command's output (`brik report
    --format json`, say) carries it."""
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_quiet_highs()


class _Solver:
    """One HiGHS model whose objective is one cell, minimised or maximised."""

    def __init__(self, lp) -> None:
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.passModel(lp)
        self.objective: int | None = None

    def run(self, j: int | None, sign: float):
        """(status, the cell's optimum, the solution) with cell j's cost `sign`; no
        objective when j is None."""
        if self.objective is not None and self.objective != j:
            self.highs.changeColCost(self.objective, 0.0)
        if j is not None:
            self.highs.changeColCost(j, sign)
        self.objective = j
        self.highs.run()
        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal or j is None:
            return status, None, None
        x = np.array(self.highs.getSolution().col_value)
        return status, sign * self.highs.getInfo().objective_function_value, x

    def at(self, j: int, value: float, lower: float, upper: float):
        """A solution with cell j at `value` (cell j's bounds are lower, upper otherwise),
        or None."""
        if self.objective is not None:
            self.highs.changeColCost(self.objective, 0.0)
            self.objective = None
        self.highs.changeColBounds(j, value, value)
        self.highs.run()
        found = None
        if self.highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            found = np.array(self.highs.getSolution().col_value)
        self.highs.changeColBounds(j, lower, upper)
        return found


class _Problem:
    """One group of hidden cells linked by relations, as an integer program.

    The program is handed to HiGHS once (through highspy, its own Python interface)
    and only the objective changes between the solves for each cell's ends: the
    same solver scipy.optimize.milp calls, without building and checking the
    whole problem again for every solve (about a seventh of the time per solve
    on these small problems). The ends found are the optima, so they do not depend
    on how the problem is handed over.
    """

    def __init__(self, system, hidden, t, cells, relations, integral, bounds=None):
        self.t = t
        self.cells = cells
        self.values = [system.values[k] for k in cells]
        self.marks = [hidden[k] for k in cells]
        position = {k: i for i, k in enumerate(cells)}
        rows = len(relations)
        n = len(cells)
        entries: tuple[list[int], list[int], list[float]] = ([], [], [])
        lows, highs = np.zeros(rows), np.zeros(rows)
        for r, (terms, lo, hi) in enumerate(relations):
            constant = 0.0
            for k, c in terms:
                if k in position:
                    entries[0].append(r)
                    entries[1].append(position[k])
                    entries[2].append(c)
                else:
                    constant += c * system.values[k]
            lows[r], highs[r] = lo - constant, hi - constant
        # A cell twice in one relation adds up (coo_matrix sums duplicates).
        columns = coo_matrix((entries[2], (entries[0], entries[1])), shape=(rows, n)).tocsc()
        lp = highspy.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = rows
        lp.col_cost_ = np.zeros(n)
        if bounds is None:
            lp.col_lower_ = np.array([1.0 if m == PRIMARY else 0.0 for m in self.marks])
            lp.col_upper_ = np.array(
                [float(t - 1) if m == PRIMARY else highspy.kHighsInf for m in self.marks]
            )
        else:
            # Bounds every whole-number solution meets (narrowed_bounds): the same integer
            # program, with a relaxation whose optimum is more often a whole number.
            lp.col_lower_ = np.array(bounds[0])
            lp.col_upper_ = np.minimum(np.array(bounds[1]), highspy.kHighsInf)
        lp.row_lower_ = np.maximum(lows, -highspy.kHighsInf)
        lp.row_upper_ = np.minimum(highs, highspy.kHighsInf)
        self.lower, self.upper = lp.col_lower_, lp.col_upper_
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = columns.indptr
        lp.a_matrix_.index_ = columns.indices
        lp.a_matrix_.value_ = columns.data
        # The relaxation (no integrality) first: HiGHS starts it again from the last
        # basis when only the objective changed, and where its optimum is a whole-number
        # point, that point is also the integer program's optimum (no whole-number
        # point does better than the relaxation's best). These sums mostly have such
        # optima; where one does not, the integer program is solved.
        self.relaxed = _Solver(lp)
        self.exact = None
        if integral:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * n
            self.exact = _Solver(lp)

    def explore(self, j: int, sign: float, seen_low: list, seen_high: list) -> list[int]:
        """Solve for cell j's lower (sign 1) or upper (sign -1) end and widen what is
        known of every cell: a feasible solution shows a value each cell can take.
        Returns the cells whose known range widened (j among them)."""
        end, x = self.solve(j, sign)
        if sign > 0:
            seen_low[j] = min(seen_low[j], end)
        else:
            seen_high[j] = max(seen_high[j], end)
        widened = [j]
        if x is not None:
            for i, v in enumerate(x.tolist()):
                if v < seen_low[i]:
                    seen_low[i] = v
                    widened.append(i)
                elif v > seen_high[i]:
                    seen_high[i] = v
                    widened.append(i)
        return widened

    def solve(self, j: int, sign: float):
        """Minimise (sign 1) or maximise (sign -1) cell j: (end, solution or None)."""
        if self.exact is not None:
            status, end, x = self.relaxed.run(j, sign)
            if status == highspy.HighsModelStatus.kOptimal:
                if np.all(np.abs(x - np.round(x)) < 1e-6):
                    return round(end), np.round(x)
                # The whole-number optimum lies between the relaxation's, rounded
                # inwards, and the true count (a solution): where those meet, it is
                # the count, and no integer program is needed.
                inward = math.ceil(end - 1e-6) if sign > 0 else math.floor(end + 1e-6)
                if inward == self.values[j]:
                    return inward, None
                # Otherwise a whole-number solution with the cell there shows it is the end.
                x = self.relaxed.at(j, inward, self.lower[j], self.upper[j])
                if x is not None and np.all(np.abs(x - np.round(x)) < 1e-6):
                    return inward, np.round(x)
        solver = self.exact or self.relaxed
        status, end, x = solver.run(j, sign)
        if status == highspy.HighsModelStatus.kUnbounded or (
            status != highspy.HighsModelStatus.kOptimal
            and solver.run(None, 0.0)[0] == highspy.HighsModelStatus.kOptimal
        ):
            # Unbounded. HiGHS sometimes says only "infeasible or unbounded"; the
            # true counts always fit the relations, so a feasible system is unbounded.
            return -sign * math.inf, None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(
                f"The audit could not solve for {self.cells[j]}: "
                f"{solver.highs.modelStatusToString(status)}"
            )
        return end, np.round(x)

    def interval(self, j: int, low: float, high: float, width: int) -> Interval:
        low = math.ceil(low - 1e-6)
        high = high if math.isinf(high) else math.floor(high + 1e-6)
        value = self.values[j]
        ok = _wide_enough(value, low, high, self.t, width)
        return Interval(self.cells[j], self.marks[j], value, low, high, ok)

    def full(self, width: int) -> list[Interval]:
        out = []
        for j in range(len(self.cells)):
            low, _x = self.solve(j, 1.0)
            high, _x = self.solve(j, -1.0)
            out.append(self.interval(j, low, high, width))
        return out

    def quick(self, width: int) -> list[Interval]:
        if width > 1:
            return self.full(width)
        seen_low = [float(v) for v in self.values]
        seen_high = [float(v) for v in self.values]

        def cleared(j: int) -> bool:
            return _wide_enough(self.values[j], seen_low[j], seen_high[j], self.t, width)

        for j in range(len(self.cells)):
            for sign in (1.0, -1.0):
                if cleared(j):
                    break
                self.explore(j, sign, seen_low, seen_high)
        return [self.interval(j, seen_low[j], seen_high[j], width) for j in range(len(self.cells))]


def _equations(equations: Sequence[Equation]) -> list[Equation]:
    return list(equations)


def _wide_enough(value: int, low: float, high: float, t: int, width: int) -> bool:
    if high - low < width:
        return False
    if value >= t:
        return True
    # A small (or zero) count: the outsider must not be able to rule out every other small value.
    return any(other != value and low <= other <= high for other in range(t))


def failures(found: Iterable[Interval]) -> list[Interval]:
    return [i for i in found if not i.ok]


# --- secondary suppression driven by the audit ------------------------------------------------


def harden(
    system: System,
    hidden: dict[CellKey, str],
    t: int,
    *,
    tables: Sequence[Table],
    width: int | None = None,
    keep: Iterable[CellKey] = (),
    witnesses: Iterable[dict[CellKey, int]] = (),
) -> dict[CellKey, str]:
    """Hide further cells until every hidden cell passes the audit.

    Starts from the pattern `disclosure.suppress` chose (sums only). While a
    cell's interval is too narrow, one more cell is hidden next to it: a shown
    cell that shares a sum or a relation with it (the smallest, then by key, so
    the choice is the same in every language); when every such cell is hidden
    already, a shown cell next to the nearest hidden cells linked to it. Stops
    when the audit passes or nothing more can be hidden (publishing then
    refuses: see `audit_public`).

    An "x" (not published hidden: `keep`) that the relations pin to its value
    needs no protection and hides nothing: it is left as it is and shown at the
    end. Showing a figure the outsider works out anyway tells them nothing new,
    and no other cell's interval changes (it has that one value in every filling
    of the hidden cells). Protecting such cells as well, by hiding their
    neighbours, which were often pinned in turn, hid whole tables of the demo's
    reports, the year's count of victims of sexual exploitation among them.

    Hiding a cell only widens the others' intervals (a solution found before
    still fits, with the newly hidden cell at its count), so a cell found wide
    enough once is not solved for again; and a group of linked hidden cells with
    the same marks as in an earlier round has the same verdicts.

    `witnesses`: fillings found before (`disclosure.suppress`'s: the cells moved off
    their own values, with their values there). One that fits every relation and
    every mark here is a solution the solver could have found: the cells it shows
    wide enough are not solved for. The verdicts, and so the pattern, are the same.
    """
    width = min_width() if width is None else width
    relations = inequalities(tables, system.values)
    neighbours: dict[CellKey, set[CellKey]] = defaultdict(set)
    groups = [[eq.total, *eq.members] for eq in system.equations]
    groups += [[k for k, _c in ineq.terms] for ineq in relations]
    for cells in groups:
        for k in cells:
            neighbours[k].update(cells)
    search = _Hardening(system, t, relations, neighbours, width, set(keep))
    cleared = _witnessed(system, hidden, t, relations, width, witnesses)
    return search.search(hidden, cleared)


def _witnessed(
    system: System,
    hidden: dict[CellKey, str],
    t: int,
    relations: Sequence[Inequality],
    width: int,
    witnesses: Iterable[dict[CellKey, int]],
) -> set[CellKey]:
    """The hidden cells that fillings known to fit show wide enough.

    A filling fits when every cell it moves is hidden here within its mark's range
    ("<5": 1 to t-1, "x": 0 or more) and it meets every relation: the sums (it
    was found by a search that meets them all) and the inequalities, checked here.
    """
    values = system.values
    by_cell: dict[CellKey, list[Inequality]] = defaultdict(list)
    for ineq in relations:
        for k, _c in ineq.terms:
            by_cell[k].append(ineq)
    seen: dict[CellKey, list[int]] = {}
    for filling in witnesses:
        if not all(
            k in hidden and (1 <= v < t if hidden[k] == PRIMARY else v >= 0)
            for k, v in filling.items()
        ):
            continue
        touched = {q for k in filling for q in by_cell.get(k, ())}
        if any(sum(c * filling.get(k, values[k]) for k, c in q.terms) > q.bound for q in touched):
            continue
        for k, v in filling.items():
            ends = seen.setdefault(k, [values[k], values[k]])
            ends[0], ends[1] = min(ends[0], v), max(ends[1], v)
    return {k for k, (low, high) in seen.items() if _wide_enough(values[k], low, high, t, width)}


@dataclass
class _Hardening:
    system: System
    t: int
    relations: Sequence[Inequality]
    neighbours: dict[CellKey, set[CellKey]]
    width: int
    keep: set[CellKey]

    def __post_init__(self) -> None:
        self.verdicts: dict = {}
        # The "x"s found pinned. With a width of 1 an "x" that is not pinned is wide
        # enough (a count of t or more needs only two values, a 0 one more below t), so
        # one found pinned needs no solving again until the end: pinned or not, no
        # round does anything for it.
        self.pinned: set[CellKey] = set()

    def failing(self, hidden, cleared, skip=frozenset()) -> tuple[list[CellKey], dict]:
        """The failing cells (less those no hiding can help, and `skip`) and their exact ends."""
        ends: dict[CellKey, tuple[float, float]] = {}
        bad = _failing(
            self.system,
            hidden,
            self.t,
            self.relations,
            self.width,
            cleared,
            self.verdicts,
            ends,
            skip,
        )
        # A "<5" cell lies in 1..t-1 whatever else is hidden: hiding more cannot widen
        # it past t-2. Such a range cannot be met; the audit reports it instead.
        bad = [k for k in bad if not (hidden[k] == PRIMARY and self.width > self.t - 2)]
        return bad, ends

    def pinned_x(self, hidden, key, ends) -> bool:
        return hidden[key] == SECONDARY and key not in self.keep and _point(ends[key])

    def options(self, hidden, key) -> list[CellKey]:
        values, fixed = self.system.values, self.system.fixed
        return [
            k for k in self.neighbours[key] if k in values and k not in hidden and k not in fixed
        ]

    def smallest(self, options: Iterable[CellKey]) -> CellKey:
        return min(options, key=lambda k: (self.system.values[k], str(k)))

    def search(
        self, hidden: dict[CellKey, str], cleared: set[CellKey] | None = None
    ) -> dict[CellKey, str]:
        """`cleared`: hidden cells already known to be wide enough."""
        hidden = dict(hidden)
        cleared = set() if cleared is None else set(cleared)
        for _step in range(len(self.system.values) + 1):
            bad, ends = self.failing(hidden, cleared, self.pinned)
            added = False
            for key in bad:
                if self.pinned_x(hidden, key, ends):
                    if self.width == 1:
                        self.pinned.add(key)
                    continue
                options = self.nearest_options(hidden, key)
                if options:
                    hidden[self.smallest(options)] = SECONDARY
                    added = True
            if not added:
                break
        # The "x"s the relations pin to their values hide nothing: shown. (Each is one
        # value in every filling, so showing it moves no other cell's interval.)
        bad, ends = self.failing(hidden, cleared)
        return {
            k: m for k, m in hidden.items() if not (k in ends and self.pinned_x(hidden, k, ends))
        }

    def nearest_options(self, hidden: dict[CellKey, str], key: CellKey) -> list[CellKey]:
        """The shown cells next to `key`, or, when all are hidden, next to the nearest
        hidden cells linked to it (by relations between hidden cells), nearest first."""
        seen = {key}
        layer = [key]
        while layer:
            options = [k for h in layer for k in self.options(hidden, h)]
            if options:
                return options
            layer = sorted(
                {k for h in layer for k in self.neighbours[h] if k in hidden and k not in seen},
                key=str,
            )
            seen.update(layer)
        return []


def _point(ends: tuple[float, float]) -> bool:
    """Do a cell's exact ends pin it to one value?"""
    return ends[1] - ends[0] < 0.5


_ROWS: dict[tuple[int, int], tuple] = {}


def _rows(system: System, relations: Sequence[Inequality]):
    """Every relation as (terms, lower, upper), and (each relation's cells, each cell's
    relations), made once per harden's system and relations (the last pair is kept:
    harden asks for them on every round)."""
    key = (id(system), id(relations))
    kept = _ROWS.get(key)
    if kept is not None and kept[0] is system and kept[1] is relations:
        return kept[2], kept[3]
    relations_all: list[tuple[list[tuple[CellKey, int]], float, float]] = []
    for eq in system.equations:
        relations_all.append(([(eq.total, 1), *((m, -1) for m in eq.members)], 0.0, 0.0))
    for ineq in relations:
        relations_all.append((list(ineq.terms), -np.inf, float(ineq.bound)))
    cell_rows = [[k for k, _c in terms] for terms, _lo, _hi in relations_all]
    _ROWS.clear()
    _ROWS[key] = (system, relations, relations_all, (cell_rows, _rows_of(cell_rows)))
    return relations_all, _ROWS[key][3]


def _failing(
    system: System,
    hidden: dict[CellKey, str],
    t: int,
    relations: Sequence[Inequality],
    width: int,
    cleared: set[CellKey],
    verdicts: dict,
    ends: dict[CellKey, tuple[float, float]],
    skip: AbstractSet[CellKey] = frozenset(),
) -> list[CellKey]:
    """The hidden cells not (yet) shown to be wide enough, less `skip` (not solved for);
    adds the others to `cleared` and each failing cell's interval (its exact ends) to
    `ends`.

    `verdicts` keeps, by a group of linked hidden cells' cells and marks, the cells
    solved for in it and the ends of those that failed: the same group has the same
    intervals, so no cell is solved for twice in it (a cell skipped in one round and
    asked for in the next is solved for then).
    """
    relations_all, (cell_rows, rows_of) = _rows(system, relations)
    out: list[tuple[CellKey, float, float]] = []
    for cells, indexes in _components(hidden, cell_rows, rows_of):
        signature = frozenset((k, hidden[k]) for k in cells)
        known: dict[CellKey, tuple[float, float] | None] = verdicts.setdefault(signature, {})
        pending = [k for k in cells if k not in cleared and k not in skip and k not in known]
        if pending:
            found = _failing_in(
                system,
                hidden,
                t,
                cells,
                [relations_all[i] for i in indexes],
                width,
                cleared,
                pending,
            )
            known.update(dict.fromkeys(pending))
            known.update({key: (low, high) for key, low, high in found})
        out.extend((k, *ends) for k, ends in known.items() if ends is not None and k not in skip)
    for key, low, high in out:
        ends[key] = (low, high)
    return sorted((key for key, _low, _high in out), key=str)


def _failing_in(system, hidden, t, cells, relations, width, cleared, pending):
    """_failing for one group of linked hidden cells: (cell, low, high) of each failing one."""
    low_bound, high_bound = narrowed_bounds(system, hidden, t, cells, relations)
    problem = _Problem(system, hidden, t, cells, relations, True, (low_bound, high_bound))
    out = []
    if width > 1:
        for interval in problem.full(width):
            if interval.ok:
                cleared.add(interval.key)
            else:
                out.append((interval.key, interval.low, interval.high))
        return out
    seen_low = [float(v) for v in problem.values]
    seen_high = [float(v) for v in problem.values]
    position = {k: i for i, k in enumerate(cells)}

    def wide(i: int) -> bool:
        return _wide_enough(problem.values[i], seen_low[i], seen_high[i], t, width)

    for key in pending:
        j = position[key]
        if low_bound[j] == high_bound[j]:
            # The relations alone pin the cell to its count: its exact interval, unsolved.
            out.append((key, low_bound[j], high_bound[j]))
            continue
        for sign in (1.0, -1.0):
            if key in cleared:
                break
            widened = problem.explore(j, sign, seen_low, seen_high)
            cleared.update(cells[i] for i in widened if wide(i))
            if wide(j):
                cleared.add(key)
        if key not in cleared:
            # Both ends were solved for: they are the cell's exact interval.
            out.append((key, seen_low[j], seen_high[j]))
    return out


# --- the audit of everything public ----------------------------------------------------------


def audit_tables(
    tables: Sequence[Table], t: int, *, width: int | None = None, quick: bool = False
) -> list[Interval]:
    """The intervals of every hidden cell of these tables, attacked together.

    A cell shown in any of the tables is known; a cell is hidden when no table
    shows it.
    """
    from brik.statistics.disclosure import build_system

    system = build_system(tables)
    marks: dict[CellKey, str] = {}
    shown: set[CellKey] = set()
    for table in tables:
        for row in table.all_rows():
            for i, column in enumerate(table.columns):
                key = table.cell_key(row, column)
                if row.mark(i):
                    marks.setdefault(key, row.mark(i))
                else:
                    shown.add(key)
    hidden = {k: m for k, m in marks.items() if k not in shown}
    return intervals(
        system, hidden, t, relations=inequalities(tables, system.values), width=width, quick=quick
    )


def published_tables(*, except_year: int | None = None) -> list[Table]:
    """The tables of every stored publication, hidden cells holding their count at publication."""
    from brik.statistics import frozen
    from brik.statistics.models import PublishedRelease

    out: list[Table] = []
    releases = PublishedRelease.objects.order_by("year").prefetch_related("cells")
    for release in releases:
        if release.year == except_year:
            continue
        exact = {c.key: c.exact for c in release.cells.all() if c.mark}
        out.extend(frozen.tables_from_document(release.document, exact))
    return out


def audit_public(
    *,
    extra: Sequence[Table] = (),
    except_year: int | None = None,
    width: int | None = None,
    quick: bool = False,
) -> list[Interval]:
    """Every published year together, with `extra` (a year about to be published)."""
    from brik.statistics.disclosure import threshold

    tables = [*published_tables(except_year=except_year), *extra]
    return audit_tables(tables, threshold(), width=width, quick=quick)
