"""Trends in words: a pair of figures as a sentence, in the active language.

`classify(previous, current)` names the change; `change_sentence` writes it.
The English text is the message id; the Danish comes from the catalogue
(brik/locale/da), so every sentence exists in both languages. Nothing here
knows any year's result: the words follow the figures.

How a change is named (documented rules, tested in tests/test_phrasing.py):

- **on level with**: the change is at most 5 % of the previous figure, or at
  most 3 when that is also under 10 % (so 77 → 80 is "on level", 2 → 5 is not);
- **doubled** when the new figure is 1.9 to 2.15 times the old, **more than
  doubled** up to 2.85, **tripled** from 2.85 to 3.15, **more than tripled** above;
- **halved** when it is 0.475 to 0.525 times the old;
- otherwise **rose / fell by a quarter, a third, half, two thirds, three
  quarters** when the relative change is within 3 percentage points of it,
  else **rose / fell by N** (small numbers in words: "three persons");
- **the first time** when the previous figure is 0 and the series (if given)
  had nothing before; **fell to zero** when the new figure is 0;
- **the highest / lowest since the series began** when the series has at
  least three years and the new figure is above / below every earlier one.
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
# "Almost equally many": the difference is at most this share of the two together.
BALANCE_TOLERANCE = 0.10


class Kind(enum.Enum):
    NONE = "none"
    FIRST = "first"
    AGAIN = "again"
    LEVEL = "level"
    DOUBLED = "doubled"
    MORE_THAN_DOUBLED = "more_than_doubled"
    TRIPLED = "tripled"
    MORE_THAN_TRIPLED = "more_than_tripled"
    HALVED = "halved"
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


def nearest_fraction(share: float) -> str | None:
    for name, value in FRACTIONS.items():
        if abs(share - value) <= FRACTION_TOLERANCE:
            return name
    return None


def classify(
    previous: int, current: int, earlier: list[int] | None = None
) -> tuple[Kind, str | None]:
    """The kind of change, and the fraction's name for *_FRACTION kinds.

    `earlier`: the series before `previous` (if known), to tell "the first time"
    from "again after a year without".
    """
    if previous == 0:
        if current == 0:
            return Kind.NONE, None
        if earlier and any(earlier):
            return Kind.AGAIN, None
        return Kind.FIRST, None
    if current == 0:
        return Kind.TO_ZERO, None
    if is_level(previous, current):
        return Kind.LEVEL, None
    ratio = current / previous
    if 1.9 <= ratio <= 2.15:
        return Kind.DOUBLED, None
    if 2.15 < ratio < 2.85:
        return Kind.MORE_THAN_DOUBLED, None
    if 2.85 <= ratio <= 3.15:
        return Kind.TRIPLED, None
    if ratio > 3.15:
        return Kind.MORE_THAN_TRIPLED, None
    if 0.475 <= ratio <= 0.525:
        return Kind.HALVED, None
    fraction = nearest_fraction(abs(ratio - 1))
    if fraction is not None:
        return (Kind.ROSE_FRACTION if ratio > 1 else Kind.FELL_FRACTION), fraction
    return (Kind.ROSE if ratio > 1 else Kind.FELL), None


# --- words for numbers -----------------------------------------------------------------


def number_word(n: int, *, neuter: bool = False) -> str:
    """Numbers from one to twelve in words (Danish "en"/"et" by the noun's gender)."""
    if n == 1:
        return pgettext("number, neuter noun", "one") if neuter else pgettext("number", "one")
    words = {
        2: pgettext("number", "two"),
        3: pgettext("number", "three"),
        4: pgettext("number", "four"),
        5: pgettext("number", "five"),
        6: pgettext("number", "six"),
        7: pgettext("number", "seven"),
        8: pgettext("number", "eight"),
        9: pgettext("number", "nine"),
        10: pgettext("number", "ten"),
        11: pgettext("number", "eleven"),
        12: pgettext("number", "twelve"),
    }
    return words.get(n, str(n))


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
    """The thing counted, for "rose by three persons" (Danish: its grammatical gender)."""

    name: str
    neuter: bool = False

    def count(self, n: int) -> str:
        word = number_word(n, neuter=self.neuter)
        if self.name == "action":
            return npgettext("count", "%(n)s action", "%(n)s actions", n) % {"n": word}
        if self.name == "case":
            return npgettext("count", "%(n)s case", "%(n)s cases", n) % {"n": word}
        return npgettext("count", "%(n)s person", "%(n)s persons", n) % {"n": word}


PERSONS = Unit("person")


@dataclass(frozen=True)
class Measure:
    """A figure's name as the subject of a sentence ("the number of persons identified")."""

    subject: Callable[[], str]
    unit: Unit = PERSONS


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- sentences ----------------------------------------------------------------------------


def change_sentence(
    measure: Measure,
    *,
    previous: int,
    current: int,
    year: int,
    previous_year: int | None = None,
    series: Mapping[int, int] | None = None,
) -> str:
    """One sentence on the change from `previous_year` to `year` (and a record, if any)."""
    previous_year = previous_year if previous_year is not None else year - 1
    earlier = [v for y, v in sorted((series or {}).items()) if y < previous_year]
    kind, fraction = classify(previous, current, earlier if series is not None else None)
    params = {
        "subject": measure.subject(),
        "previous": previous,
        "current": current,
        "year": year,
        "previous_year": previous_year,
        "difference": measure.unit.count(abs(current - previous)),
        "fraction": fraction_words(fraction) if fraction else "",
    }
    text = _TEMPLATES[kind]() % params if kind in _TEMPLATES else ""
    record = record_sentence(series, year=year) if series is not None else ""
    return " ".join(capitalise(p) for p in (text, record) if p)


_TEMPLATES: dict[Kind, Callable[[], str]] = {
    Kind.LEVEL: lambda: _(
        "%(subject)s was on level with %(previous_year)s (%(current)s against %(previous)s)."
    ),
    Kind.DOUBLED: lambda: _(
        "%(subject)s doubled, from %(previous)s in %(previous_year)s to %(current)s in %(year)s."
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
    Kind.HALVED: lambda: _(
        "%(subject)s was halved, from %(previous)s in %(previous_year)s to %(current)s in %(year)s."
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
    Kind.AGAIN: lambda: _(
        "%(subject)s was %(current)s in %(year)s, after none in %(previous_year)s."
    ),
    Kind.TO_ZERO: lambda: _(
        "%(subject)s fell from %(previous)s in %(previous_year)s to none in %(year)s."
    ),
}


def record_sentence(series: Mapping[int, int] | None, *, year: int) -> str:
    """ "The highest/lowest since the series began", when the year's figure is one."""
    if not series or year not in series:
        return ""
    before = {y: v for y, v in series.items() if y < year}
    if len(before) + 1 < RECORD_MIN_YEARS:
        return ""
    current = series[year]
    first_year = min(series)
    if current > max(before.values()):
        return _("That is the highest number since the series began in %(first_year)s.") % {
            "first_year": first_year
        }
    if current < min(before.values()):
        return _("That is the lowest number since the series began in %(first_year)s.") % {
            "first_year": first_year
        }
    return ""


def is_balanced(women: int, men: int) -> bool:
    together = women + men
    return together > 0 and min(women, men) > 0 and abs(women - men) <= BALANCE_TOLERANCE * together


def gender_sentence(*, women: int, men: int, year: int, with_numbers: bool = True) -> str:
    """Women and men among those identified: balanced, or which were more.

    Without numbers (a figure is hidden by disclosure control) only the balance is told.
    """
    if not with_numbers:
        if is_balanced(women, men):
            return _("In %(year)s, almost equally many women and men were identified.") % {
                "year": year
            }
        if women > men:
            return _("In %(year)s, more women than men were identified.") % {"year": year}
        return _("In %(year)s, more men than women were identified.") % {"year": year}
    params = {
        "year": year,
        "women": npgettext("count", "%(n)s woman", "%(n)s women", women) % {"n": women},
        "men": npgettext("count", "%(n)s man", "%(n)s men", men) % {"n": men},
    }
    if women == men and women > 0:
        return (
            _("In %(year)s, equally many women and men were identified (%(women)s and %(men)s).")
            % params
        )
    if is_balanced(women, men):
        return (
            _(
                "In %(year)s, almost equally many women and men were identified "
                "(%(women)s and %(men)s)."
            )
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
