"""The figures the demo data reproduces: one table per decision year, 2019-2024.

The demo goes on after 2024 up to the day it is made (history_end): the years
after the calibrated ones are synthetic (synthetic_figures, 2024 grown by
SYNTHETIC_GROWTH a year; today's year up to today), so that its last year is
the current one and its deadlines fall around today. The calibrated years'
figures stay exactly as in the table whatever the day.

Published figures come from the centre's annual reports and news items as
summarised in the project's domain notes (section 4). Everything the centre
did not publish is invented so that the years look plausible; every invented
value is named in the year's ``invented`` set, and 2024 is invented whole.

The counting rule is the centre's: a person is counted in the year of the
positive assessment (``Case.decided_on`` with outcome "identified"); a person
with several forms of exploitation counts once in the total and once under
each form. Screened = identified + not identified, both by decision year.
Prepared returns are counted by the year of departure.

``composition`` is how the generator builds each year: groups of identical
(gender, forms) persons. It is a construction, not a published figure; the
tests check that it reproduces the published marginals exactly. A larger or
smaller demo (``--persons``) scales every count with :func:`scaled_figures`.

Longer than 400 lines on purpose: it is data, one table per year.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.translation import gettext as _

from brik.core.choices import ExploitationForm, Gender, LabourSector

# The calibrated years: their figures are the table below, exactly, whatever the day.
YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
HISTORY_START = date(2019, 1, 1)
# The last day of the calibrated years. The demo's history goes on after it, with
# synthetic years (synthetic_figures) up to the day the demo is made (history_end).
CALIBRATED_END = date(YEARS[-1], 12, 31)
# Growth per year of the synthetic years after the calibrated ones (invented).
SYNTHETIC_GROWTH = 1.04

_today: date | None = None

W, M, T = Gender.WOMAN.value, Gender.MAN.value, Gender.TRANS_NONCONFORMING.value
SEX, FL, CRIM = (
    ExploitationForm.SEXUAL.value,
    ExploitationForm.FORCED_LABOUR.value,
    ExploitationForm.CRIMINAL.value,
)
SLAV, OTHER, ND = (
    ExploitationForm.SLAVERY_LIKE.value,
    ExploitationForm.OTHER.value,
    ExploitationForm.NOT_DETERMINED.value,
)


@dataclass(frozen=True)
class Group:
    """`count` identified persons of one gender with the same forms of exploitation."""

    gender: str
    forms: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class YearFigures:
    year: int
    identified: int
    not_identified: int
    women: int
    men: int
    trans: int
    minors: int  # under 18 on the day of the decision
    minor_ages: tuple[int, int]  # youngest and oldest age of those minors
    forms: Mapping[str, int]  # persons per form
    labour_or_criminal: int  # persons with forced labour or criminal activities (or both)
    women_in_sexual: int  # women with the form sexual exploitation
    labour_sectors: Mapping[str, int]  # ISIC section -> persons in forced labour
    nationalities: int  # distinct citizenships among the identified
    top_nationalities: tuple[str, ...]  # the five most frequent, most frequent first
    prepared_returns: int  # prepared returns departed in this calendar year
    composition: tuple[Group, ...]
    invented: frozenset[str] = field(default_factory=frozenset)
    note: str = ""

    @property
    def screened(self) -> int:
        return self.identified + self.not_identified


def _groups(*rows: tuple[str, Sequence[str], int]) -> tuple[Group, ...]:
    return tuple(Group(gender, tuple(forms), count) for gender, forms, count in rows)


FIGURES: dict[int, YearFigures] = {
    2019: YearFigures(
        year=2019,
        identified=64,
        not_identified=76,
        women=41,
        men=22,
        trans=1,
        minors=6,
        minor_ages=(14, 17),
        forms={SEX: 38, FL: 17, CRIM: 5, ND: 4},
        labour_or_criminal=22,
        women_in_sexual=36,
        labour_sectors={
            LabourSector.F: 5,
            LabourSector.A: 4,
            LabourSector.I: 3,
            LabourSector.N: 3,
            LabourSector.T: 2,
        },
        nationalities=23,
        top_nationalities=("NG", "RO", "TH", "HU", "VN"),
        prepared_returns=19,
        composition=_groups(
            (W, [SEX], 36),
            (M, [SEX], 1),
            (T, [SEX], 1),
            (W, [FL], 3),
            (M, [FL], 14),
            (W, [CRIM], 1),
            (M, [CRIM], 4),
            (W, [ND], 1),
            (M, [ND], 3),
        ),
        invented=frozenset(
            {
                "not_identified",
                "women_in_sexual",
                "labour_sectors",
                "nationalities",
                "top_nationalities",
                "prepared_returns",
                "minor_ages",
            }
        ),
    ),
    2020: YearFigures(
        year=2020,
        identified=77,
        not_identified=88,
        women=54,
        men=22,
        trans=1,
        minors=4,
        minor_ages=(14, 17),
        forms={SEX: 45, FL: 12, CRIM: 8, SLAV: 3, OTHER: 2, ND: 9},
        labour_or_criminal=18,
        women_in_sexual=42,
        labour_sectors={
            LabourSector.A: 3,
            LabourSector.F: 3,
            LabourSector.I: 2,
            LabourSector.N: 2,
            LabourSector.T: 2,
        },
        nationalities=24,
        top_nationalities=("NG", "TH", "RO", "VN", "UG"),
        prepared_returns=22,
        composition=_groups(
            (W, [SEX], 42),
            (M, [SEX], 2),
            (T, [SEX], 1),
            (W, [FL], 2),
            (M, [FL], 8),
            (M, [FL, CRIM], 2),
            (W, [CRIM], 2),
            (M, [CRIM], 4),
            (W, [SLAV], 1),
            (M, [SLAV], 2),
            (W, [OTHER], 2),
            (W, [ND], 5),
            (M, [ND], 4),
        ),
        invented=frozenset(
            {
                "not_identified",
                "women",
                "men",
                "trans",
                "minors",
                "minor_ages",
                "forms.forced_labour",
                "forms.criminal",
                "forms.other",
                "forms.not_determined",
                "women_in_sexual",
                "labour_sectors",
                "nationalities",
                "top_nationalities",
                "prepared_returns",
            }
        ),
        note="First slavery-like cases (3). 18 persons in forced labour or criminal activities.",
    ),
    2021: YearFigures(
        year=2021,
        identified=80,
        not_identified=113,
        women=40,
        men=39,
        trans=1,
        minors=5,
        minor_ages=(15, 17),
        forms={SEX: 38, FL: 19, CRIM: 18, SLAV: 3, ND: 3},
        labour_or_criminal=37,
        women_in_sexual=36,
        labour_sectors={
            LabourSector.F: 6,
            LabourSector.A: 5,
            LabourSector.I: 3,
            LabourSector.N: 3,
            LabourSector.C: 2,
        },
        nationalities=26,
        top_nationalities=("NG", "TH", "MA", "RO", "VN"),
        prepared_returns=38,
        composition=_groups(
            (W, [SEX], 35),
            (M, [SEX], 1),
            (T, [SEX], 1),
            (W, [SEX, CRIM], 1),
            (W, [FL], 1),
            (M, [FL], 18),
            (W, [CRIM], 2),
            (M, [CRIM], 15),
            (W, [SLAV], 1),
            (M, [SLAV], 2),
            (M, [ND], 3),
        ),
        invented=frozenset(
            {
                "women",
                "men",
                "trans",
                "minors",
                "minor_ages",
                "forms.sexual",
                "forms.not_determined",
                "women_in_sexual",
                "labour_sectors",
            }
        ),
        note=(
            "Published: 193 screened, 80 identified (on level with 2020), about as many men as "
            "women, 37 in forced labour or criminal activities (18 in 2020), sexual exploitation "
            "fell, 3 slavery-like, 38 prepared returns (the most so far), 26 nationalities."
        ),
    ),
    2022: YearFigures(
        year=2022,
        identified=73,
        not_identified=97,
        women=48,
        men=24,
        trans=1,
        minors=6,
        minor_ages=(15, 17),
        forms={SEX: 39, FL: 14, CRIM: 11, SLAV: 2, OTHER: 2, ND: 6},
        labour_or_criminal=24,
        women_in_sexual=36,
        labour_sectors={
            LabourSector.F: 5,
            LabourSector.A: 3,
            LabourSector.I: 2,
            LabourSector.N: 2,
            LabourSector.T: 2,
        },
        nationalities=28,
        top_nationalities=("RO", "NG", "TH", "VN", "UA"),
        prepared_returns=31,
        composition=_groups(
            (W, [SEX], 36),
            (M, [SEX], 2),
            (T, [SEX], 1),
            (W, [FL], 2),
            (M, [FL], 11),
            (M, [FL, CRIM], 1),
            (W, [CRIM], 4),
            (M, [CRIM], 6),
            (W, [SLAV], 1),
            (M, [SLAV], 1),
            (W, [OTHER], 2),
            (W, [ND], 3),
            (M, [ND], 3),
        ),
        invented=frozenset(
            {
                "not_identified",
                "trans",
                "forms.sexual",
                "forms.forced_labour",
                "forms.criminal",
                "forms.slavery_like",
                "forms.other",
                "forms.not_determined",
                "labour_sectors",
                "top_nationalities",
                "prepared_returns",
            }
        ),
        note=(
            "Published: 48 women, 24 men, 36 women in sexual exploitation, forced labour and "
            "criminal activities about a third (24 here), 28 nationalities, 6 minors aged 15-17. "
            "Trans = 73 - 48 - 24."
        ),
    ),
    2023: YearFigures(
        year=2023,
        identified=112,
        not_identified=118,
        women=71,
        men=40,
        trans=1,
        minors=7,
        minor_ages=(14, 17),
        forms={SEX: 58, FL: 23, CRIM: 16, SLAV: 4, OTHER: 3, ND: 9},
        labour_or_criminal=38,
        women_in_sexual=55,
        labour_sectors={
            LabourSector.F: 12,
            LabourSector.A: 4,
            LabourSector.I: 3,
            LabourSector.N: 2,
            LabourSector.T: 2,
        },
        nationalities=30,
        top_nationalities=("RO", "NG", "VN", "TH", "BG"),
        prepared_returns=36,
        composition=_groups(
            (W, [SEX], 55),
            (M, [SEX], 2),
            (T, [SEX], 1),
            (W, [FL], 4),
            (M, [FL], 18),
            (M, [FL, CRIM], 1),
            (W, [CRIM], 5),
            (M, [CRIM], 10),
            (W, [SLAV], 2),
            (M, [SLAV], 2),
            (W, [OTHER], 1),
            (M, [OTHER], 2),
            (W, [ND], 4),
            (M, [ND], 5),
        ),
        invented=frozenset(
            {
                "not_identified",
                "women",
                "men",
                "trans",
                "minors",
                "minor_ages",
                "forms.criminal",
                "forms.slavery_like",
                "forms.other",
                "forms.not_determined",
                "labour_or_criminal",
                "women_in_sexual",
                "labour_sectors.A",
                "labour_sectors.I",
                "labour_sectors.N",
                "labour_sectors.T",
                "nationalities",
                "top_nationalities",
                "prepared_returns",
            }
        ),
        note="Published: 112 identified, 58 sexual exploitation, 23 forced labour (12 construction).",
    ),
    2024: YearFigures(
        year=2024,
        identified=104,
        not_identified=111,
        women=62,
        men=41,
        trans=1,
        minors=6,
        minor_ages=(14, 17),
        forms={SEX: 52, FL: 24, CRIM: 14, SLAV: 3, OTHER: 4, ND: 9},
        labour_or_criminal=36,
        women_in_sexual=48,
        labour_sectors={
            LabourSector.F: 10,
            LabourSector.A: 5,
            LabourSector.I: 4,
            LabourSector.N: 3,
            LabourSector.T: 2,
        },
        nationalities=29,
        top_nationalities=("RO", "NG", "TH", "VN", "UA"),
        prepared_returns=34,
        composition=_groups(
            (W, [SEX], 48),
            (M, [SEX], 3),
            (T, [SEX], 1),
            (W, [FL], 3),
            (M, [FL], 19),
            (M, [FL, CRIM], 2),
            (W, [CRIM], 4),
            (M, [CRIM], 8),
            (W, [SLAV], 1),
            (M, [SLAV], 2),
            (W, [OTHER], 2),
            (M, [OTHER], 2),
            (W, [ND], 4),
            (M, [ND], 5),
        ),
        invented=frozenset({"*"}),
        note="Invented whole: the demo's last year, a plausible continuation of 2023.",
    ),
}

# Cases referred near the end of the history and not yet decided (invented).
PENDING_AT_END = 18
# Persons identified twice, in two different years (invented). Their second
# case is a new passage of the same person, so the number of persons is the
# number of cases minus this.
RETRAFFICKED = 8


# --- the demo's today ---------------------------------------------------------------


def history_end() -> date:
    """The demo's "today": everything done is done by this day; what lies after it
    (planned interviews, running reflection periods) is the caseworkers' live work.

    The day set by :func:`today_is` while a demo is made, else the real today.
    """
    if _today is not None:
        return _today
    from django.utils import timezone

    return timezone.localdate()


@contextmanager
def today_is(day: date) -> Iterator[date]:
    """Make the demo as if `day` were today (brik demo --today, the tests)."""
    global _today
    if day <= CALIBRATED_END:
        raise ValueError(
            _("The demo's today must lie after %(day)s, the end of its calibrated years.")
            % {"day": CALIBRATED_END.isoformat()}
        )
    before, _today = _today, day
    try:
        yield day
    finally:
        _today = before


def demo_years(today: date | None = None) -> tuple[int, ...]:
    """Every decision year of the demo: the calibrated ones, then synthetic ones up to today's."""
    last = (today or history_end()).year
    return tuple(range(YEARS[0], max(last, YEARS[-1]) + 1))


def synthetic_figures(year: int, today: date | None = None) -> YearFigures:
    """A plausible year after the calibrated ones: the last calibrated year grown by
    SYNTHETIC_GROWTH a year, and for the current year only the part of it up to today."""
    today = today or history_end()
    last = FIGURES[YEARS[-1]]
    screened = last.screened * SYNTHETIC_GROWTH ** (year - last.year)
    if year == today.year:  # decisions from the first working days of January to yesterday
        screened *= max(0, (today - date(year, 1, 7)).days) / 365
    scaled = _scale_year(last, round(screened))
    return replace(
        scaled,
        year=year,
        invented=frozenset({"*"}),
        note="Synthetic: a year after the calibrated ones, so that the demo reaches today.",
    )


def all_figures(today: date | None = None) -> dict[int, YearFigures]:
    """The calibrated years' figures as published, then the synthetic years up to today."""
    today = today or history_end()
    figures = dict(FIGURES)
    for year in demo_years(today):
        if year not in figures:
            synthetic = synthetic_figures(year, today)
            if synthetic.screened:  # none in the first days of January
                figures[year] = synthetic
    return figures


def calibrated_persons(today: date | None = None) -> int:
    """The number of persons in the calibrated demo (the default of --persons): the
    calibrated years, the synthetic years up to today, and the cases still pending."""
    figures = all_figures(today)
    return sum(f.screened for f in figures.values()) + PENDING_AT_END - RETRAFFICKED


# --- scaling -----------------------------------------------------------------------


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder; ties to the first).

    The parts always add up to `total`, and equal the weights when they already do.
    """
    if total < 0:
        raise ValueError("total must not be negative")
    weight_sum = sum(weights)
    if weight_sum <= 0:
        return [0] * len(weights)
    quotas = [total * w / weight_sum for w in weights]
    parts = [int(q) for q in quotas]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _apportion_mapping(total: int, mapping: Mapping[str, int]) -> dict[str, int]:
    keys = list(mapping)
    return dict(zip(keys, apportion(total, [mapping[k] for k in keys]), strict=True))


def derived(composition: Iterable[Group]) -> dict:
    """The marginals that a composition yields: what the tests compare with the table."""
    groups = list(composition)
    forms: dict[str, int] = {}
    for group in groups:
        for form in group.forms:
            forms[form] = forms.get(form, 0) + group.count
    by_gender = {W: 0, M: 0, T: 0}
    for group in groups:
        by_gender[group.gender] += group.count
    return {
        "identified": sum(g.count for g in groups),
        "women": by_gender[W],
        "men": by_gender[M],
        "trans": by_gender[T],
        "forms": forms,
        "labour_or_criminal": sum(g.count for g in groups if {FL, CRIM} & set(g.forms)),
        "women_in_sexual": sum(g.count for g in groups if g.gender == W and SEX in g.forms),
    }


def _scale_year(figures: YearFigures, screened: int) -> YearFigures:
    identified, not_identified = apportion(screened, [figures.identified, figures.not_identified])
    counts = apportion(identified, [g.count for g in figures.composition])
    composition = tuple(
        replace(g, count=n) for g, n in zip(figures.composition, counts, strict=True) if n
    )
    marginals = derived(composition)
    factor = identified / figures.identified if figures.identified else 0
    minors = min(identified, round(figures.minors * factor))
    return replace(
        figures,
        identified=identified,
        not_identified=not_identified,
        women=marginals["women"],
        men=marginals["men"],
        trans=marginals["trans"],
        minors=minors,
        forms={k: marginals["forms"].get(k, 0) for k in figures.forms},
        labour_or_criminal=marginals["labour_or_criminal"],
        women_in_sexual=marginals["women_in_sexual"],
        labour_sectors=_apportion_mapping(marginals["forms"].get(FL, 0), figures.labour_sectors),
        # More persons do not bring more countries: the number of distinct
        # citizenships stays as published (fewer only if there are fewer persons).
        nationalities=min(figures.nationalities, identified),
        prepared_returns=round(figures.prepared_returns * factor),
        composition=composition,
    )


@dataclass(frozen=True)
class Plan:
    """What one run generates: the (scaled) figures per year and the extra cases."""

    persons: int
    figures: dict[int, YearFigures]
    pending: int
    retrafficked: int
    today: date

    @property
    def factor(self) -> float:
        return self.persons / calibrated_persons(self.today)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.figures))


def scaled_figures(persons: int | None = None, today: date | None = None) -> Plan:
    """The figures for a demo of `persons` persons; None means the calibrated size.

    Every year's screened count, and within it every group, is scaled in
    proportion and rounded so that all totals still add up.
    """
    today = today or history_end()
    base = all_figures(today)
    years = sorted(base)
    default = calibrated_persons(today)
    if persons is None or persons == default:
        return Plan(default, base, PENDING_AT_END, RETRAFFICKED, today)
    if persons < 100:
        raise ValueError("A demo needs at least 100 persons.")
    factor = persons / default
    retrafficked = round(RETRAFFICKED * factor)
    pending = max(1, round(PENDING_AT_END * factor))
    screened_total = persons - pending + retrafficked
    screened = apportion(screened_total, [base[y].screened for y in years])
    figures = {year: _scale_year(base[year], n) for year, n in zip(years, screened, strict=True)}
    return Plan(persons, figures, pending, retrafficked, today)
