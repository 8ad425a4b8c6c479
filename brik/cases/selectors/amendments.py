"""Corrections that touch a year whose report is already published: the analyst
is told, so the published figures can be reviewed (brik.statistics' page shows them)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min

from brik.cases.models import Amendment, Case
from brik.statistics.models import PublishedReport


@dataclass(frozen=True)
class AmendmentAfterPublication:
    amendment: Amendment
    years: list[int]  # the published years the correction touches

    @property
    def case(self) -> Case:
        return self.amendment.case


def amendments_after_publication(
    *, published: dict[int, datetime] | None = None, year: int | None = None
) -> list[AmendmentAfterPublication]:
    """Corrections made after the first publication of a year they touch, newest first.

    `published` maps a year to when it was first published (read from the
    published reports when not given); `year` keeps only those touching that year.
    Two queries.
    """
    if published is None:
        published = dict(
            PublishedReport.objects.values("year")
            .annotate(first=Min("published_at"))
            .values_list("year", "first")
        )
    if not published:
        return []
    earliest = min(published.values())
    found = []
    for amendment in (
        Amendment.objects.filter(created_at__gt=earliest)
        .select_related("case__person", "amended_by")
        .order_by("-created_at", "-id")
    ):
        years = [
            y
            for y in amendment.years
            if y in published
            and amendment.created_at > published[y]
            and (year is None or y == year)
        ]
        if years:
            found.append(AmendmentAfterPublication(amendment=amendment, years=years))
    return found
