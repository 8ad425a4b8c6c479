"""k-anonymity for the CTDC-style file, as CTDC does it: generalise, then suppress.

The quasi-identifiers are the fields that, together, could single a person
out to someone who knows them: year of registration, gender, age band (with
adult/minor), citizenship and country of exploitation. Every combination of
their values in the file must occur at least k times. A record whose
combination is rarer is generalised step by step, and suppressed (left out)
when even the most general step leaves its combination rarer than k:

0. as recorded;
1. citizenship and country of exploitation as Eurostat's groups (the
   reporting country, "EU", "non-EU");
2. also the age band left out (adult or minor stays).

A record's fate depends only on its combination as recorded, so the plan is
made from the counts of those combinations (a small Counter, whatever the
number of records) and the rows are then streamed through it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from brik.exchange.ctdc import country_group

QUASI_IDENTIFIERS = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
]
# CTDC publishes its global k-anonymised dataset with k = 11.
DEFAULT_K = 11

Key = tuple


def key(values: dict) -> Key:
    return tuple(values.get(name) or "" for name in QUASI_IDENTIFIERS)


def _generalise(k: Key, level: int) -> Key:
    year, gender, band, majority, citizenship, country = k
    if level >= 1:
        citizenship, country = country_group(citizenship), country_group(country)
    if level >= 2:
        band = ""
    return (year, gender, band, majority, citizenship, country)


@dataclass
class Plan:
    k: int
    # For each recorded combination: its generalised combination, or None (suppressed).
    outcome: dict[Key, Key | None]
    counts: Counter  # records per recorded combination

    @property
    def suppressed(self) -> int:
        return sum(n for key_, n in self.counts.items() if self.outcome[key_] is None)

    @property
    def kept(self) -> int:
        return sum(self.counts.values()) - self.suppressed

    def apply(self, values: dict) -> dict | None:
        """The record generalised as planned, or None when it is suppressed."""
        final = self.outcome[key(values)]
        if final is None:
            return None
        return {**values, **dict(zip(QUASI_IDENTIFIERS, final, strict=True))}


def plan(counts: Counter, k: int) -> Plan:
    if k < 1:
        raise ValueError("k must be at least 1")
    outcome: dict[Key, Key | None] = {}
    pending = set(counts)
    for level in (0, 1, 2):
        by_general: Counter = Counter()
        for recorded in pending:
            by_general[_generalise(recorded, level)] += counts[recorded]
        for recorded in list(pending):
            general = _generalise(recorded, level)
            if by_general[general] >= k:
                outcome[recorded] = general
                pending.discard(recorded)
    for recorded in pending:
        outcome[recorded] = None
    # A generalised combination may equal another one kept as recorded: their
    # records then share it, which only adds to its count. Checked, not assumed:
    final: Counter = Counter()
    for recorded, general in outcome.items():
        if general is not None:
            final[general] += counts[recorded]
    for recorded, general in outcome.items():
        if general is not None and final[general] < k:  # pragma: no cover (cannot happen)
            outcome[recorded] = None
    return Plan(k=k, outcome=outcome, counts=counts)
