"""Issue 10's layout defects: sheet names readable, table headers repeated, charts not shrunk."""

from brik.statistics import exports


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
    from django.template.loader import render_to_string

    css = render_to_string("statistics/report.css")
    print_rules = css[css.index("@media print") :]
    assert "thead { display: table-header-group; }" in print_rules
    assert "break-inside: avoid" in print_rules
    assert "max-height: none" in print_rules
