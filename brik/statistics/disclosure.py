"""Statistical disclosure control for the published tables.

Small counts identify people. A public report therefore shows:

- **primary suppression**: a count from 1 to threshold-1 (setting
  BRIK_SDC_THRESHOLD, default 5) as "<5"; zero is shown as 0;
- **secondary suppression**: further cells as "x", chosen so that no hidden
  cell can be worked out from the cells and totals that are shown, in its
  own table or in any other table of the report;
- the **grand totals** (the number of persons in the year) are shown, unless
  they are small themselves: a total is a cell too, and "Total 1" under a
  table of "<5" cells would say that one person is behind each of them. A
  grand total from 1 to threshold-1 is shown as "<5" like any small cell.

How it works. Every cell of every table has a semantic key (what is counted,
and its coordinates: year, gender, age band...). Cells that show the same
figure in two tables share the key and so share their fate. From the tables'
structure come linear equations: the rows of an additive table add up to its
total row, the columns of a cross table to its total column, and a merged
category ("0-8|9-17", children) to its parts. An attacker knows the shown
figures, these equations, that a "<5" cell holds 1 to 4 and an "x" cell 0 or
more. A hidden cell is safe when some whole-number filling of all hidden cells
fits all of that and gives the cell another value than its own; `exposed`
searches for one exactly (so subtraction, combinations of equations and the
bounds of small cells are all covered).

`protect` marks the small cells, then, while any hidden cell can be pinned
down, hides one more cell next to it (the one that leaves fewest cells
exposed, then the smallest) and finally shows again every secondary cell that
is not needed. When everything around a small cell is hidden and a shown
total still fixes it (a total of 1, say), the small cells there are shown as
"x" instead of "<5", which claims nothing about their size.

Tables whose rows count no persons (actions held, anonymous outreach tallies,
court figures) are left alone: their rows have `protect=False`.

Longer than 400 lines on purpose: the suppression rules and the search that
applies them belong together; splitting them would hide how one shapes the other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from operator import sub
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from brik.statistics.tables import PRIMARY, SECONDARY, CellKey, Table

DEFAULT_THRESHOLD = 5

K = TypeVar("K")  # a cell: its key, or its number in the search

# The measures of Eurostat's victims (the cells' first part): registered = identified + presumed.
REGISTERED, IDENTIFIED, PRESUMED = "registered", "identified", "presumed"


def threshold() -> int:
    value = getattr(settings, "BRIK_SDC_THRESHOLD", DEFAULT_THRESHOLD)
    if not isinstance(value, int) or value < 3:
        raise ImproperlyConfigured("BRIK_SDC_THRESHOLD must be an integer of at least 3.")
    return value


# --- the system of cells and equations --------------------------------------------------


@dataclass
class Equation:
    """total = sum(members)"""

    total: CellKey
    members: tuple[CellKey, ...]


@dataclass
class System:
    values: dict[CellKey, int]
    equations: list[Equation]
    fixed: set[CellKey]  # never hidden: grand totals that are not small, unprotected rows


def _is_grand_total(key: CellKey) -> bool:
    _measure, coords = key
    return all(dim == "year" for dim, _value in coords)


def _replace(key: CellKey, dim: str, value) -> CellKey:
    measure, coords = key
    return (measure, tuple(sorted({**dict(coords), dim: value}.items())))


def build_system(tables: Iterable[Table], t: int | None = None) -> System:
    """The cells, their equations, and the cells that stay shown whatever happens.

    With `t`, a grand total from 1 to t-1 is not fixed: it is hidden as a small cell.
    """
    values: dict[CellKey, int] = {}
    fixed: set[CellKey] = set()
    equations: dict[tuple, Equation] = {}
    # (part, whole) where the part is at most the whole though not in a sum with it
    # (a form group and its row's persons): a part of a shown 0 is 0.
    within: list[tuple[CellKey, CellKey]] = []

    def add(total: CellKey, members: Sequence[CellKey]) -> None:
        if len(members) < 1:
            return
        signature = (total, frozenset(members))
        equations.setdefault(signature, Equation(total, tuple(members)))

    for table in tables:
        for row in table.all_rows():
            for column, value in zip(table.columns, row.values, strict=True):
                key = table.cell_key(row, column)
                if key in values and values[key] != value:
                    raise ValueError(
                        f"{table.slug}: {key} is {value} here, {values[key]} elsewhere"
                    )
                values[key] = value
                small = t is not None and 1 <= value < t
                if not row.protect or (_is_grand_total(key) and not small):
                    fixed.add(key)
        data_columns = [
            col for col in table.columns if not (table.col_total and col.key == "total")
        ]
        if table.additive and table.total is not None:
            for column in table.columns:
                add(
                    table.cell_key(table.total, column),
                    [table.cell_key(row, column) for row in table.rows],
                )
        if table.col_total and table.col_additive:
            total_column = table.columns[-1]
            for row in table.all_rows():
                add(
                    table.cell_key(row, total_column),
                    [table.cell_key(row, col) for col in data_columns],
                )
        elif table.col_total:
            for row in table.all_rows():
                whole = table.cell_key(row, table.columns[-1])
                within.extend((table.cell_key(row, col), whole) for col in data_columns)

    # Merged categories ("0-8|9-17") equal the sum of their parts, where the parts are shown.
    for key in list(values):
        for dim, value in key[1]:
            if isinstance(value, str) and "|" in value:
                parts = [_replace(key, dim, part) for part in value.split("|")]
                if all(part in values for part in parts):
                    add(key, parts)
    # Eurostat's registered victims are the identified and the presumed ones, who are
    # different persons in a year (selectors.counting.presumed_cases): in every
    # breakdown, registered = identified + presumed.
    for key in list(values):
        measure, coords = key
        if measure == REGISTERED:
            parts = [(IDENTIFIED, coords), (PRESUMED, coords)]
            if all(part in values for part in parts):
                add(key, parts)
                # A grand total of registered victims is not fixed when a part of it is
                # hidden as small: shown, it would give that part away.
                if t is not None and any(1 <= values[part] < t for part in parts):
                    fixed.discard(key)
    _fix_parts_of_zero(values, list(equations.values()), within, fixed)
    return System(values=values, equations=list(equations.values()), fixed=fixed)


def _fix_parts_of_zero(
    values: dict[CellKey, int],
    equations: Sequence[Equation],
    within: Sequence[tuple[CellKey, CellKey]],
    fixed: set[CellKey],
) -> None:
    """Cells that add up to (or lie within) a shown 0 are 0 for anyone: fixed, never "x".

    Hiding one would hide nothing (everyone knows it is 0), and no choice of
    further cells could protect it (a year without presumed victims, say).
    """
    parts_of: dict[CellKey, list[CellKey]] = defaultdict(list)
    for eq in equations:
        parts_of[eq.total].extend(eq.members)
    for part, whole in within:
        parts_of[whole].append(part)
    queue = [k for k in fixed if values.get(k) == 0 and k in parts_of]
    while queue:
        whole = queue.pop()
        for part in parts_of[whole]:
            if part not in fixed:
                fixed.add(part)
                queue.append(part)


# --- what an attacker can work out ---------------------------------------------------------


SEARCH_LIMIT = 20_000


Index = list[list[int]]  # each cell's equations (by position), cells numbered by the search order


def _narrow(
    lo: list[int],
    hi: list[int],
    equations: Sequence[tuple[int, tuple[int, ...]]],
    index: Index,
    changed: Iterable[int] | None = None,
) -> bool:
    """Narrow every range (lo[i] to hi[i], in place) by the equations until nothing
    changes; False if none fits.

    The cells are numbers (positions in the lists) and an equation is (total,
    members), so that the inner loop does no hashing of the cells' keys. Only the
    equations of a cell whose range changed are looked at again, so that
    narrowing after one range was split (`changed`: the cells that differ from
    ranges already narrowed) costs the equations around it, not all of them. The
    result is the same whatever the order: each step only removes values that no
    solution can have.
    """
    if changed is None:
        queue = list(range(len(equations)))
    else:
        queue = sorted({i for cell in changed for i in index[cell]})
    waiting = set(queue)
    position = 0
    while position < len(queue):
        i = queue[position]
        position += 1
        waiting.discard(i)
        total, members = equations[i]
        low = high = widest = 0
        for m in members:
            m_lo = lo[m]
            m_hi = hi[m]
            low += m_lo
            high += m_hi
            if m_hi - m_lo > widest:
                widest = m_hi - m_lo
        moved = []
        t_lo, t_hi = lo[total], hi[total]
        if low > t_lo:
            t_lo = low
        if high < t_hi:
            t_hi = high
        if t_lo > t_hi:
            return False
        if t_lo != lo[total] or t_hi != hi[total]:
            lo[total], hi[total] = t_lo, t_hi
            moved.append(total)
        # A member's range narrows only if it is wider than the slack on either side.
        if widest <= high - t_lo and widest <= t_hi - low:
            members = ()
        for m in members:
            m_lo, m_hi = lo[m], hi[m]
            new_lo = t_lo - (high - m_hi)
            new_hi = t_hi - (low - m_lo)
            if new_lo < m_lo:
                new_lo = m_lo
            if new_hi > m_hi:
                new_hi = m_hi
            if new_lo > new_hi:
                return False
            if new_lo != m_lo or new_hi != m_hi:
                lo[m], hi[m] = new_lo, new_hi
                moved.append(m)
                low += new_lo - m_lo
                high += new_hi - m_hi
        for cell in moved:
            for j in index[cell]:
                if j not in waiting:
                    waiting.add(j)
                    queue.append(j)
    return True


def _solution(
    lo: list[int],
    hi: list[int],
    equations: Sequence[tuple[int, tuple[int, ...]]],
    budget: list[int],
    index: Index,
    changed: Iterable[int] | None = None,
    near: Sequence[int] | None = None,
) -> list[int] | None:
    """Any whole-number filling within the ranges that meets the equations (exact
    search), or None; the lists are the caller's copies and are narrowed in place.

    `changed`: the cells whose ranges differ from ranges already narrowed (all
    when None). The cell split is the open one with the narrowest range, the
    lowest number first (cells are numbered in the order of str(key)).

    `near`: a filling to search close to (the cells' own values). A cell whose
    range holds its value there is tried at that value first, then below, then
    above; one whose range does not is halved, the half nearer that value
    first (without `near`, the lower half first). The search stays exact (every part of a range is tried), and finds a
    filling that moves few cells little in far fewer steps than halving alone:
    with large figures (100,000 persons) halving took some 65 steps a search.
    """
    budget[0] -= 1
    if budget[0] < 0:
        return None
    if not _narrow(lo, hi, equations, index, changed):
        return None
    # The open cell with the narrowest range, the lowest number first.
    widths = list(map(sub, hi, lo))
    width = min(filter(None, widths), default=0)
    if not width:
        return lo
    cell = widths.index(width)
    low, high = lo[cell], hi[cell]
    middle = (low + high) // 2
    parts = ((low, middle), (middle + 1, high))
    if near is not None:
        own = near[cell]
        if low <= own <= high:
            parts = ((own, own), (low, own - 1), (own + 1, high))
        elif own > high:
            parts = parts[::-1]
    for part_lo, part_hi in parts:
        if part_lo > part_hi:
            continue
        trial_lo, trial_hi = lo[:], hi[:]
        trial_lo[cell], trial_hi[cell] = part_lo, part_hi
        found = _solution(trial_lo, trial_hi, equations, budget, index, (cell,), near)
        if found is not None:
            return found
    return None


@dataclass
class _Structure:
    """A system's cells as numbers: their order by str(key) (the search's tie-break,
    and every choice's last), with each equation's cells and each cell's equations
    as numbers. Made once per system, so that the search for what is exposed, run
    hundreds of times by `suppress`, never hashes a cell's key."""

    keys: list[CellKey]
    number: dict[CellKey, int]
    values: list[int]
    cells_of: list[tuple[int, ...]]  # each equation's cells, total first
    equations_of: list[list[int]]  # each cell's equations (positions in system.equations)


def _structure(system: System) -> _Structure:
    found = getattr(system, "_structure", None)
    if (
        found is None
        or found[0] is not system.equations
        or found[1] != len(system.equations)
        or len(found[2].keys) != len(system.values)
    ):
        keys = sorted(system.values, key=str)
        number = {k: i for i, k in enumerate(keys)}
        cells_of = [tuple(number[k] for k in (eq.total, *eq.members)) for eq in system.equations]
        equations_of: list[list[int]] = [[] for _ in keys]
        for i, cells in enumerate(cells_of):
            for cell in cells:
                if not equations_of[cell] or equations_of[cell][-1] != i:
                    equations_of[cell].append(i)
        values = [system.values[k] for k in keys]
        found = (
            system.equations,
            len(system.equations),
            _Structure(keys, number, values, cells_of, equations_of),
        )
        system._structure = found  # type: ignore[attr-defined]
    return found[2]


def _components(s: _Structure, hidden: dict[int, str]) -> list[tuple[list[int], list[int]]]:
    """Groups of hidden cells linked by equations, each in order, with its equations
    (positions in system.equations, in order).

    Walks from the hidden cells through their own equations only, not through
    every equation.
    """
    return [
        (sorted(group), sorted(used))
        for group, used in linked_groups(hidden, s.equations_of.__getitem__, s.cells_of)
    ]


def linked_groups(
    hidden: Collection[K], relations_of: Callable[[K], Iterable[int]], cells_of: Sequence
) -> list[tuple[list[K], set[int]]]:
    """The hidden cells in groups linked by relations, each with the relations that hold
    its cells: walks from each hidden cell through its own relations (`relations_of`:
    a cell's relations, by position; `cells_of[i]`: relation i's cells), not through
    every relation. Groups in the order of their first cell in `hidden`."""
    seen: set[K] = set()
    out = []
    for start in hidden:
        if start in seen:
            continue
        seen.add(start)
        group, used, stack = [start], set(), [start]
        while stack:
            cell = stack.pop()
            for i in relations_of(cell):
                if i in used:
                    continue
                used.add(i)
                for k in cells_of[i]:
                    if k in hidden and k not in seen:
                        seen.add(k)
                        group.append(k)
                        stack.append(k)
        out.append((group, used))
    return out


def exposed(
    system: System,
    hidden: dict[CellKey, str],
    t: int,
    cache: dict | None = None,
    free: AbstractSet[CellKey] = frozenset(),
) -> set[CellKey]:
    """Hidden cells whose value can be worked out from what is shown.

    The attacker knows the shown figures, the equations, that "<t" cells hold
    1 to t-1 and "x" cells 0 or more. A hidden cell is safe when some filling
    of all hidden cells that fits everything gives it another value than its
    own; the search for one is exact (whole numbers, every equation).

    `free`: cells known to be safe under fewer hidden cells, with the same
    marks: a filling found then still fits, with every cell hidden since at its
    own value, so they are not searched again. `cache`: kept between calls on
    the same system.
    """
    s = _structure(system)
    top = max(s.values, default=0)
    found = _exposed(
        s,
        {s.number[k]: mark for k, mark in hidden.items()},
        t,
        top,
        {} if cache is None else cache,
        {s.number[k] for k in free},
    )
    return {s.keys[n] for n in found}


_FILLINGS = "fillings"  # exposed's cache: the fillings found (its other keys are groups)


def _joined(
    s: _Structure,
    components: list[tuple[list[int], list[int]]],
    where: dict[int, int],
    cell: int,
) -> list[tuple[list[int], list[int]]]:
    """The components once `cell` (shown until now) is hidden too, from the components
    without it (`where`: each hidden cell's component): those that share an equation
    with it become one, with it; the others stay as they are (the same as _components
    of the larger set, in another order)."""
    linked = {where[k] for i in s.equations_of[cell] for k in s.cells_of[i] if k in where}
    cells = [cell]
    equations = set(s.equations_of[cell])
    for n in linked:
        cells += components[n][0]
        equations.update(components[n][1])
    cells.sort()
    others = [c for n, c in enumerate(components) if n not in linked]
    return [*others, (cells, sorted(equations))]


def _split(
    s: _Structure,
    components: list[tuple[list[int], list[int]]],
    hidden: dict[int, str],
    cell: int,
) -> list[tuple[list[int], list[int]]]:
    """The components once `cell` (hidden until now) is shown again, from the components
    with it: the one that held it is found again among its other cells (`hidden`: the
    hidden cells without it); the others stay as they are."""
    out = []
    for cells, equations in components:
        if cell not in cells:
            out.append((cells, equations))
            continue
        rest = {k: hidden[k] for k in cells if k != cell}
        out.extend(_components(s, rest))
    return out


def _exposed(
    s: _Structure,
    hidden: dict[int, str],
    t: int,
    top: int,
    cache: dict,
    free: AbstractSet[int],
    components: list[tuple[list[int], list[int]]] | None = None,
    any_one: AbstractSet[int] | None = None,
) -> set[int]:
    """`exposed` on the cells' numbers; `components`: _components(s, hidden), when known.

    The order of the components changes nothing: the cells known to be safe are
    found once, before the first search, and each group is searched on its own.

    With `any_one` (cells to look at first: those next to a cell just shown), only
    whether any cell is exposed matters: the search stops at the first one found
    and returns it alone. (Which cells are exposed does not depend on the order in
    which they are searched, unless a search runs out of steps: then the cell is
    taken as exposed, as always.)"""
    out: set[int] = set()
    # Every filling found so far (as the cells it moved off their own value): one whose
    # moved cells are all hidden here, within their ranges, fits here too (every other
    # cell at its own value fits every equation), so the cells it moved are safe.
    # (An "x" holds 0 to the largest figure, a "<5" 1 to 4: a value fits a cell's range
    # here only if it fits its mark here.) So that the test is a few set operations, a
    # filling is kept with those of its cells it gives a value outside 1..t-1 (fit for
    # an "x" only) and those it gives a value above the largest figure (fit for a "<5"
    # only, when all figures are small): it fits where all its moved cells are hidden,
    # none of the first kind is a "<5" and all of the second kind are.
    pool: dict[tuple[frozenset, tuple], tuple[frozenset, frozenset, frozenset]] = cache.setdefault(
        _FILLINGS, {}
    )
    known: set[int] | None = None
    for cells, equations in _components(s, hidden) if components is None else components:
        signature = (tuple(cells), tuple(map(hidden.__getitem__, cells)))
        if signature not in cache:
            if known is None:
                known = set(free)
                keys = hidden.keys()
                primary = {k for k, mark in hidden.items() if mark == PRIMARY}
                for moved, x_only, small_only in pool.values():
                    if moved <= keys and primary.isdisjoint(x_only) and small_only <= primary:
                        known |= moved
            found = _exposed_in(
                s, hidden, cells, equations, t, top, known.intersection(cells), pool, any_one
            )
            if any_one is not None and found:
                return found  # perhaps not all of the group's: not kept
            cache[signature] = found
        out |= cache[signature]
        if any_one is not None and out:
            return out
    return out


def _exposed_in(
    s: _Structure, hidden, cells, equations, t, top, free, pool, any_one=None
) -> set[int]:
    values = s.values
    # The search works on numbers of its own: the hidden cells are 0, 1, ... in their
    # order (the search's tie-break), each equation (total, members) of such numbers.
    position = {k: i for i, k in enumerate(cells)}
    lo = [1 if hidden[k] == PRIMARY else 0 for k in cells]
    hi = [t - 1 if hidden[k] == PRIMARY else top for k in cells]
    # The shown cells of each equation are added up into one constant of their own
    # (a number after the cells, whose range is that sum): the narrowing and the
    # search only ever move hidden cells, and a shown member's range never changes,
    # so the same ranges come out, from far fewer cells. A constant is never split,
    # so its number changes no choice of the search.
    numbered = []
    for e in equations:
        total_cell, *member_cells = s.cells_of[e]
        known = 0
        members = []
        for m in member_cells:
            if m in position:
                members.append(position[m])
            else:
                known += values[m]
        total = position.get(total_cell)
        if total is None:
            total = len(lo)
            lo.append(values[total_cell] - known)
            hi.append(values[total_cell] - known)
        elif known or not members:
            members.append(len(lo))
            lo.append(known)
            hi.append(known)
        numbered.append((total, tuple(members)))
    index: Index = [[] for _ in lo]
    for i, (total, members) in enumerate(numbered):
        for k in (total, *members):
            index[k].append(i)
    # The search looks near the true figures first (a constant's range is its value).
    own_values = [values[k] for k in cells] + lo[len(cells) :]
    first_lo, first_hi = lo[:], hi[:]
    # Narrowed ranges need only the split cell looked at again; unnarrowable ones all.
    settled = _narrow(lo, hi, numbered, index)
    if not settled:
        lo, hi = first_lo, first_hi
    free = set(free)
    out = set()
    order = cells if not any_one else sorted(cells, key=lambda k: (k not in any_one, k))
    for cell in order:
        if cell in free:
            continue
        own = values[cell]
        c = position[cell]
        for part in ((lo[c], own - 1), (own + 1, hi[c])):
            if part[0] > part[1]:
                continue
            trial_lo, trial_hi = lo[:], hi[:]
            trial_lo[c], trial_hi[c] = part
            found = _solution(
                trial_lo,
                trial_hi,
                numbered,
                [SEARCH_LIMIT],
                index,
                (c,) if settled else None,
                own_values,
            )
            if found is not None:
                moved = frozenset(k for k in cells if found[position[k]] != values[k])
                free |= moved
                filling = tuple((k, found[position[k]]) for k in moved)
                x_only = frozenset(k for k, v in filling if not 1 <= v < t)
                small_only = frozenset(k for k, v in filling if v > top)
                pool[(moved, filling)] = (moved, x_only, small_only)
                break
        else:
            out.add(cell)
            if any_one is not None:
                break
    return out


# --- choosing what to hide --------------------------------------------------------------------


def _cheapest(options, cost, values) -> int:
    """min(options, key=cost), where cost is (cells left exposed, value, key).

    The options are tried smallest value first, then by key (a cell's number:
    its order by str(key)): the first that leaves no cell exposed has the lowest
    cost of all, and the rest need not be tried (each try is a search).
    """
    best: tuple = ((), None)
    for key in sorted(options, key=lambda k: (values[k], k)):
        found = cost(key)
        if best[1] is None or found < best[0]:
            best = (found, key)
        if found[0] == 0:
            break
    return best[1]


def suppress(
    system: System,
    t: int,
    pinned: dict[CellKey, str] | None = None,
    fillings: list[dict[CellKey, int]] | None = None,
) -> dict[CellKey, str]:
    """The marks for every hidden cell: PRIMARY or SECONDARY.

    `pinned`: cells already published (frozen) with their marks: hidden ones
    stay hidden with the same mark, shown ones stay shown (they are in
    `system.fixed`). Works on the cells' numbers (_structure), in the same
    order as on their keys.

    `fillings`: if given, receives every filling the search found, as the cells it
    moves off their own values with their values there (every other cell at its
    own value): each fits every equation of the system, and the audit
    (`audit.harden`) uses those that fit its relations too as witnesses.
    """
    s = _structure(system)
    values = s.values
    top = max(values, default=0)
    pinned_n = {s.number[k]: mark for k, mark in (pinned or {}).items() if k in s.number}
    fixed = {s.number[k] for k in system.fixed if k in s.number}
    hidden = {
        n: PRIMARY
        for n in (s.number[k] for k in system.values)
        if 1 <= values[n] < t and n not in fixed and n not in pinned_n
    }
    hidden.update({n: mark for n, mark in pinned_n.items() if mark})
    cache: dict = {}
    cells_of, equations_of = s.cells_of, s.equations_of

    def candidates(cell: int) -> set[int]:
        found = set()
        for i in equations_of[cell]:
            for key in cells_of[i]:
                if key != cell and key not in hidden and key not in fixed:
                    found.add(key)
        return found

    # The groups of linked hidden cells, kept up to date as cells are hidden (_joined)
    # rather than found again on every step.
    components = _components(s, hidden)
    for _step in range(2 * len(values) + 2):
        now = _exposed(s, hidden, t, top, cache, frozenset(), components)
        if not now:
            break
        # Every other hidden cell is safe now, and stays safe when more is hidden.
        safe = set(hidden) - now
        choices = [(cell, candidates(cell)) for cell in sorted(now)]
        choices = [(cell, options) for cell, options in choices if options]
        if choices:
            _cell, options = choices[0]
        else:
            # Everything next to the exposed cells is hidden. First let the small
            # cells nearby say less: "x" instead of "<5" claims nothing about size.
            nearby = now | {k for c in now for i in equations_of[c] for k in cells_of[i]}
            small = [k for k in nearby if hidden.get(k) == PRIMARY and k not in pinned_n]
            if small:
                for key in small:
                    hidden[key] = SECONDARY
                continue
            # Then hide further out: any shown cell of an equation with a hidden cell.
            options = {o for c in hidden for o in candidates(c)}
            if not options:
                break  # cannot be protected while the totals are shown

        where = {k: n for n, (cells, _eqs) in enumerate(components) for k in cells}

        def cost(key: int, safe=safe, base=components, where=where) -> tuple[int, int, int]:
            trial = {**hidden, key: SECONDARY}
            joined = _joined(s, base, where, key)
            return (len(_exposed(s, trial, t, top, cache, safe, joined)), values[key], key)

        chosen = _cheapest(options, cost, values)
        hidden[chosen] = SECONDARY
        components = _joined(s, components, where, chosen)

    # Show again what is not needed, largest first (never a small cell). The groups are
    # still those of `hidden`: the loop kept them up to date.
    for key in sorted(
        (
            k
            for k, m in hidden.items()
            if m == SECONDARY and not 1 <= values[k] < t and k not in pinned_n
        ),
        key=lambda k: -values[k],
    ):
        trial = {k: m for k, m in hidden.items() if k != key}
        split = _split(s, components, trial, key)
        near = {k for i in equations_of[key] for k in cells_of[i]}
        if not _exposed(s, trial, t, top, cache, frozenset(), split, any_one=near):
            hidden, components = trial, split
    if fillings is not None:
        for _moved, filling in cache.get(_FILLINGS, {}):
            fillings.append({s.keys[n]: value for n, value in filling})
    return {s.keys[n]: mark for n, mark in hidden.items()}


# The last patterns chosen, by everything they depend on: the same figures in the
# other language (or the next build of the same data) need no new search. They are
# also kept in Django's cache (shared between processes where the cache is), under
# a digest of the cells, their equations and the settings, so the same input gives
# the same pattern without the search and the audit. PATTERN_VERSION changes
# whenever the way a pattern is chosen changes.
_PATTERNS: dict[str, dict[CellKey, str]] = {}
PATTERN_VERSION = 6
PATTERN_CACHE_SECONDS = 7 * 24 * 60 * 60


def _memo_key(tables, system: System, t: int, pinned: dict, audited: bool) -> str:
    """A digest of everything the pattern depends on, the same in every language.

    Row order and the order of an equation's members do not change the pattern
    (every choice is made by value, then by key), and they differ between the
    languages (rows sorted by label), so the digest leaves them out.
    """
    import hashlib

    from django.conf import settings as django_settings

    parts = [
        f"v{PATTERN_VERSION}",
        repr(sorted(system.values.items(), key=str)),
        repr(
            sorted(
                ((eq.total, tuple(sorted(eq.members, key=str))) for eq in system.equations),
                key=str,
            )
        ),
        repr(sorted(system.fixed, key=str)),
        repr(sorted(pinned.items(), key=str)),
        repr(
            sorted(
                (x.slug, x.additive, x.col_additive, sorted(str(r.key) for r in x.rows))
                for x in tables
            )
        ),
        repr((t, audited, getattr(django_settings, "BRIK_DISCLOSURE_MIN_WIDTH", None))),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _pattern(tables, system: System, t: int, pinned: dict, audited: bool) -> dict[CellKey, str]:
    """The hidden cells' marks: from the memo, the cache, or the search and the audit."""
    from django.core.cache import cache

    memo = _memo_key(tables, system, t, pinned, audited)
    hidden = _PATTERNS.get(memo)
    if hidden is not None:
        return hidden
    cache_key = f"brik:statistics:pattern:{memo}"
    hidden = cache.get(cache_key)
    if hidden is None:
        found: list[dict[CellKey, int]] = []
        hidden = suppress(system, t, pinned, found)
        if audited:
            from brik.statistics.audit import harden

            # Cells published hidden stay hidden (the audit never shows them again).
            hidden = harden(system, hidden, t, tables=tables, keep=pinned, witnesses=found)
        cache.set(cache_key, hidden, PATTERN_CACHE_SECONDS)
    if len(_PATTERNS) >= 16:
        _PATTERNS.pop(next(iter(_PATTERNS)))
    _PATTERNS[memo] = hidden
    return hidden


def protect(
    tables: Sequence[Table],
    *,
    t: int | None = None,
    pinned: dict[CellKey, str] | None = None,
    audited: bool = True,
) -> list[Table]:
    """Copies of the tables with small and revealing cells marked, as one report.

    `pinned`: the marks of cells already published ("" for shown), which stay as
    they are. With `audited`, the pattern is then checked by the attacker's
    audit (brik.statistics.audit: every relation between tables, integer
    programming) and widened until every hidden cell passes it.
    """
    t = threshold() if t is None else t
    pinned = pinned or {}
    system = build_system(tables, t)
    system.fixed |= {key for key, mark in pinned.items() if not mark and key in system.values}
    hidden = _pattern(tables, system, t, pinned, audited)
    out = []
    for table in tables:
        copy = table.copy()
        for row in copy.all_rows():
            row.marks = [hidden.get(copy.cell_key(row, col), "") for col in copy.columns]
        copy.protected = True
        out.append(copy)
    return out


def exact(tables: Sequence[Table]) -> list[Table]:
    """Copies for internal use: exact figures, marked as internal."""
    out = []
    for table in tables:
        copy = table.copy()
        copy.internal = True
        out.append(copy)
    return out
