"""The report's summary in words: the most notable changes of the year.

Built from the report's tables *after* disclosure control: a sentence that
would state a hidden figure is left out, so a public summary never says what
a public table hides.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from brik.core import choices
from brik.statistics import phrasing
from brik.statistics.phrasing import Kind, Measure
from brik.statistics.tables import TOTAL, Table

# Forms whose change can be told in a sentence ("persons trafficked for ...").
NAMED_FORMS = (
    choices.ExploitationForm.SEXUAL,
    choices.ExploitationForm.FORCED_LABOUR,
    choices.ExploitationForm.CRIMINAL,
    choices.ExploitationForm.SLAVERY_LIKE,
    choices.ExploitationForm.BEGGING,
    choices.ExploitationForm.FORCED_MARRIAGE,
    choices.ExploitationForm.ORGAN_REMOVAL,
)
# A change is "notable" when it is large against the figures' own noise
# (|new - old| / sqrt(new + old), as for counts) and the figures are not tiny.
NOTABLE_SCORE = 1.5
NOTABLE_MIN_SIZE = 10
NOTABLE_MAX = 3

IDENTIFIED = Measure(
    lambda: _("the number of persons identified as victims of trafficking"),
    lambda: _("persons identified as victims of trafficking"),
)
RETURNED = Measure(
    lambda: _("the number of persons helped home by a prepared return"),
    lambda: _("persons helped home by a prepared return"),
)
LABOUR_OR_CRIMINAL = Measure(
    lambda: _("the number of persons trafficked for forced labour or criminal activities"),
    lambda: _("persons trafficked for forced labour or criminal activities"),
)


def form_measure(label: str) -> Measure:
    return Measure(
        lambda: _("the number of persons trafficked for %(form)s") % {"form": label.lower()},
        lambda: _("persons trafficked for %(form)s") % {"form": label.lower()},
    )


@dataclass
class Candidate:
    key: str
    measure: Measure
    previous: int
    current: int

    @property
    def score(self) -> float:
        kind, _fraction = phrasing.classify(self.previous, self.current)
        if kind in (Kind.UNKNOWN, Kind.NONE, Kind.UNCHANGED, Kind.LEVEL):
            return 0.0
        if kind in (Kind.FIRST, Kind.FROM_ZERO):
            return math.inf if self.current >= NOTABLE_MIN_SIZE / 2 else 0.0
        if self.previous + self.current < NOTABLE_MIN_SIZE:
            return 0.0
        return abs(self.current - self.previous) / math.sqrt(self.previous + self.current)


def _visible_pair(table: Table | None, row_key: str) -> tuple[int, int] | None:
    """(previous, current) of a row in a years table, or None if either is hidden."""
    if table is None or len(table.columns) < 2:
        return None
    row = (
        table.total if row_key == TOTAL else next((r for r in table.rows if r.key == row_key), None)
    )
    if row is None or row.mark(-1) or row.mark(-2):
        return None
    return row.values[-2], row.values[-1]


def _hidden(table: Table | None, *years: int) -> bool:
    """Is the total of any of these years hidden (a small total is a cell too)?"""
    return table is not None and any(table.total_mark(y) for y in years)


def notable_changes(tables: Mapping[str, Table]) -> list[Candidate]:
    candidates = []
    pair = _visible_pair(tables.get("eurostat_forms"), "labour_or_criminal")
    if pair:
        candidates.append(Candidate("labour_or_criminal", LABOUR_OR_CRIMINAL, *pair))
    forms = tables.get("forms")
    for row in forms.rows if forms else []:
        if row.key in NAMED_FORMS:
            pair = _visible_pair(forms, row.key)
            if pair:
                candidates.append(Candidate(row.key, form_measure(row.label), *pair))
    chosen: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda x: x.score, reverse=True):
        if candidate.score < NOTABLE_SCORE or len(chosen) >= NOTABLE_MAX:
            break
        taken = {x.key for x in chosen}
        # The combined figure already tells the story of its two parts.
        if "labour_or_criminal" in taken and candidate.key in ("forced_labour", "criminal"):
            continue
        chosen.append(candidate)
    return chosen


def build_summary(
    *,
    year: int,
    tables: Mapping[str, Table],
    identified_series: Mapping[int, int],
    returns_series: Mapping[int, int],
    series_began: Mapping[str, int] | None = None,
) -> list[str]:
    """Sentences for the summary, most important first, in the active language.

    `series_began`: per series ("identified", "returned"), the year it is known
    from without a gap (the centre's historical totals); records are told only then.
    """
    began = series_began or {}
    sentences = []
    series = tables.get("identified_series")
    if year - 1 in identified_series and not _hidden(series, year, year - 1):
        sentences.append(
            phrasing.change_sentence(
                IDENTIFIED,
                previous=identified_series[year - 1],
                current=identified_series.get(year, 0),
                year=year,
                series=identified_series,
                series_began=began.get("identified"),
            )
        )
    screening = tables.get("screening")
    if screening is not None and not _hidden(screening, year):
        sentences.append(
            phrasing.count_sentence("screened", n=screening.total.values[-1], year=year)
        )

    gender = tables.get("gender")
    if gender is not None:
        women = next(r for r in gender.rows if r.key == choices.Gender.WOMAN)
        men = next(r for r in gender.rows if r.key == choices.Gender.MAN)
        # Only with both figures published: a balance told without numbers
        # would still say something about the hidden one.
        shown = not women.mark(-1) and not men.mark(-1)
        if shown and women.values[-1] + men.values[-1] > 0:
            sentences.append(
                phrasing.gender_sentence(women=women.values[-1], men=men.values[-1], year=year)
            )

    for candidate in notable_changes(tables):
        sentences.append(
            phrasing.change_sentence(
                candidate.measure, previous=candidate.previous, current=candidate.current, year=year
            )
        )

    returned = returns_series.get(year, 0)
    if returned and not _hidden(tables.get("returns_series"), year):
        parts = [phrasing.count_sentence("returned", n=returned, year=year)]
        record = phrasing.record_sentence(returns_series, year=year, began=began.get("returned"))
        if record:
            parts.append(record)
        sentences.append(" ".join(parts))
    return [s for s in sentences if s]
