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
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from brik.statistics.tables import PRIMARY, SECONDARY, CellKey, Table

DEFAULT_THRESHOLD = 5

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


Ranges = dict[CellKey, tuple[int, int]]
_CONSTANT = "\x00constant"  # the measure of the shown cells' sum in an equation (sorts first)
SEARCH_LIMIT = 20_000


Index = dict[CellKey, list[int]]  # each cell's equations, by position in their list


def _index(equations: Sequence[Equation]) -> Index:
    index: Index = defaultdict(list)
    for i, eq in enumerate(equations):
        for key in (eq.total, *eq.members):
            index[key].append(i)
    return index


def _narrow(
    ranges: Ranges,
    equations: Sequence[Equation],
    index: Index | None = None,
    changed: Iterable[CellKey] | None = None,
) -> Ranges | None:
    """Narrow every range by the equations until nothing changes; None if none fits.

    Only the equations of a cell whose range changed are looked at again, so
    that narrowing after one range was split (`changed`: the cells that differ
    from ranges already narrowed) costs the equations around it, not all of
    them. The result is the same whatever the order: each step only removes
    values that no solution can have.
    """
    ranges = dict(ranges)
    index = _index(equations) if index is None else index
    if changed is None:
        queue = list(range(len(equations)))
    else:
        queue = sorted({i for key in changed for i in index.get(key, ())})
    waiting = set(queue)
    position = 0
    while position < len(queue):
        i = queue[position]
        position += 1
        waiting.discard(i)
        eq = equations[i]
        lo = hi = 0
        for m in eq.members:
            m_lo, m_hi = ranges[m]
            lo += m_lo
            hi += m_hi
        moved = []
        t_lo, t_hi = ranges[eq.total]
        t_lo, t_hi = max(t_lo, lo), min(t_hi, hi)
        if t_lo > t_hi:
            return None
        if (t_lo, t_hi) != ranges[eq.total]:
            ranges[eq.total] = (t_lo, t_hi)
            moved.append(eq.total)
        for m in eq.members:
            m_lo, m_hi = ranges[m]
            new = (max(m_lo, t_lo - (hi - m_hi)), min(m_hi, t_hi - (lo - m_lo)))
            if new[0] > new[1]:
                return None
            if new != (m_lo, m_hi):
                ranges[m] = new
                moved.append(m)
                lo += new[0] - m_lo
                hi += new[1] - m_hi
        for key in moved:
            for j in index[key]:
                if j not in waiting:
                    waiting.add(j)
                    queue.append(j)
    return ranges


def _solution(
    ranges: Ranges,
    equations: Sequence[Equation],
    budget: list[int],
    index: Index | None = None,
    changed: Iterable[CellKey] | None = None,
    order: dict[CellKey, int] | None = None,
) -> Ranges | None:
    """Any whole-number filling within the ranges that meets the equations (exact search).

    `changed`: the cells whose ranges differ from ranges already narrowed (all
    when None). `order`: the cells' rank by str(key), the search's tie-break.
    """
    budget[0] -= 1
    if budget[0] < 0:
        return None
    index = _index(equations) if index is None else index
    ranges = _narrow(ranges, equations, index, changed)
    if ranges is None:
        return None
    open_cells = [k for k, (lo, hi) in ranges.items() if lo < hi]
    if not open_cells:
        return ranges
    if order is None:
        order = {k: i for i, k in enumerate(sorted(ranges, key=str))}
    cell = min(open_cells, key=lambda k: (ranges[k][1] - ranges[k][0], order[k]))
    lo, hi = ranges[cell]
    middle = (lo + hi) // 2
    return _solution(
        {**ranges, cell: (lo, middle)}, equations, budget, index, [cell], order
    ) or _solution({**ranges, cell: (middle + 1, hi)}, equations, budget, index, [cell], order)


def _equations_by_cell(system: System) -> dict[CellKey, list[int]]:
    """Each cell's equations (positions in system.equations), made once per system."""
    found = getattr(system, "_by_cell", None)
    if found is None or found[0] is not system.equations or found[1] != len(system.equations):
        by_cell: dict[CellKey, list[int]] = defaultdict(list)
        for i, eq in enumerate(system.equations):
            for key in (eq.total, *eq.members):
                if not by_cell[key] or by_cell[key][-1] != i:
                    by_cell[key].append(i)
        found = (system.equations, len(system.equations), by_cell)
        system._by_cell = found  # type: ignore[attr-defined]
    return found[2]


def _components(
    system: System, hidden: dict[CellKey, str]
) -> list[tuple[list[CellKey], list[Equation]]]:
    """Groups of hidden cells linked by equations, each with its equations.

    Walks from the hidden cells through their own equations only (an index of
    each cell's equations, made once per system), not through every equation.
    """
    by_cell = _equations_by_cell(system)
    seen: set[CellKey] = set()
    out = []
    for start in hidden:
        if start in seen:
            continue
        seen.add(start)
        group, used, stack = [start], set(), [start]
        while stack:
            cell = stack.pop()
            for i in by_cell.get(cell, ()):
                if i in used:
                    continue
                used.add(i)
                eq = system.equations[i]
                for k in (eq.total, *eq.members):
                    if k in hidden and k not in seen:
                        seen.add(k)
                        group.append(k)
                        stack.append(k)
        out.append((sorted(group, key=str), [system.equations[i] for i in sorted(used)]))
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
    own value, so they are not searched again.
    """
    cache = {} if cache is None else cache
    top = max(system.values.values(), default=0)
    out: set[CellKey] = set()
    # Every filling found so far (as the cells it moved off their own value): one whose
    # moved cells are all hidden here, within their ranges, fits here too (every other
    # cell at its own value fits every equation), so the cells it moved are safe.
    # (An "x" holds 0 to the largest figure, a "<5" 1 to 4: a value fits a cell's range
    # here only if it fits its mark here.)
    pool: dict[tuple[frozenset, tuple], None] = cache.setdefault(_FILLINGS, {})
    known: set[CellKey] | None = None
    for cells, equations in _components(system, hidden):
        signature = frozenset((k, hidden[k]) for k in cells)
        if signature not in cache:
            if known is None:
                known = set(free)
                for moved, values in pool:
                    if hidden.keys() >= moved and all(
                        1 <= v < t if hidden[k] == PRIMARY else 0 <= v <= top for k, v in values
                    ):
                        known |= moved
            cache[signature] = _exposed_in(
                system, hidden, cells, equations, t, top, known & set(cells), pool
            )
        out |= cache[signature]
    return out


_FILLINGS = "fillings"  # exposed's cache: the fillings found (its other keys are frozensets)


def _exposed_in(system, hidden, cells, equations, t, top, free, pool) -> set[CellKey]:
    ranges: Ranges = {}
    for k in cells:
        ranges[k] = (1, t - 1) if hidden[k] == PRIMARY else (0, top)
    # The shown cells of each equation are added up into one constant of their own
    # (a cell whose range is its figure): the narrowing and the search only ever
    # move hidden cells, and a shown member's range never changes, so the same
    # ranges come out, from far fewer cells.
    reduced = []
    for n, eq in enumerate(equations):
        known = sum(system.values[m] for m in eq.members if m not in hidden)
        members = tuple(m for m in eq.members if m in hidden)
        total = eq.total
        if total not in hidden:
            total = (_CONSTANT, (("equation", n), ("total", True)))
            ranges[total] = (system.values[eq.total] - known, system.values[eq.total] - known)
        elif known or not members:
            constant = (_CONSTANT, (("equation", n), ("total", False)))
            ranges[constant] = (known, known)
            members = (*members, constant)
        reduced.append(Equation(total, members))
    equations = reduced
    index = _index(equations)
    order = {k: i for i, k in enumerate(sorted(ranges, key=str))}
    narrowed = _narrow(ranges, equations, index)
    # Narrowed ranges need only the split cell looked at again; unnarrowable ones all.
    settled = narrowed is not None
    narrowed = narrowed or ranges
    free = set(free)
    out = set()
    for cell in cells:
        if cell in free:
            continue
        own = system.values[cell]
        lo, hi = narrowed[cell]
        for part in ((lo, own - 1), (own + 1, hi)):
            if part[0] > part[1]:
                continue
            found = _solution(
                {**narrowed, cell: part},
                equations,
                [SEARCH_LIMIT],
                index,
                [cell] if settled else None,
                order,
            )
            if found is not None:
                moved = frozenset(k for k in cells if found[k][0] != system.values[k])
                free |= moved
                pool[(moved, tuple((k, found[k][0]) for k in moved))] = None
                break
        else:
            out.add(cell)
    return out


# --- choosing what to hide --------------------------------------------------------------------


def _cheapest(options, cost, values: dict[CellKey, int]) -> CellKey:
    """min(options, key=cost), where cost is (cells left exposed, value, key).

    The options are tried smallest value first, then by key: the first that
    leaves no cell exposed has the lowest cost of all, and the rest need not
    be tried (each try is a search).
    """
    best: tuple = ((), None)
    for key in sorted(options, key=lambda k: (values[k], str(k))):
        found = cost(key)
        if best[1] is None or found < best[0]:
            best = (found, key)
        if found[0] == 0:
            break
    return best[1]


def suppress(
    system: System, t: int, pinned: dict[CellKey, str] | None = None
) -> dict[CellKey, str]:
    """The marks for every hidden cell: PRIMARY or SECONDARY.

    `pinned`: cells already published (frozen) with their marks: hidden ones
    stay hidden with the same mark, shown ones stay shown (they are in
    `system.fixed`).
    """
    pinned = pinned or {}
    hidden = {
        key: PRIMARY
        for key, value in system.values.items()
        if 1 <= value < t and key not in system.fixed and key not in pinned
    }
    hidden.update({key: mark for key, mark in pinned.items() if mark and key in system.values})
    cache: dict = {}
    equations_of: dict[CellKey, list[Equation]] = defaultdict(list)
    for eq in system.equations:
        for key in (eq.total, *eq.members):
            equations_of[key].append(eq)

    def candidates(cell: CellKey) -> set[CellKey]:
        found = set()
        for eq in equations_of[cell]:
            for key in (eq.total, *eq.members):
                if key != cell and key not in hidden and key not in system.fixed:
                    found.add(key)
        return found

    for _step in range(2 * len(system.values) + 2):
        now = exposed(system, hidden, t, cache)
        if not now:
            break
        # Every other hidden cell is safe now, and stays safe when more is hidden.
        safe = set(hidden) - now
        choices = [(cell, candidates(cell)) for cell in sorted(now, key=str)]
        choices = [(cell, options) for cell, options in choices if options]
        if choices:
            _cell, options = choices[0]
        else:
            # Everything next to the exposed cells is hidden. First let the small
            # cells nearby say less: "x" instead of "<5" claims nothing about size.
            nearby = now | {
                k for c in now for eq in equations_of[c] for k in (eq.total, *eq.members)
            }
            small = [k for k in nearby if hidden.get(k) == PRIMARY and k not in pinned]
            if small:
                for key in small:
                    hidden[key] = SECONDARY
                continue
            # Then hide further out: any shown cell of an equation with a hidden cell.
            options = {o for c in hidden for o in candidates(c)}
            if not options:
                break  # cannot be protected while the totals are shown

        def cost(key: CellKey, safe: set[CellKey] = safe) -> tuple[int, int, str]:
            trial = {**hidden, key: SECONDARY}
            return (len(exposed(system, trial, t, cache, safe)), system.values[key], str(key))

        hidden[_cheapest(options, cost, system.values)] = SECONDARY

    # Show again what is not needed, largest first (never a small cell).
    for key in sorted(
        (
            k
            for k, m in hidden.items()
            if m == SECONDARY and not 1 <= system.values[k] < t and k not in pinned
        ),
        key=lambda k: -system.values[k],
    ):
        trial = {k: m for k, m in hidden.items() if k != key}
        if not exposed(system, trial, t, cache):
            hidden = trial
    return hidden


# The last patterns chosen, by everything they depend on: the same figures in the
# other language (or the next build of the same data) need no new search. They are
# also kept in Django's cache (shared between processes where the cache is), under
# a digest of the cells, their equations and the settings, so the same input gives
# the same pattern without the search and the audit. PATTERN_VERSION changes
# whenever the way a pattern is chosen changes.
_PATTERNS: dict[str, dict[CellKey, str]] = {}
PATTERN_VERSION = 4
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
        hidden = suppress(system, t, pinned)
        if audited:
            from brik.statistics.audit import harden

            # Cells published hidden stay hidden (the audit never shows them again).
            hidden = harden(system, hidden, t, tables=tables, keep=pinned)
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
