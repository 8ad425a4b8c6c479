"""The words of the tables: row labels and the notes under them (the counting rule).

The summary's sentences are brik.statistics.phrasing and summary."""

from __future__ import annotations

from django.utils.translation import gettext as _

from brik.statistics.selectors.counting import ADULT, CHILD, EUROSTAT_SEX, UNKNOWN


def eurostat_form_label(group: str) -> str:
    return {
        "SEX_EXP": _("Sexual exploitation"),
        "LAB_EXP": _("Labour exploitation"),
        "OTH": _("Other forms of exploitation"),
        "UNK": _("Form not determined"),
    }[group]


def age_label(key: str) -> str:
    if key == CHILD:
        return _("Children (under 18)")
    if key == ADULT:
        return _("Adults (18 and over)")
    if key == UNKNOWN:
        return _("Age unknown")
    return _("%(band)s years") % {"band": key.replace("-", "–")}


def counting_rule() -> str:
    return _(
        "Persons are counted in the year of the decision. A person assessed as identified "
        "in two different years counts in each year."
    )


def multi_note(what: str) -> str:
    return _(
        "A person with several %(what)s counts once in the total and once under each, "
        "so the rows can add up to more than the total."
    ) % {"what": what}


def joined_note(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def age_note() -> str:
    return joined_note(
        counting_rule(),
        _(
            "Age at the decision: the year of the decision minus the year of birth "
            "(CTDC's age bands). Unknown when the year of birth is not recorded."
        ),
    )


def citizenship_group_label(key: str) -> str:
    return {
        "reporting": _("Danish citizens"),
        "eu": _("Citizens of other EU countries"),
        "non_eu": _("Citizens of countries outside the EU"),
        UNKNOWN: _("Citizenship unknown"),
    }[key]


def returns_note() -> str:
    return _(
        "Persons who left on a prepared return, counted in the year of departure. "
        "Reintegration support lasts up to six months after departure."
    )


def sex_label(key: str) -> str:
    return {"F": _("Women"), "M": _("Men"), "UNK": _("Other or unknown")}[dict(EUROSTAT_SEX)[key]]
