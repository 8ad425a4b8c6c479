"""Published statistics as released (the stored publication), and the disclosure-
controlled aggregates of the internal statistics page's public version."""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from brik.accounts.permissions import Ability
from brik.api.endpoints.core import ApiProblem, allowed, invalid, responses
from brik.api.models import Scope
from brik.audit.events import AuditEvent
from brik.audit.services import access_record
from brik.statistics import selectors as statistics_selectors
from brik.statistics import years
from brik.statistics.caching import report_cached
from brik.statistics.models import PUBLISHED_FORMATS, PublishedReport
from brik.statistics.tables import PRIMARY, SECONDARY, Table, display_cell

router = Router(tags=["statistics"])

# A public report's figures: reads of it change nothing and need only the scope.
CACHE_CONTROL = "private, no-cache"


class KeyFigure(Schema):
    slug: str
    label: str
    value: int | str
    previous: int | str | None = None


class Publication(Schema):
    year: int
    language: str
    title: str
    published_at: datetime
    key_figures: list[KeyFigure]
    summary: list[str]
    files: dict[str, str]


def publication_out(request: HttpRequest, report: PublishedReport) -> dict:
    return {
        "year": report.year,
        "language": report.language,
        "title": report.title,
        "published_at": report.published_at,
        "key_figures": report.key_figures,
        "summary": [str(s) for s in report.summary],
        "files": {
            fmt: request.build_absolute_uri(
                reverse(
                    "statistics:public_file",
                    kwargs={"year": report.year, "lang": report.language, "fmt": fmt},
                )
            )
            for fmt in PUBLISHED_FORMATS
        },
    }


@router.get(
    "/statistics/publications",
    response=responses(_200=list[Publication]),
    url_name="publication_list",
)
def publication_list(request: HttpRequest, response: HttpResponse):
    """Every published annual report, newest first, in each language (public figures)."""
    allowed(request, Scope.STATISTICS_READ)
    response["Cache-Control"] = CACHE_CONTROL
    reports = statistics_selectors.published_reports().order_by("-year", "language")
    return Status(200, [publication_out(request, r) for r in reports])


@router.get(
    "/statistics/publications/{year}",
    response=responses(_200=list[Publication]),
    url_name="publication_detail",
)
def publication_detail(request: HttpRequest, response: HttpResponse, year: int):
    """The annual report of one year as published, in each language."""
    allowed(request, Scope.STATISTICS_READ)
    response["Cache-Control"] = CACHE_CONTROL
    if not years.is_plausible(year):
        raise ApiProblem(404, "not-found", _("Not found."))
    reports = list(statistics_selectors.published_reports(year=year).order_by("language"))
    if not reports:
        raise ApiProblem(404, "not-found", _("Nothing was published for this year."))
    return Status(200, [publication_out(request, r) for r in reports])


# --- the aggregates ---------------------------------------------------------------------


class Cell(Schema):
    value: int | float | None
    shown: str
    suppressed: str = ""


class AggregateRow(Schema):
    key: str
    label: str
    cells: list[Cell]


class AggregateTable(Schema):
    slug: str
    title: str
    columns: list[str]
    rows: list[AggregateRow]
    total: AggregateRow | None
    note: str


class Aggregates(Schema):
    year: int
    language: str
    threshold: int
    disclosure_note: str
    tables: list[AggregateTable]


def _cell(value: int | None, mark: str, threshold: int, table: Table) -> dict:
    # A hidden cell carries no value: only what the public report shows.
    hidden = mark in (PRIMARY, SECONDARY)
    return {
        "value": None if hidden or value is None else table.number(value),
        "shown": display_cell(value, mark, threshold, table.decimals),
        "suppressed": mark if hidden else "",
    }


def _row(row, threshold: int, table: Table) -> dict:
    return {
        "key": str(row.key),
        "label": str(row.label),
        "cells": [_cell(v, row.mark(i), threshold, table) for i, v in enumerate(row.values)],
    }


def table_out(table: Table, threshold: int) -> dict:
    return {
        "slug": table.slug,
        "title": str(table.title),
        "columns": [str(c.label) for c in table.columns],
        "rows": [_row(r, threshold, table) for r in table.rows],
        "total": _row(table.total, threshold, table) if table.total else None,
        "note": str(table.note),
    }


@router.get("/statistics/aggregates", response=responses(_200=Aggregates), url_name="aggregates")
def aggregates(
    request: HttpRequest,
    response: HttpResponse,
    year: int = Query(..., description="A year from the first the centre counts to this one"),
    language: str = Query("en", max_length=5),
):
    """The tables of a year's report after disclosure control (small counts hidden), as
    the public version of the internal statistics page; the reading is in the action log."""
    user = allowed(request, Scope.STATISTICS_READ, Ability.STATISTICS_INTERNAL)
    errors = []
    if not years.is_plausible(year):
        errors.append({"field": "year", "message": _("No report can cover this year.")})
    if language not in dict(settings.LANGUAGES):
        errors.append({"field": "language", "message": _("Choose en or da.")})
    if errors:
        raise invalid(errors)
    report = report_cached(year=year, language=language, internal=False)
    access_record(
        actor=user,
        action=AuditEvent.STATISTICS_VIEWED,
        obj=user,
        data={"year": year, "format": "api", "language": language, "internal": False},
    )
    response["Cache-Control"] = CACHE_CONTROL
    with translation.override(language):
        return Status(
            200,
            {
                "year": year,
                "language": language,
                "threshold": report.threshold,
                "disclosure_note": str(report.disclosure_note),
                "tables": [table_out(t, report.threshold) for t in report.all_tables()],
            },
        )
