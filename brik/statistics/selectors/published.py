"""Reads of the published reports, for the analysts' page and the public reports page."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from brik.statistics.models import (
    PUBLISHED_FORMATS,
    HistoricalFigure,
    PublishedRelease,
    PublishedReport,
)


def published_reports(*, year: int | None = None) -> QuerySet[PublishedReport]:
    """Published reports, newest first, without their files (read by published_file)."""
    reports = PublishedReport.objects.defer(*PUBLISHED_FORMATS)
    if year is not None:
        reports = reports.filter(year=year)
    return reports


def published_file(*, year: int, language: str, fmt: str) -> bytes | None:
    """The stored file of a publication in one format, or None when there is none."""
    if fmt not in PUBLISHED_FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(PUBLISHED_FORMATS)}, not {fmt!r}")
    report = (
        PublishedReport.objects.filter(year=year, language=language)
        .only(fmt, "year", "language")
        .first()
    )
    return None if report is None else bytes(getattr(report, fmt))


def published_release(*, year: int) -> dict | None:
    """The stored release document of a published year, or None."""
    return PublishedRelease.objects.filter(year=year).values_list("document", flat=True).first()


def published_key_figures(*, year: int) -> dict[str, tuple[int | None, str]] | None:
    """A published year's key figures as released (value, mark; the value None where
    hidden), or None if the year is not published. A release stored before key figures
    were part of it gives an empty dict: its figures are not known."""
    document = published_release(year=year)
    if document is None:
        return None
    return {
        slug: (figure["value"], figure["mark"])
        for slug, figure in document.get("key_figures", {}).items()
    }


def release_document(*, year: int) -> dict:
    """The machine-readable release of a year: the stored one when the year is published,
    otherwise what publishing it now would release (every language)."""
    stored = published_release(year=year)
    if stored is not None:
        return stored
    from brik.statistics import frozen
    from brik.statistics.report import report_build

    reports = {
        code: report_build(year=year, language=code, internal=False)
        for code, _name in settings.LANGUAGES
    }
    return frozen.release_document(reports)


def historical_series() -> dict[str, dict[int, int]]:
    """The centre's totals from before Brik, by measure and year (one query)."""
    series: dict[str, dict[int, int]] = {}
    for measure, year, value in HistoricalFigure.objects.values_list("measure", "year", "value"):
        series.setdefault(measure, {})[year] = value
    return series


def foreword_of(*, year: int):
    """The analysts' foreword to a year's report, or None (one query)."""
    from brik.statistics.models import Foreword

    return Foreword.objects.filter(year=year).first()
