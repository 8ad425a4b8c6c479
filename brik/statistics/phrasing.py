"""Trends in words: a pair of figures as a sentence, in the active language.

`classify(previous, current)` names the change; `change_sentence` writes it.
The English text is the message id; the Danish comes from the catalogue
(brik/locale/da), so every sentence exists in both languages. Nothing here
knows any year's result: the words follow the figures. Every number in a
sentence is written in digits (no "three" and "12" in one sentence).

How a change is named (documented rules, tested in tests/test_phrasing.py):

- **unknown**: the year before has no data (`previous is None`): no sentence.
  A year with no data is unknown, not 0.
- **unchanged** when the two figures are equal.
- **about the same** (Danish "på niveau med") when the change is at most 5 %
  of the previous figure, or at most 3 when that is also under 10 %, and the
  figures are not both small (77 → 80);
- **small numbers**: when the figure before is under 10 (a ratio from 1 or 3 says
  nothing), or they differ by fewer than 5 persons, the counts are stated plainly
  ("was 4 in 2021, against 3 in 2020"): no ratio word for 2 → 5, 4 → 3 or 1 → 13;
- **none**: a figure that falls to 0 reads "there were no … in 2021, against 5
  in 2020"; from 0 it reads "was 12 in 2021, against none in 2020" — or "the
  first time" only when the series is known from its beginning and was 0 throughout;
- ratios: **more than tripled** above 3.15, **tripled** 2.85–3.15, **more than
  doubled** 2.15–2.85, **doubled** 1.9–2.15, **almost doubled** 1.75–1.9,
  **rose by more than half** 1.53–1.75, **halved** 0.475–0.525, **almost
  halved** 0.525–0.6, **fell by more than half** below 0.475 (unless a fraction
  fits); otherwise **rose / fell by a quarter, a third, half, two thirds, three
  quarters** when the relative change is within 3 percentage points of it, else
  **rose / fell by N persons**;
- **records** ("the highest since 2007") only over a series known without a gap
  from the year it began (the centre's earlier published totals, entered as
  historical figures); without them, no record claim.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import npgettext, pgettext

LEVEL_RELATIVE = 0.05
LEVEL_ABSOLUTE = 3
LEVEL_ABSOLUTE_RELATIVE = 0.10
FRACTION_TOLERANCE = 0.03
RECORD_MIN_YEARS = 3
# Below these sizes a change is told as two counts, never as a ratio word.
SMALL_FIGURE = 10  # both figures under this
SMALL_CHANGE = 5  # or the change under this many
# "Almost as many": the difference is at most this share of the two together.
BALANCE_TOLERANCE = 0.10


class Kind(enum.Enum):
    UNKNOWN = "unknown"
    NONE = "none"
    FIRST = "first"
    FROM_ZERO = "from_zero"
    UNCHANGED = "unchanged"
    LEVEL = "level"
    PLAIN = "plain"
    DOUBLED = "doubled"
    ALMOST_DOUBLED = "almost_doubled"
    MORE_THAN_DOUBLED = "more_than_doubled"
    TRIPLED = "tripled"
    MORE_THAN_TRIPLED = "more_than_tripled"
    ROSE_MORE_THAN_HALF = "rose_more_than_half"
    HALVED = "halved"
    ALMOST_HALVED = "almost_halved"
    FELL_MORE_THAN_HALF = "fell_more_than_half"
    ROSE_FRACTION = "rose_fraction"
    FELL_FRACTION = "fell_fraction"
    ROSE = "rose"
    FELL = "fell"
    TO_ZERO = "to_zero"


FRACTIONS = {
    "quarter": 1 / 4,
    "third": 1 / 3,
    "half": 1 / 2,
    "two_thirds": 2 / 3,
    "three_quarters": 3 / 4,
}


def is_level(previous: int, current: int) -> bool:
    if previous == 0:
        return False
    change = abs(current - previous)
    return change <= LEVEL_RELATIVE * previous or (
        change <= LEVEL_ABSOLUTE and change < LEVEL_ABSOLUTE_RELATIVE * previous
    )


def is_small(previous: int, current: int) -> bool:
    """Too small for a ratio word: from under 10, both under 10, or fewer than 5 apart."""
    return previous < SMALL_FIGURE or (abs(current - previous) < SMALL_CHANGE)


def nearest_fraction(share: float) -> str | None:
    for name, value in FRACTIONS.items():
        if abs(share - value) <= FRACTION_TOLERANCE:
            return name
    return None


def classify(
    previous: int | None, current: int, earlier: list[int] | None = None
) -> tuple[Kind, str | None]:
    """The kind of change, and the fraction's name for *_FRACTION kinds.

    `previous` is None when the year before has no data (unknown, not 0).
    `earlier`: the series before `previous`, given only when it is known from
    the year the series began; only then can a figure be "the first time".
    """
    if previous is None:
        return Kind.UNKNOWN, None
    if previous == current:
        return (Kind.NONE if current == 0 else Kind.UNCHANGED), None
    if previous == 0:
        if earlier is not None and not any(earlier):
            return Kind.FIRST, None
        return Kind.FROM_ZERO, None
    if current == 0:
        return Kind.TO_ZERO, None
    if is_level(previous, current) and previous >= SMALL_FIGURE:
        return Kind.LEVEL, None
    if is_small(previous, current):
        return Kind.PLAIN, None
    ratio = current / previous
    for low, high, kind in _RATIO_WORDS:
        if low <= ratio < high:
            return kind, None
    fraction = nearest_fraction(abs(ratio - 1))
    if fraction is not None:
        return (Kind.ROSE_FRACTION if ratio > 1 else Kind.FELL_FRACTION), fraction
    if ratio < 0.5:
        return Kind.FELL_MORE_THAN_HALF, None
    return (Kind.ROSE if ratio > 1 else Kind.FELL), None


# (from, below, kind); checked before the fractions, so "halved" wins over
# "fell by half" and "rose by more than half" starts just above "rose by half".
_RATIO_WORDS = (
    (3.15, float("inf"), Kind.MORE_THAN_TRIPLED),
    (2.85, 3.15, Kind.TRIPLED),
    (2.15, 2.85, Kind.MORE_THAN_DOUBLED),
    (1.9, 2.15, Kind.DOUBLED),
    (1.75, 1.9, Kind.ALMOST_DOUBLED),
    (1.5 + FRACTION_TOLERANCE + 1e-9, 1.75, Kind.ROSE_MORE_THAN_HALF),
    (0.475, 0.525, Kind.HALVED),
    (0.525, 0.6, Kind.ALMOST_HALVED),
)


def fraction_words(name: str) -> str:
    return {
        "quarter": pgettext("change by", "a quarter"),
        "third": pgettext("change by", "a third"),
        "half": pgettext("change by", "half"),
        "two_thirds": pgettext("change by", "two thirds"),
        "three_quarters": pgettext("change by", "three quarters"),
    }[name]


# --- what is counted ---------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """The thing counted, for "rose by 15 persons"."""

    name: str

    def count(self, n: int) -> str:
        if self.name == "action":
            return npgettext("count", "%(n)s action", "%(n)s actions", n) % {"n": n}
        if self.name == "case":
            return npgettext("count", "%(n)s case", "%(n)s cases", n) % {"n": n}
        return npgettext("count", "%(n)s person", "%(n)s persons", n) % {"n": n}


PERSONS = Unit("person")


@dataclass(frozen=True)
class Measure:
    """A figure's names: as the subject of a sentence ("the number of persons
    identified"), and what is counted, for "there were no persons identified"."""

    subject: Callable[[], str]
    counted: Callable[[], str] | None = None
    unit: Unit = PERSONS


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- sentences ----------------------------------------------------------------------------


def change_sentence(
    measure: Measure,
    *,
    previous: int | None,
    current: int,
    year: int,
    previous_year: int | None = None,
    series: Mapping[int, int] | None = None,
    series_began: int | None = None,
) -> str:
    """One sentence on the change from `previous_year` to `year` (and a record, if any).

    `series` with `series_began`: the figures by year, known without a gap from
    the year the series began (the centre's historical totals and Brik's own);
    only then are "the first time" and records told. "" when there is nothing
    true to say (the year before is unknown, or both are 0).
    """
    previous_year = previous_year if previous_year is not None else year - 1
    known = series if is_complete(series, began=series_began, upto=year) else None
    earlier = (
        [v for y, v in sorted(known.items()) if y < previous_year] if known is not None else None
    )
    kind, fraction = classify(previous, current, earlier)
    if kind in (Kind.UNKNOWN, Kind.NONE):
        return ""
    if kind == Kind.TO_ZERO and measure.counted is None:
        kind = Kind.PLAIN
    params = {
        "subject": measure.subject(),
        "counted": measure.counted() if measure.counted else "",
        "previous": previous,
        "current": current,
        "year": year,
        "previous_year": previous_year,
        "difference": measure.unit.count(abs(current - (previous or 0))),
        "fraction": fraction_words(fraction) if fraction else "",
    }
    text = _TEMPLATES[kind]() % params
    record = record_sentence(known, year=year, began=series_began) if known else ""
    return " ".join(capitalise(p) for p in (text, record) if p)


_TEMPLATES: dict[Kind, Callable[[], str]] = {
    Kind.UNCHANGED: lambda: _("%(subject)s was unchanged at %(current)s, as in %(previous_year)s."),
    Kind.LEVEL: lambda: _(
        "%(subject)s was about the same as in %(previous_year)s (%(current)s against %(previous)s)."
    ),
    Kind.PLAIN: lambda: _(
        "%(subject)s was %(current)s in %(year)s, against %(previous)s in %(previous_year)s."
    ),
    Kind.DOUBLED: lambda: _(
        "%(subject)s doubled, from %(previous)s in %(previous_year)s to %(current)s in %(year)s."
    ),
    Kind.ALMOST_DOUBLED: lambda: _(
        "%(subject)s almost doubled, from %(previous)s in %(previous_year)s to %(current)s "
        "in %(year)s."
    ),
    Kind.MORE_THAN_DOUBLED: lambda: _(
        "%(subject)s more than doubled, from %(previous)s in %(previous_year)s to %(current)s "
        "in %(year)s."
    ),
    Kind.TRIPLED: lambda: _(
        "%(subject)s tripled, from %(previous)s in %(previous_year)s to %(current)s in %(year)s."
    ),
    Kind.MORE_THAN_TRIPLED: lambda: _(
        "%(subject)s more than tripled, from %(previous)s in %(previous_year)s to %(current)s "
        "in %(year)s."
    ),
    Kind.ROSE_MORE_THAN_HALF: lambda: _(
        "%(subject)s rose by more than half, from %(previous)s in %(previous_year)s to "
        "%(current)s in %(year)s."
    ),
    Kind.HALVED: lambda: _(
        "%(subject)s was halved, from %(previous)s in %(previous_year)s to %(current)s in %(year)s."
    ),
    Kind.ALMOST_HALVED: lambda: _(
        "%(subject)s almost halved, from %(previous)s in %(previous_year)s to %(current)s "
        "in %(year)s."
    ),
    Kind.FELL_MORE_THAN_HALF: lambda: _(
        "%(subject)s fell by more than half, from %(previous)s in %(previous_year)s to "
        "%(current)s in %(year)s."
    ),
    Kind.ROSE_FRACTION: lambda: _(
        "%(subject)s rose by %(fraction)s, from %(previous)s in %(previous_year)s to %(current)s "
        "in %(year)s."
    ),
    Kind.FELL_FRACTION: lambda: _(
        "%(subject)s fell by %(fraction)s, from %(previous)s in %(previous_year)s to %(current)s "
        "in %(year)s."
    ),
    Kind.ROSE: lambda: _(
        "%(subject)s rose by %(difference)s, from %(previous)s in %(previous_year)s to "
        "%(current)s in %(year)s."
    ),
    Kind.FELL: lambda: _(
        "%(subject)s fell by %(difference)s, from %(previous)s in %(previous_year)s to "
        "%(current)s in %(year)s."
    ),
    Kind.FIRST: lambda: _(
        "%(subject)s was %(current)s in %(year)s: the first time there were any."
    ),
    Kind.FROM_ZERO: lambda: _(
        "%(subject)s was %(current)s in %(year)s, against none in %(previous_year)s."
    ),
    Kind.TO_ZERO: lambda: _(
        "There were no %(counted)s in %(year)s, against %(previous)s in %(previous_year)s."
    ),
}


def is_complete(series: Mapping[int, int] | None, *, began: int | None, upto: int) -> bool:
    """Is the series known for every year from the year it began to `upto`?"""
    if not series or began is None:
        return False
    return all(y in series for y in range(began, upto + 1))


def record_sentence(
    series: Mapping[int, int] | None, *, year: int, began: int | None = None
) -> str:
    """ "The highest/lowest since 2007", when the year's figure is one.

    Only over a series known without a gap from `began`, the year it began
    (the centre's earlier published totals count); otherwise no record claim.
    """
    if series is None or not is_complete(series, began=began, upto=year):
        return ""
    before = {y: v for y, v in series.items() if began <= y < year}  # type: ignore[operator]
    if len(before) + 1 < RECORD_MIN_YEARS:
        return ""
    current = series[year]
    if current > max(before.values()):
        return _("That is the highest number since %(first_year)s.") % {"first_year": began}
    if current < min(before.values()):
        return _("That is the lowest number since %(first_year)s.") % {"first_year": began}
    return ""


def is_balanced(women: int, men: int) -> bool:
    together = women + men
    return together > 0 and min(women, men) > 0 and abs(women - men) <= BALANCE_TOLERANCE * together


def gender_sentence(*, women: int, men: int, year: int) -> str:
    """Women and men among those identified, with both published figures.

    Only for published figures: when either is hidden there is no sentence
    (a balance told without numbers would still tell something about the hidden one).
    """
    params = {
        "year": year,
        "women": npgettext("count", "%(n)s woman", "%(n)s women", women) % {"n": women},
        "men": npgettext("count", "%(n)s man", "%(n)s men", men) % {"n": men},
    }
    if women == men and women > 0:
        return _("In %(year)s, as many women as men were identified (%(women)s and %(men)s).") % (
            params
        )
    if is_balanced(women, men):
        if women > men:
            return (
                _(
                    "In %(year)s, almost as many men as women were identified (%(women)s and %(men)s)."
                )
                % params
            )
        return (
            _("In %(year)s, almost as many women as men were identified (%(men)s and %(women)s).")
            % params
        )
    if women > men:
        return (
            _("In %(year)s, more women than men were identified (%(women)s and %(men)s).") % params
        )
    return _("In %(year)s, more men than women were identified (%(men)s and %(women)s).") % params


def count_sentence(kind: str, *, n: int, year: int) -> str:
    """A plain count for the year ("In 2021, 80 persons were identified as victims...")."""
    params = {"n": n, "year": year}
    if kind == "identified":
        return (
            npgettext(
                "summary",
                "In %(year)s, %(n)s person was identified as a victim of trafficking.",
                "In %(year)s, %(n)s persons were identified as victims of trafficking.",
                n,
            )
            % params
        )
    if kind == "screened":
        return (
            npgettext(
                "summary",
                "%(n)s person was screened (assessed) in %(year)s.",
                "%(n)s persons were screened (assessed) in %(year)s.",
                n,
            )
            % params
        )
    if kind == "returned":
        return (
            npgettext(
                "summary",
                "In %(year)s, %(n)s person was helped home by a prepared return.",
                "In %(year)s, %(n)s persons were helped home by a prepared return.",
                n,
            )
            % params
        )
    raise ValueError(kind)
