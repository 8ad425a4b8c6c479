"""Reads of the published reports, for the analysts' page and the public reports page."""

from __future__ import annotations

from django.db.models import QuerySet

from brik.statistics.models import PUBLISHED_FORMATS, PublishedReport


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
