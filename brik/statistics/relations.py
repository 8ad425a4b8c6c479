"""The relations between published cells that are not sums, as an outsider knows them.

Besides the sums of each table (rows to the total row, columns to the total
column, a merged category ("0-8|9-17") to its parts: `disclosure.build_system`),
the attacker's audit (brik.statistics.audit) uses these (`inequalities`):

- in a table where a person can fall in several rows (forms, citizenships),
  each row is at most the total, and where every person falls in at least one
  row (every identified person has at least one form and one row of
  citizenship, "unknown" included), the rows add up to at least the total;
- between tables: a Eurostat form group counts the persons with at least one
  of its forms (so it is at least each of those forms and at most their sum);
  "forced labour or criminal activities" likewise; the citizenship group
  "reporting country" is the row of that country, "unknown" the row of
  unknown citizenship, and the EU and non-EU groups are at most the sum of
  their countries' rows ("other EU countries" and "other countries" among
  them), for all persons and for each sex (citizenship by
  gender; Eurostat's "other or unknown" sex is the sum of its two genders);
- the persons identified that a type of first responder referred are at most
  the persons decided that it referred;
- the types of sexual exploitation add up to at least the form "sexual
  exploitation" (their total is that cell of the forms table);
- Eurostat's registered victims: at least the identified ones in every
  breakdown (and equal to identified + presumed, a sum of build_system).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from brik.core.countries import EU_MEMBERS, REPORTING_COUNTRY
from brik.statistics.disclosure import IDENTIFIED, REGISTERED
from brik.statistics.selectors.counting import (
    EUROSTAT_FORM_GROUPS,
    LABOUR_OR_CRIMINAL_FORMS,
    OTHER_EU,
    UNKNOWN,
    age_group_bands,
    eurostat_forms,
)
from brik.statistics.tables import CellKey, Table

# Tables (by slug) in which every person counted falls in at least one row.
COVERING = {
    "forms": None,
    "gender_form": None,
    "citizenship": None,
    "eurostat_forms": {"labour_or_criminal"},
    "screening": None,
    "authority": None,
    "referrer": None,
    "sector": None,
    "citizenship_gender": None,
    "sexual_type": None,
    "means_of_control": None,
    "exploitation_countries": None,
    "decided_referrer": None,
}


@dataclass(frozen=True)
class Inequality:
    """sum(coefficient * cell) <= bound"""

    terms: tuple[tuple[CellKey, int], ...]
    bound: int = 0


def _with(key: CellKey, dim: str, value) -> CellKey:
    measure, coords = key
    return (measure, tuple(sorted({**dict(coords), dim: value}.items())))


def _at_most(small: CellKey, large: CellKey) -> Inequality:
    return Inequality(((small, 1), (large, -1)))


def _at_most_sum(cell: CellKey, parts: Sequence[CellKey]) -> Inequality:
    return Inequality(((cell, 1), *((p, -1) for p in parts)))


def inequalities(tables: Iterable[Table], values: dict[CellKey, int]) -> list[Inequality]:
    """The relations between cells that are not sums: within and between tables."""
    out: set[Inequality] = set()
    for table in tables:
        if table.additive or table.total is None:
            continue
        for column in table.columns:
            total = table.cell_key(table.total, column)
            members = [table.cell_key(r, column) for r in table.rows]
            for m in members:
                out.add(_at_most(m, total))
            if table.slug in COVERING:
                left_out = COVERING[table.slug] or set()
                cover = [table.cell_key(r, column) for r in table.rows if r.key not in left_out]
                out.add(_at_most_sum(total, cover))
    for table in tables:
        if not table.col_total or table.col_additive:
            continue
        # A cross table whose columns can share a person (Eurostat's form groups):
        # each column at most the row's total, and every person in at least one column.
        for row in table.all_rows():
            total = table.cell_key(row, table.columns[-1])
            members = [table.cell_key(row, c) for c in table.columns[:-1]]
            for m in members:
                out.add(_at_most(m, total))
            out.add(_at_most_sum(total, members))
    for key in values:
        measure, coords = key
        if measure == REGISTERED and (IDENTIFIED, coords) in values:
            # Eurostat's registered victims include the identified ones (and the
            # presumed: the equation registered = identified + presumed is a sum,
            # disclosure.build_system declares it).
            out.add(_at_most((IDENTIFIED, coords), key))
        if measure != "identified":
            continue
        dims = dict(coords)
        if dims.keys() == {"year", "referrer_type"}:
            # Identified among the decided that a kind of first responder referred.
            decided = ("screening", coords)
            if decided in values:
                out.add(_at_most(key, decided))
        if dims.keys() == {"year", "age"} and dims["age"] in ("18-24", "25+"):
            # The centre's age groups hold CTDC's bands inside them and lie within
            # the bands they touch (24 is in "24-26").
            inside, touching = age_group_bands(dims["age"])
            inside_keys = [_with(key, "age", b) for b in inside]
            touching_keys = [_with(key, "age", b) for b in touching]
            if all(k in values for k in inside_keys):
                out.add(Inequality(((key, -1), *((k, 1) for k in inside_keys))))
            if all(k in values for k in touching_keys):
                out.add(_at_most_sum(key, touching_keys))
        if dims.keys() - {"year", "gender"} == {"eurostat_form"}:
            group = dims["eurostat_form"]
            forms = (
                list(LABOUR_OR_CRIMINAL_FORMS)
                if group == "labour_or_criminal"
                else eurostat_forms(group)
                if group in EUROSTAT_FORM_GROUPS
                else []
            )
            parts = [_with(key, "form", f) for f in forms]
            parts = [(p[0], tuple(kv for kv in p[1] if kv[0] != "eurostat_form")) for p in parts]
            present = [p for p in parts if p in values]
            for p in present:
                out.add(_at_most(p, key))
            if forms and len(present) == len(parts):
                out.add(_at_most_sum(key, present))
        if dims.keys() - {"year", "gender"} == {"citizenship_group"}:
            out.update(_group_relations(key, values))
    return sorted(out, key=str)


def _country_cells(key: CellKey, values: dict[CellKey, int]) -> dict[str, list[CellKey]]:
    """The citizenship table's cells (or citizenship by gender's) that a citizenship
    group's cell `key` is made of: {country: [cells]}, one cell per gender of a merged
    sex ("trans|unknown"), none for a country whose cells are not all there."""
    measure, coords = key
    dims = dict(coords)
    base = {d: v for d, v in dims.items() if d != "citizenship_group"}
    genders = str(base["gender"]).split("|") if "gender" in base else [None]
    found: dict[str, list[CellKey]] = defaultdict(list)
    wanted = [
        tuple(sorted({**base, **({"gender": g} if g is not None else {})}.items())) for g in genders
    ]
    for k in values:
        if k[0] != measure:
            continue
        kd = dict(k[1])
        if "country" not in kd:
            continue
        rest = tuple(kv for kv in k[1] if kv[0] != "country")
        if rest in wanted:
            found[kd["country"]].append(k)
    return {code: cells for code, cells in found.items() if len(cells) == len(genders)}


def _group_relations(key: CellKey, values: dict[CellKey, int]) -> list[Inequality]:
    """A citizenship group's cell against the countries' cells (see the module's doc)."""
    group = dict(key[1])["citizenship_group"]
    countries = _country_cells(key, values)
    out = []
    if group in ("reporting", UNKNOWN):
        code = REPORTING_COUNTRY if group == "reporting" else UNKNOWN
        if code in countries:
            out.append(_at_most_sum(key, countries[code]))
            out.append(Inequality(((key, -1), *((k, 1) for k in countries[code]))))
    elif group in ("eu", "non_eu") and countries:
        members = [
            k
            for code, cells in countries.items()
            if code not in (REPORTING_COUNTRY, UNKNOWN)
            and (code in EU_MEMBERS or code == OTHER_EU) == (group == "eu")
            for k in cells
        ]
        # The countries not listed one by one are in "other EU countries" or "other
        # countries", so the listed rows and those together hold every person of a group.
        if members:
            out.append(_at_most_sum(key, members))
    return out
