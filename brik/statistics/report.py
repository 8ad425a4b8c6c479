"""The annual report: every table of the year, protected or exact, with words and charts.

`report_build` runs the selectors (a fixed number of queries, whatever the
data), applies disclosure control unless the report is internal, writes the
summary from the protected tables, and draws the charts. Renderers
(brik.statistics.exports) and the pages read the Report it returns.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from brik.statistics import charts, disclosure, frozen, selectors, worldmap
from brik.statistics.selectors import stored
from brik.statistics.selectors.counting import UNKNOWN
from brik.statistics.selectors.kept import one_build
from brik.statistics.summary import build_summary
from brik.statistics.tables import PRIMARY, SECONDARY, KeyFigure, Report, Row, Section, Table


def _section(slug: str, title: str, intro: str, tables: list[Table]) -> Section:
    return Section(slug=slug, title=title, intro=intro, tables=tables)


@one_build()
def _collect(
    year: int, threshold: int, published_countries: dict[str, set[str]]
) -> tuple[list[Section], list[Table], dict, dict, int | None]:
    """The tables of the report. `published_countries`: the countries listed for the
    years shown in earlier publications, which the countries of exploitation list too.
    Tables read from the same query share its rows (one_build)."""
    years = [year - 1, year]
    totals = selectors.decision_totals(years=years)
    identified_series = selectors.identified_series_until(year=year)
    returns_series = selectors.returns_series_until(year=year)
    returns_pair = {y: returns_series.get(y, 0) for y in years}
    prosecutions = selectors.prosecutions(years=years)

    sections = [
        _section(
            "identified",
            _("Identified victims"),
            _(
                "Persons screened and identified as victims of trafficking, by the year of "
                "the decision, and who referred and assessed them."
            ),
            [
                selectors.series_table(
                    slug="identified_series",
                    title=_("Identified victims per year"),
                    measure="identified",
                    series=identified_series,
                    label=_("Identified as victims of trafficking"),
                    note=selectors.counting_rule(),
                ),
                screening := selectors.screening(years=years, totals=totals),
                selectors.decision_rate(screening),
                selectors.days_to_decision(years=years, threshold=threshold),
                selectors.identified_by_authority(years=years, totals=totals),
                selectors.referrals_by_referrer_type(years=years),
                selectors.referrals_by_region(years=years),
                decided := selectors.decided_by_referrer_type(years=years, totals=totals),
                referrer := selectors.identified_by_referrer_type(years=years, totals=totals),
                selectors.identification_rate_by_referrer(decided, referrer),
            ],
        ),
        _section(
            "gender_age",
            _("Gender and age"),
            _("Identified victims by gender and by age at the decision."),
            [
                selectors.identified_by_gender(years=years),
                selectors.identified_by_majority(years=years),
                selectors.identified_by_age_band(years=years),
                selectors.identified_by_age_group(years=years),
                selectors.identified_age_summary(years=years, threshold=threshold),
            ],
        ),
        _section(
            "citizenship",
            _("Citizenship"),
            _("Identified victims by citizenship, and by Eurostat's citizenship groups."),
            [
                citizenship := selectors.identified_by_citizenship(
                    years=years, totals=totals, also=published_countries["citizenship"]
                ),
                selectors.identified_by_citizenship_group(years=years),
                selectors.identified_by_citizenship_and_gender(
                    year=year, countries=[(r.key, r.label) for r in citizenship.rows]
                ),
            ],
        ),
        _section(
            "forms",
            _("Forms of exploitation"),
            _(
                "What the identified victims were trafficked for, in which sectors, by which "
                "means of control, and where."
            ),
            [
                selectors.identified_by_form(years=years, totals=totals),
                selectors.identified_by_form_and_gender(year=year),
                selectors.identified_by_eurostat_form(years=years, totals=totals),
                selectors.identified_by_sector(years=years, totals=totals),
                selectors.identified_by_sexual_exploitation_type(years=years),
                selectors.identified_by_means_of_control(years=years, totals=totals),
                selectors.identified_by_country_of_exploitation(
                    years=years,
                    countries={r.key for r in citizenship.rows}
                    | published_countries["exploitation"],
                    totals=totals,
                ),
            ],
        ),
        _section(
            "support",
            _("Support and reflection periods"),
            _("Reflection and restitution periods, their extensions, and the support given."),
            [
                selectors.reflection_periods(years=years),
                selectors.reflection_extensions(years=years),
                selectors.support_by_type(years=years),
            ],
        ),
        _section(
            "returns",
            _("Prepared return and reintegration"),
            _("Persons helped home by a prepared return, where they went, and how they fare."),
            [
                selectors.series_table(
                    slug="returns_series",
                    title=_("Prepared returns per year"),
                    measure="returned",
                    series=returns_series,
                    label=_("Persons helped home"),
                    note=selectors.returns_note(),
                ),
                uptake := selectors.return_uptake(years=years),
                selectors.acceptance_share(uptake),
                selectors.returns_by_destination(
                    years=years, series=returns_pair, also=published_countries["destination"]
                ),
                selectors.follow_up_outcomes(years=years, series=returns_pair),
            ],
        ),
        _section(
            "afterwards",
            _("What happened afterwards"),
            _("The basis of stay of those who stay, and why cases were closed."),
            [
                selectors.stay_basis(years=years),
                selectors.closing_reasons(years=years),
            ],
        ),
        _section(
            "cooperation",
            _("Cooperation and prosecution"),
            _("Joint authority actions, outreach, and the prosecution of traffickers."),
            [
                selectors.joint_actions(years=years),
                selectors.outreach_contacts(years=years),
                prosecutions,
            ],
        ),
        _section(
            "action_plan",
            _("The action plan's progress"),
            _("The initiatives of the national action plan in force in the year."),
            [selectors.action_plan_progress(year=year)],
        ),
    ]
    victims = selectors.eurostat_victims(year=year)
    population = selectors.population_of(year=year)
    eurostat = [
        *victims,
        # Exact rates here; a public report works them out again from the protected
        # tables (_published_rates).
        selectors.eurostat_rates(victims, year=year, population=population),
        _traffickers(prosecutions),
    ]
    return sections, eurostat, identified_series, returns_series, population


def _traffickers(prosecutions: Table) -> Table:
    table = prosecutions.copy()
    table.slug = "eurostat_traffickers"
    table.title = _("Suspected, prosecuted and convicted traffickers (Eurostat)")
    table.rows = [r for r in table.rows if r.key != "cases"]
    return table


def _chart(table: Table, threshold: int):
    if table.slug == worldmap.TABLE:
        return worldmap.world_map(table, threshold=threshold)
    if table.slug.endswith("_series"):
        return charts.series_chart(table, threshold=threshold)
    if table.col_total:
        return charts.columns_chart(table, threshold=threshold)
    return charts.comparison_chart(table, threshold=threshold)


# The tables drawn as charts, each after its section's tables.
CHARTED = {
    "identified_series",
    "gender",
    "children",
    "citizenship",
    # The world map (brik.statistics.worldmap), drawn from this table's total column.
    "citizenship_gender",
    "forms",
    "eurostat_forms",
    "sexual_type",
    "means_of_control",
    "exploitation_countries",
    "referrals_region",
    "closing_reasons",
    "reflection",
    "returns_series",
    "returns",
    "joint_actions",
    "prosecutions",
    "action_plan",
}


def _disclosure_note(*, internal: bool, threshold: int) -> str:
    if internal:
        return _(
            "Internal version with exact figures: for the centre's staff only, not for publication."
        )
    return " ".join(
        [
            _(
                "Disclosure control: counts from 1 to %(below)s are shown as “<%(threshold)s”. "
                "A few other figures are shown as “x” so that no hidden figure can be worked "
                "out from totals, in the same table or in another. Zero is shown as 0; a total "
                "is shown unless it is itself below %(threshold)s."
            )
            % {"below": threshold - 1, "threshold": threshold},
            _(
                "A median, quartile or range (the youngest and the oldest) of a group of fewer "
                "than %(threshold)s persons is not shown: it would describe the persons in it."
            )
            % {"threshold": threshold},
        ]
    )


def _published_shares(tables: list[Table]) -> list[Table]:
    """Shares worked out again from the protected tables: only from figures shown."""
    by_slug = {t.slug: t for t in tables}
    shares = {
        "return_acceptance": selectors.acceptance_share(by_slug["return_uptake"]),
        "decision_rate": selectors.decision_rate(by_slug["screening"]),
        "referrer_rate": selectors.identification_rate_by_referrer(
            by_slug["decided_referrer"], by_slug["referrer"]
        ),
    }
    for share in shares.values():
        share.protected = True
    return [shares.get(t.slug, t) for t in tables]


def _published_rates(tables: list[Table], *, year: int, population: int | None) -> list[Table]:
    """The rates per 100,000 worked out again from the protected counts: a hidden count
    gives a rate "not shown"."""
    out = []
    for table in tables:
        if table.slug == "eurostat_rates":
            table = selectors.eurostat_rates(tables, year=year, population=population)
            table.protected = True
        out.append(table)
    return out


# Tables of figures that are not counts (medians, shares): frozen by report.py.
FROZEN_STATISTICS = {
    "age_summary",
    "days_to_decision",
    "return_acceptance",
    "decision_rate",
    "eurostat_rates",
    "referrer_rate",
}


def _freeze_statistics(tables: list[Table], frozen_cells: dict) -> None:
    """Medians and shares of a published year as published (with "not shown" where they were).

    Disclosure control freezes counts only (frozen.apply_frozen); these rows count
    no persons, so they are put back here, after they were worked out again.
    """
    for table in tables:
        if table.slug not in FROZEN_STATISTICS:
            continue
        for row in table.all_rows():
            for i, column in enumerate(table.columns):
                cell = frozen_cells.get(table.cell_key(row, column))
                if cell is None:
                    continue
                if not row.marks:
                    row.marks = [""] * len(table.columns)
                row.values[i] = cell.exact
                row.marks[i] = cell.mark


def tables_of(sections: list[Section]) -> list[Table]:
    return [t for s in sections for t in s.tables]


def _not_shown_marks(tables: list[Table]) -> dict[tuple[str, str], list[str]]:
    """The marks of rows that count no persons (medians...), set by their selectors."""
    return {
        (t.slug, r.key): list(r.marks)
        for t in tables
        for r in t.all_rows()
        if not r.protect and r.marks
    }


def _restore_not_shown(tables: list[Table], marks: dict[tuple[str, str], list[str]]) -> None:
    """Disclosure control marks counts only; a median of a small group stays "not shown"."""
    for table in tables:
        for row in table.all_rows():
            if (table.slug, row.key) in marks:
                row.marks = marks[(table.slug, row.key)]


# Rows that merge the categories not listed one by one: last but "unknown", in their order.
MERGED_ROWS = (selectors.OTHER_EU, selectors.OTHER_NON_EU)

# Tables whose rows are ordered by their figures (the others follow a fixed list).
ORDERED_BY_FIGURES = {"citizenship", "returns"}


def _published_rank(row: Row, index: int, threshold: int) -> float:
    """A row's figure as the public sees it: the count, "<5" between 0 and 5, "x" last."""
    mark = row.mark(index)
    if mark == PRIMARY:
        return threshold - 0.5
    if mark:
        return -1
    return row.values[index]


def order_rows(table: Table, threshold: int) -> None:
    """Rows by their published figures, last year first, ties by the category's code.

    Only what is published decides the order, and the code (not the
    translated label) breaks ties, so both languages list the rows alike and
    the order says nothing about a hidden figure. The merged rows ("other EU
    countries", "other countries") and "unknown" stay last.
    """
    table.rows.sort(
        key=lambda r: (
            r.key == UNKNOWN,
            MERGED_ROWS.index(r.key) + 1 if r.key in MERGED_ROWS else 0,
            [-_published_rank(r, i, threshold) for i in reversed(range(len(table.columns)))],
            r.key,
        )
    )


# Tables whose rows are another table's (by slug): the same rows, in the same order.
ROWS_OF = {"citizenship_gender": "citizenship"}


def _follow_rows(tables: list[Table]) -> None:
    """Give each table of ROWS_OF its leader's rows: those it lacks (a country listed
    only from an earlier publication) with zeros, and all in the leader's order, so
    that a row's presence or place says no more than the leader's does."""
    by_slug = {t.slug: t for t in tables}
    for slug, leader_slug in ROWS_OF.items():
        table, leader = by_slug.get(slug), by_slug.get(leader_slug)
        if table is None or leader is None:
            continue
        own = {r.key: r for r in table.rows}
        width = len(table.columns)
        table.rows = [
            own.get(r.key) or Row(key=r.key, label=r.label, values=[0] * width) for r in leader.rows
        ]


# The tables that list countries, by (measure, row dimension), under the names
# `_published_countries` gives them.
COUNTRY_ROWS = {
    ("identified", "country"): "citizenship",
    ("identified", "exploitation_country"): "exploitation",
    ("returned", "country"): "destination",
}


def _published_countries(frozen_cells: dict, *, years: list[int]) -> dict[str, set[str]]:
    """The countries an earlier publication listed for these years: as a citizenship,
    a country of exploitation or a destination of a prepared return. The tables list
    them again, so that a published year's rows (and its "other" rows) stay as they
    were published, also when the list of citizenships has changed since."""
    found: dict[str, set[str]] = {name: set() for name in COUNTRY_ROWS.values()}
    merged = {UNKNOWN, selectors.OTHER_COUNTRIES, selectors.OTHER_EU, selectors.OTHER_NON_EU}
    for measure, coords in frozen_cells:
        dims = dict(coords)
        for (kind, dim), name in COUNTRY_ROWS.items():
            if (
                measure == kind
                and dims.keys() == {dim, "year"}
                and dims["year"] in years
                and dims[dim] not in merged
            ):
                found[name].add(dims[dim])
    return found


def _published_series(table: Table) -> dict[int, int]:
    """A series table's figures that are shown (a hidden year is left out)."""
    row = table.total
    assert row is not None
    return {column.key: row.values[i] for i, column in enumerate(table.columns) if not row.mark(i)}


def _nationalities(table: Table, index: int, exact: int) -> tuple[int, str]:
    """The number of citizenships in a column, unless it would tell about a hidden row.

    The citizenship table lists the same countries every year and merges the others
    into two rows, so the number adds only how many other countries there were. A
    row hidden by secondary suppression may be none, so the number is then hidden
    too (mark "x"): it would tell whether that row is 0.
    """
    rows = [r for r in table.rows if r.key != UNKNOWN]
    if any(r.mark(index) == SECONDARY for r in rows):
        return 0, SECONDARY
    return exact, ""


def _nationalities_before(table: Table, *, year: int, exact: int) -> tuple[int | None, str]:
    """The number of nationalities the year before: as published, when that year is.

    It is the one key figure not read from a table's cell, so it is frozen in the
    year's release document; a release without it (stored before it was) leaves the
    year before unknown rather than showing a figure that may differ from the
    published one.
    """
    published = selectors.published_key_figures(year=year - 1)
    if published is None:
        return _nationalities(table, -2, exact)
    if "nationalities" not in published:
        return None, ""
    value, mark = published["nationalities"]
    return (0 if value is None else value), mark


def _revision_note(revised: dict, *, year: int) -> list[str]:
    """A dated note for each earlier publication whose figures the records now differ from."""
    notes = []
    for published_year in sorted({c.year for c in revised.values()}):
        cells = [c for c in revised.values() if c.year == published_year]
        notes.append(
            _(
                "The figures for %(year)s are shown as published on %(date)s. %(count)s of "
                "them differ from the records as they are now, after corrections; a revised "
                "release will say so."
            )
            % {
                "year": published_year,
                "date": cells[0].published_on.isoformat(),
                "count": len(cells),
            }
        )
    return notes


def report_tables(*, year: int, language: str, frozen_cells: dict | None = None) -> list[Table]:
    """The public report's tables as counted (its selectors), before disclosure control:
    the steps of report_build that read the database (scripts/benchmark.py times them)."""
    with translation.override(language):
        cells = frozen.frozen_cells() if frozen_cells is None else frozen_cells
        sections, eurostat, *_rest = _collect(
            year, disclosure.threshold(), _published_countries(cells, years=[year - 1, year])
        )
        return [t for s in sections for t in s.tables] + eurostat


def protected_tables(
    tables: list[Table], frozen_cells: dict, *, threshold: int, audited: bool = True
) -> tuple[list[Table], dict]:
    """Disclosure control of the public report's tables around the published years'
    frozen cells: the protected tables, and the frozen cells the records now differ from."""
    _follow_rows(tables)
    pinned, revised = frozen.apply_frozen(tables, frozen_cells)
    shown = disclosure.protect(tables, t=threshold, pinned=pinned, audited=audited)
    return shown, revised


# Every kept count of a build brought up to one last change, read once (also for the
# figures read after the tables: brik.statistics.selectors.stored).
@stored.one_build()
def report_build(
    *,
    year: int,
    language: str,
    internal: bool = False,
    revise: bool = False,
    audited: bool = True,
) -> Report:
    """The report of a year; public unless `internal`.

    A public report shows, for every year already published, the cells as they
    were published (brik.statistics.frozen), and protects the rest around them.
    With `revise`, the year itself is counted afresh even if it was published
    (to publish it again); earlier years stay frozen.
    """
    threshold = disclosure.threshold()
    with translation.override(language):
        frozen_cells = {} if internal else frozen.frozen_cells(except_year=year if revise else None)
        sections, eurostat, identified_series, returns_series, population = _collect(
            year, threshold, _published_countries(frozen_cells, years=[year - 1, year])
        )
        not_shown = _not_shown_marks(tables_of(sections))
        tables = [t for s in sections for t in s.tables] + eurostat
        revision_notes: list[str] = []
        data_as_of = timezone.localdate()
        if internal:
            shown = disclosure.exact(tables)
            for table in shown:
                for row in table.all_rows():
                    if not row.protect:
                        row.marks = []
        else:
            shown, revised = protected_tables(
                tables, frozen_cells, threshold=threshold, audited=audited
            )
            own = [c for c in frozen_cells.values() if c.year == year]
            if own:
                data_as_of = own[0].data_as_of
            revision_notes = _revision_note(
                {k: c for k, c in revised.items() if c.year != year}, year=year
            )
            _restore_not_shown(shown, not_shown)
            shown = _published_shares(shown)
            shown = _published_rates(shown, year=year, population=population)
            _freeze_statistics(shown, frozen_cells)
            for table in shown:
                if table.slug in ORDERED_BY_FIGURES:
                    order_rows(table, threshold)
            _follow_rows(shown)
            identified_series = _published_series(
                next(t for t in shown if t.slug == "identified_series")
            )
            returns_series = _published_series(next(t for t in shown if t.slug == "returns_series"))
        by_slug = {t.slug: t for t in shown}
        for section in sections:
            section.tables = [by_slug[t.slug] for t in section.tables]
            section.charts = [
                (t.slug, _chart(t, threshold)) for t in section.tables if t.slug in CHARTED
            ]
        eurostat = [by_slug[t.slug] for t in eurostat]

        citizenship = by_slug["citizenship"]
        labour = by_slug["eurostat_forms"].row("labour_or_criminal")

        def marks(table: Table) -> dict:
            # A key figure is a cell of a table: it is hidden where the cell is.
            return {
                "mark": table.total_mark(year),
                "previous_mark": table.total_mark(year - 1),
                "threshold": threshold,
            }

        counts = selectors.nationality_counts(years=[year - 1, year])
        if internal:
            nationalities: tuple = (counts[year], counts[year - 1])
        else:
            now, now_mark = _nationalities(citizenship, -1, counts[year])
            before, before_mark = _nationalities_before(
                citizenship, year=year, exact=counts[year - 1]
            )
            nationalities = (now, before, now_mark, before_mark, threshold)
        key_figures = [
            KeyFigure(
                "identified",
                _("Identified as victims"),
                identified_series.get(year, 0),
                identified_series.get(year - 1),
                **marks(by_slug["identified_series"]),
            ),
            KeyFigure(
                "screened",
                _("Persons screened"),
                by_slug["screening"].total.values[-1],
                by_slug["screening"].total.values[-2],
                **marks(by_slug["screening"]),
            ),
            KeyFigure(
                "nationalities",
                _("Nationalities"),
                *nationalities,
            ),
            KeyFigure(
                "returned",
                _("Helped home by prepared return"),
                returns_series.get(year, 0),
                returns_series.get(year - 1),
                **marks(by_slug["returns_series"]),
            ),
        ]
        if not labour.mark(-1) and not labour.mark(-2):
            key_figures.insert(
                2,
                KeyFigure(
                    "labour_or_criminal",
                    _("Forced labour or criminal activities"),
                    labour.values[-1],
                    labour.values[-2],
                ),
            )
        # The centre's totals from before Brik make a series that begins when
        # the centre's did; Brik's own (published, shown) figures take precedence.
        history = selectors.historical_series()
        foreword = selectors.foreword_of(year=year)
        summary = build_summary(
            year=year,
            tables=by_slug,
            identified_series={**history.get("identified", {}), **identified_series},
            returns_series={**history.get("returned", {}), **returns_series},
            series_began={measure: min(years) for measure, years in history.items()},
        )
        return Report(
            year=year,
            language=language,
            internal=internal,
            title=_("Annual report %(year)s") % {"year": year},
            key_figures=key_figures,
            summary=summary,
            sections=sections,
            eurostat=eurostat,
            counting_note=_(
                "Counting rule: a person is counted in the year of the decision that they were "
                "identified as a victim of trafficking. A person identified in two different "
                "years counts in each year. A person with several forms of exploitation (or "
                "citizenships) counts once in the total and once under each. Prepared returns "
                "are counted in the year of departure."
            ),
            disclosure_note=_disclosure_note(internal=internal, threshold=threshold),
            threshold=threshold,
            data_as_of=data_as_of,
            revision_notes=revision_notes,
            foreword=foreword.text(language) if foreword else "",
        )
