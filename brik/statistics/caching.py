"""The analysts' report, built once per state of the data and kept in Django's cache.

Building the report takes seconds at a national caseload; the analysts' page
and downloads ask for it on every view. A built report is kept under its year,
language, version (internal or public) and disclosure threshold, together with
the audit log's position when it was built. Every change of a record writes an
action log row in the same transaction (brik.audit), and the rows are chained
by hash, so the log's last row names the state of the data:

- the same last row (sequence and hash) as when the report was last checked:
  nothing changed, the kept report is served;
- later rows, but only reads and logins (which change no figure): still valid;
- anything else (a decision, a return, a case, an organisation...), or a log
  that does not continue the one the report was built on: built again.

Each view reads the log's last row and the last case's id (two indexed
queries) and, when the log moved, the rows since (a range on the sequence index). Because the check is read
from the database, no worker nor app server serves a report older than the data.
The cache itself is in the database too (settings.CACHES, table brik_cache), so a
report one worker built is served by every other (docs/performance.md).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q

from brik.audit.events import READ_EVENTS, AuditEvent
from brik.audit.models import ActionLog
from brik.cases.models import Case
from brik.statistics import disclosure
from brik.statistics.report import report_build
from brik.statistics.tables import Report

# Rows that change no figure of the report: reads, logins, account and subscription steps,
# case notes and attachments.
_NO_FIGURE_EVENTS = sorted(
    READ_EVENTS
    | {AuditEvent.REPORT_SUBSCRIBERS_TOLD}
    | {
        event
        for event in AuditEvent
        if event.value.startswith(
            (
                "brik.user.",
                "brik.subscription.",
                "brik.access_notice.",
                "brik.note.",
                "brik.attachment.",
            )
        )
    }
)
KEEP_SECONDS = 24 * 60 * 60

# The action log's last row (sequence, row hash) and the last case's id.
Position = tuple[int, str, int]


def _position() -> Position:
    last = ActionLog.objects.order_by("-sequence").values_list("sequence", "row_hash").first()
    # The last case too, for cases written without an audit row (tests' factories).
    last_case = Case.objects.order_by("-id").values_list("id", flat=True).first()
    return (*(last or (0, "")), last_case or 0)


def _figures_unchanged(since: Position, now: Position) -> bool:
    """True if the log still holds `since` and every row after it changes no figure."""
    sequence, row_hash, last_case = since
    if last_case != now[2]:
        return False
    changing = ~Q(action__in=_NO_FIGURE_EVENTS)
    rows = list(
        ActionLog.objects.filter(sequence__gte=sequence)
        .filter(Q(sequence=sequence) | changing)
        .order_by("sequence")
        .values_list("sequence", "row_hash")[:2]
    )
    return rows == [(sequence, row_hash)] if sequence else not rows


def _key(year: int, language: str, internal: bool) -> str:
    version = "internal" if internal else f"public-t{disclosure.threshold()}"
    return f"brik:statistics:report:{year}:{language}:{version}"


def report_cached(*, year: int, language: str, internal: bool = False) -> Report:
    """report_build's report, built again only when a figure may have changed."""
    key = _key(year, language, internal)
    now = _position()
    entry = cache.get(key)
    if entry is not None:
        built, report = entry
        # Where the log was last found to hold no change since the build (kept
        # apart so that a check does not write the whole report again).
        checked = cache.get(f"{key}:checked")
        valid_at = checked[1] if checked is not None and checked[0] == built else built
        if valid_at == now or _figures_unchanged(valid_at, now):
            if valid_at != now:
                cache.set(f"{key}:checked", (built, now), KEEP_SECONDS)
            return report
    # The position is read before the build: a change made during it leaves the
    # report marked older than it is, and the next view builds it again.
    report = report_build(year=year, language=language, internal=internal)
    cache.set(key, (now, report), KEEP_SECONDS)
    return report


def report_forget(year: int) -> None:
    """Drop the cached builds of a year (its foreword changed: no figure did)."""
    from django.conf import settings as django_settings

    for language, _name in django_settings.LANGUAGES:
        for internal in (True, False):
            cache.delete(_key(year, language, internal))
