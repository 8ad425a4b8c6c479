"""Eurostat's cross tables: sex by age, by citizenship group and by form, for one year."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from brik.statistics.selectors.counting import (
    ADULT,
    ADULT_BANDS,
    CHILD,
    CHILD_BANDS,
    EUROSTAT_FORM_GROUPS,
    UNKNOWN,
    citizenship_group_expression,
    eurostat_forms,
    identified_cases,
    identified_with_age,
    person_count,
    sex_key,
)
from brik.statistics.selectors.labels import (
    counting_rule,
    eurostat_form_label,
    joined_note,
    multi_note,
)
from brik.statistics.selectors.specs import cross_table
from brik.statistics.tables import Table


def eurostat_by_sex_and_age(*, year: int) -> Table:
    qs = identified_with_age([year]).values("person__gender", "band").annotate(n=person_count())
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in qs:
        band = row["band"]
        key = CHILD if band in CHILD_BANDS else ADULT if band in ADULT_BANDS else UNKNOWN
        counts[(sex_key(row["person__gender"]), key)] += row["n"]
    return cross_table(
        slug="eurostat_sex_age",
        title=_("Registered victims by sex and age (Eurostat)"),
        year=year,
        counts=counts,
        columns=[(CHILD, _("Children")), (ADULT, _("Adults")), (UNKNOWN, _("Unknown"))],
        col_dim="age",
        note=joined_note(
            counting_rule(), _("Identified victims. Children: under 18 at the decision.")
        ),
        additive_columns=True,
    )


def eurostat_by_sex_and_citizenship(*, year: int) -> Table:
    qs = (
        identified_cases([year])
        .annotate(group=citizenship_group_expression())
        .values("person__gender", "group")
        .annotate(n=person_count())
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in qs:
        counts[(sex_key(row["person__gender"]), row["group"])] += row["n"]
    columns = [
        ("reporting", _("Reporting country")),
        ("eu", _("Other EU")),
        ("non_eu", _("Non-EU")),
        (UNKNOWN, _("Unknown")),
    ]
    return cross_table(
        slug="eurostat_sex_citizenship",
        title=_("Registered victims by sex and citizenship group (Eurostat)"),
        year=year,
        counts=counts,
        columns=columns,
        col_dim="citizenship_group",
        note=joined_note(
            counting_rule(), _("Identified victims, by Eurostat's citizenship groups.")
        ),
        additive_columns=True,
    )


def eurostat_by_sex_and_form(*, year: int) -> Table:
    """Sex by Eurostat's form groups (one query: a filtered count per group and sex)."""
    form = "assessment__forms__form"
    annotations = {
        g: Count("person", filter=Q(**{f"{form}__in": eurostat_forms(g)}), distinct=True)
        for g in EUROSTAT_FORM_GROUPS
    }
    rows = (
        identified_cases([year])
        .values("person__gender")
        .annotate(persons=person_count(), **annotations)
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        sex = sex_key(row["person__gender"])
        totals[sex] += row["persons"]
        for g in EUROSTAT_FORM_GROUPS:
            counts[(sex, g)] += row[g]
    return cross_table(
        slug="eurostat_sex_form",
        title=_("Registered victims by sex and form of exploitation (Eurostat)"),
        year=year,
        counts=counts,
        columns=[(g, eurostat_form_label(g)) for g in EUROSTAT_FORM_GROUPS],
        col_dim="eurostat_form",
        note=joined_note(counting_rule(), multi_note(_("forms of exploitation"))),
        additive_columns=False,
        totals=totals,
    )
