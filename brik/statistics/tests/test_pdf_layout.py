"""Issue 10's layout defects: sheet names readable, table headers repeated, charts not shrunk."""

from django.template.loader import render_to_string

from brik.statistics import exports
from brik.statistics.selectors.specs import years_table
from brik.statistics.tables import Row


def test_sheet_names_keep_the_words_that_tell_the_tables_apart():
    titles = [
        "Identified victims by gender",
        "Identified victims by form of exploitation",
        "Identified victims by form of exploitation (Eurostat's groups)",
        "Identified victims by citizenship",
        "Persons screened and identified",
    ]
    used: set[str] = set()
    names = [exports._sheet_name(n, used) for n in exports._short_titles(titles)]
    assert names[0] == "Identified victims by gender"
    assert names[1] == "Form of exploitation"
    assert names[3] == "Citizenship"
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    # Never cut inside a word: every word of a name is a whole word of a title.
    title_words = {w.lower() for t in titles for w in t.split()}
    for name in names:
        assert {w.lower() for w in name.split() if not w.isdigit()} <= title_words


def test_a_repeated_name_stays_within_excels_limit():
    used: set[str] = set()
    title = "Registered victims by sex and citizenship group"
    names = [exports._sheet_name(title, used) for _ in range(3)]
    assert len(set(names)) == 3
    assert all(len(n) <= 31 for n in names)
    assert names[1].endswith(" 2")
    assert names[2].endswith(" 3")


def test_the_print_css_repeats_table_headers_and_keeps_charts_at_page_width():
    css = render_to_string("statistics/report.css")
    print_rules = css[css.index("@media print") :]
    assert "thead { display: table-header-group; }" in print_rules
    assert "break-inside: avoid" in print_rules
    assert "max-height: none" in print_rules


def test_referrals_made_stand_after_the_total_of_contacts_not_above_it():
    table = years_table(
        slug="outreach",
        title="Outreach contacts",
        measure="outreach",
        row_dim="contact",
        years=[2023],
        counts={(2023, "women"): 30, (2023, "men"): 12},
        categories=[("women", "Contacts with women"), ("men", "Contacts with men")],
        totals=None,
        note="",
    )
    table.total.label = "Contacts in all"
    table.rows.append(Row(key="referrals_made", label="Referrals made", values=[7]))
    table.rows.append(Row(key="rounds", label="Outreach rounds", values=[9]))
    view = exports.table_view(table, 5)
    assert [row.key for row, _cells in view["rows"]] == ["women", "men"]
    assert [row.key for row, _cells in view["after_total"]] == ["referrals_made", "rounds"]

    html = render_to_string("statistics/_table.html", {"t": view})
    assert html.index("Contacts with men") < html.index("Contacts in all")
    assert html.index("Contacts in all") < html.index("Referrals made")
    # The total is not a footer (a footer is drawn below every body, referrals included).
    assert "<tfoot" not in html
