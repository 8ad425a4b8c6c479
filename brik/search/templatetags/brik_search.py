"""The search page's result rows written in Python (search/results.html): the same
HTML as the template loop they replace, byte for byte, every value escaped as the
template engine escaped it. The loop, with an include, a {% url %} and a loop of
translated words per row, cost more than the search itself."""

import re
from datetime import date

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from brik.cases.models import Case
from brik.cases.templatetags.brik_ui import _escaped, choice_label, url_pattern

register = template.Library()

# One row as the loop wrote it: its {% with %}, the row, cases/_status.html (with its
# newline) in the status column.
_ROW = (
    "\n        \n        <tr>\n"
    "          <td>{code}</td>\n"
    "          {personal}\n"
    "          <td>{born}</td>\n"
    '          <td><span class="status status-{status}">{status_label}</span>\n</td>\n'
    "          <td>{matched}</td>\n"
    "        </tr>\n        \n      "
)
_PERSONAL = (  # a personal search's columns
    "\n          <td>{name}</td>\n"
    "          <td>{aliases}</td>\n"
    "          <td>{born_on}</td>\n          "
)
_LINK = '<a href="{url}">{code}</a>'


def _matched_labels() -> dict[str, str]:
    """The words of the "Matched on" column in the current language, escaped."""
    return {
        "code": _escaped(gettext("case code")),
        "name": _escaped(gettext("name")),
        "date_of_birth": _escaped(gettext("date of birth")),
        "year_of_birth": _escaped(gettext("year of birth")),
        "phone": _escaped(gettext("phone")),
    }


# The date format's letters that _day_format writes itself (as Django's dateformat does).
_DAY_PARTS = {
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "Y": "{0.year:04d}",
}
_FORMAT_CHARS = re.compile(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
_ESCAPED = re.compile(r"\\(.)")
_DAY_FORMATS: dict[str, str | None] = {}


def _day_format(fmt: str) -> str | None:
    """A str.format() pattern that writes a date as Django's dateformat writes it in
    `fmt` (a format of the letters d, j, m, n and Y only), or None for any other
    format. Kept per format: a format string, never a date."""
    if fmt not in _DAY_FORMATS:
        parts = []
        for i, piece in enumerate(_FORMAT_CHARS.split(fmt)):
            if i % 2 == 0:  # between the letters: as written, without its backslashes
                parts.append(_ESCAPED.sub(r"\1", piece).replace("{", "{{").replace("}", "}}"))
            elif piece in _DAY_PARTS:
                parts.append(_DAY_PARTS[piece])
            else:
                _DAY_FORMATS[fmt] = None
                break
        else:
            _DAY_FORMATS[fmt] = "".join(parts)
    return _DAY_FORMATS[fmt]


def _short_date(pattern: str | None, value) -> str:
    """{{ value|date:"SHORT_DATE_FORMAT"|default:"—" }}"""
    if type(value) is date and pattern is not None:
        return _escaped(pattern.format(value))
    return _escaped(date_filter(value, "SHORT_DATE_FORMAT") or "—")


@register.simple_tag
def search_result_rows(outcome, can_open_cases: bool) -> SafeString:
    """The rows of `outcome.results`: the latest case (linked for those who may open
    it), for a personal search the name, aliases and date of birth, the year of birth,
    the case's status and what matched."""
    detail_url = url_pattern("cases:detail")
    labels = _matched_labels()
    personal = outcome.query.personal
    day_pattern = _day_format(str(get_format("SHORT_DATE_FORMAT")))
    rows = []
    for result in outcome.results:
        case = result.latest_case
        code = _escaped(case.code)
        if personal:
            identity = result.identity
            columns = _PERSONAL.format(
                name=_escaped(identity.full_name or "—"),
                aliases=_escaped(identity.aliases or "—"),
                born_on=_short_date(day_pattern, identity.date_of_birth),
            )
        else:
            columns = ""
        rows.append(
            _ROW.format(
                code=_LINK.format(url=_escaped(detail_url(case.pk)), code=code)
                if can_open_cases
                else code,
                personal=columns,
                born=_escaped(result.person.birth_year or "—"),
                status=_escaped(case.status),
                status_label=_escaped(choice_label(Case, "status", case.status)),
                matched=", ".join([labels.get(what, "") for what in result.matched]),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)
