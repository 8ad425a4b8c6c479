"""Bounds on hidden cells from their relations, without a solver.

The audit (brik.statistics.audit) asks a solver for each hidden cell's smallest
and largest value. Before it does, each cell's bounds (1 to t-1 for a "<5", 0 or
more for an "x") are narrowed by the relations, one at a time, until none narrows
further: a relation lo <= sum(c * cell) <= hi bounds each of its cells by what the
others can add up to. This is the bound propagation of integer programming
solvers; every step removes only values that no whole-number solution has, so
each cell's interval lies within its bounds, and a cell whose bounds meet is
pinned to its count. On the demo's reports most failing cells are such cells:
found here, they need no solve.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from brik.statistics.disclosure import System
from brik.statistics.tables import PRIMARY, CellKey

# Visits of relations per relation at most (the narrowing of an "x" with no upper
# bound can go on in steps of 1 around a cycle of relations; stopping early only
# leaves the bounds wider).
VISITS_PER_RELATION = 50


def narrowed_bounds(
    system: System,
    hidden: dict[CellKey, str],
    t: int,
    cells: Sequence[CellKey],
    relations: Sequence[tuple[Sequence[tuple[CellKey, int]], float, float]],
) -> tuple[list[float], list[float]]:
    """Bounds on each cell of a group of linked hidden cells, from its marks and its
    relations, narrowed by each relation in turn until none narrows further (or
    after a bounded number of steps). Each step removes only values that no
    solution has, so the true interval lies within: a cell whose bounds meet is
    pinned to its count, and no solve is needed to say so."""
    values = system.values
    position = {k: i for i, k in enumerate(cells)}
    marks = (
        [1.0 if hidden[k] == PRIMARY else 0.0 for k in cells],
        [float(t - 1) if hidden[k] == PRIMARY else math.inf for k in cells],
    )
    lo, hi = marks[0][:], marks[1][:]
    rows: list[tuple[list[tuple[int, int]], float, float]] = []
    rows_of: list[list[int]] = [[] for _ in cells]
    for terms, r_lo, r_hi in relations:
        constant = 0
        coefficients: dict[int, int] = defaultdict(int)
        for k, c in terms:
            if k in position:
                coefficients[position[k]] += c
            else:
                constant += c * values[k]
        items = [(j, c) for j, c in coefficients.items() if c]
        for j, _c in items:
            rows_of[j].append(len(rows))
        rows.append((items, r_lo - constant, r_hi - constant))
    inf = math.inf
    queue = list(range(len(rows)))
    waiting = set(queue)
    position_in_queue = 0
    limit = VISITS_PER_RELATION * len(rows) + 100
    while position_in_queue < len(queue) and position_in_queue < limit:
        r = queue[position_in_queue]
        position_in_queue += 1
        waiting.discard(r)
        items, r_lo, r_hi = rows[r]
        # The row's least and greatest sums, their infinite parts counted apart (a
        # cell's lower bound is never infinite, its upper one may be).
        least = greatest = widest = 0.0
        least_inf = greatest_inf = 0
        for j, c in items:
            if c > 0:
                least += c * lo[j]
                if hi[j] == inf:
                    greatest_inf += 1
                else:
                    greatest += c * hi[j]
            else:
                greatest += c * lo[j]
                if hi[j] == inf:
                    least_inf += 1
                else:
                    least += c * hi[j]
            if abs(c) * (hi[j] - lo[j]) > widest:
                widest = abs(c) * (hi[j] - lo[j])
        # A bound can narrow only where a member's span exceeds the row's slack on a
        # side, or where one member alone makes that side's sum infinite.
        if not (
            (r_hi != inf and (least_inf == 1 or (least_inf == 0 and widest > r_hi - least)))
            or (
                r_lo != -inf
                and (greatest_inf == 1 or (greatest_inf == 0 and widest > greatest - r_lo))
            )
        ):
            continue
        for j, c in items:
            open_above = hi[j] == inf
            if c > 0:
                rest_least = -inf if least_inf else least - c * lo[j]
                rest_greatest = (
                    inf
                    if greatest_inf - open_above
                    else greatest - (0 if open_above else c * hi[j])
                )
            else:
                rest_least = (
                    -inf if least_inf - open_above else least - (0 if open_above else c * hi[j])
                )
                rest_greatest = inf if greatest_inf else greatest - c * lo[j]
            # rest + c * x lies in [r_lo, r_hi].
            upper = (r_hi - rest_least) / c if r_hi != inf and rest_least != -inf else None
            lower = (r_lo - rest_greatest) / c if r_lo != -inf and rest_greatest != inf else None
            if c < 0:
                upper, lower = lower, upper
            new_lo, new_hi = lo[j], hi[j]
            if lower is not None and math.ceil(lower - 1e-9) > new_lo:
                new_lo = float(math.ceil(lower - 1e-9))
            if upper is not None and math.floor(upper + 1e-9) < new_hi:
                new_hi = float(math.floor(upper + 1e-9))
            if new_lo > new_hi:
                # Cannot happen with true counts; give the marks' bounds back.
                return marks
            if new_lo != lo[j] or new_hi != hi[j]:
                lo[j], hi[j] = new_lo, new_hi
                for other in rows_of[j]:
                    if other not in waiting:
                        waiting.add(other)
                        queue.append(other)
    return lo, hi
