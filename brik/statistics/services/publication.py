"""Publishing a year's public report: preview, then render, then store, then tell.

`publication_preview` builds the public report of an ended year in every
language and says exactly what would be released (the key figures as
published, the languages and formats, whether it replaces an earlier
publication, who would be told) together with a digest of it.
`report_publish` releases it only with that digest and a one-time form token:

1. render: the PDF, HTML and XLSX files are drawn first, outside any
   transaction, so no row lock is held while WeasyPrint draws PDFs;
2. store: one transaction claims the form token, locks the year's published
   rows, decides under that lock whether this replaces an earlier
   publication, writes every language and the action log entry;
3. tell: subscribers are e-mailed in `transaction.on_commit`, only once the
   publication is committed and only for a year's first publication; a
   rollback tells no one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.core.selectors import form_submission_result
from brik.core.services import AlreadySubmitted, form_submission_claim
from brik.statistics import exports, frozen, years
from brik.statistics.audit import Interval, audit_public, failures
from brik.statistics.models import (
    PUBLISHED_FORMATS,
    PublishedCell,
    PublishedRelease,
    PublishedReport,
    Subscription,
)
from brik.statistics.report import report_build
from brik.statistics.services.subscriptions import notify_subscribers
from brik.statistics.tables import Report

if TYPE_CHECKING:
    from brik.accounts.models import User


@dataclass
class Publication:
    """What publishing a year would release, as the confirmation page shows it."""

    year: int
    reports: dict[str, Report]  # the public report in each language
    earlier: list[PublishedReport]  # the publication it would replace, per language
    subscribers: int  # confirmed subscribers to be told (none when it replaces)
    confirmation: str  # a digest of every figure and sentence to be released
    # Every hidden cell of everything public, this year included, as an outsider sees it.
    audit: list[Interval] = field(default_factory=list)

    @property
    def refused(self) -> list[Interval]:
        """The hidden cells too narrowly protected: publishing refuses while there are any."""
        return failures(self.audit)

    @property
    def replaces(self) -> bool:
        return bool(self.earlier)

    @property
    def formats(self) -> tuple[str, ...]:
        return PUBLISHED_FORMATS


def _released(report: Report) -> dict:
    """Everything of a public report that a reader sees, as text (for the digest)."""
    with translation.override(report.language):
        return {
            "language": report.language,
            "title": str(report.title),
            "key_figures": [
                [f.slug, str(f.label), f.shown, f.previous_shown] for f in report.key_figures
            ],
            "summary": [str(s) for s in report.summary],
            "tables": [
                [t.slug, [str(h) for h in t.header()]]
                + [[str(row.label), *cells] for row, cells in t.display_rows(report.threshold)]
                for t in report.all_tables()
            ],
            "notes": [str(report.counting_note), str(report.disclosure_note)],
        }


def _digest(reports: dict[str, Report]) -> str:
    content = [_released(reports[lang]) for lang in sorted(reports)]
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def publication_preview(*, year: int) -> Publication:
    """The public report of an ended year in every language, and what publishing it means.

    Refuses (ValidationError) a year that is implausible or has not ended.
    """
    years.validate_ended_year(year)
    reports = {
        code: report_build(year=year, language=code, internal=False, revise=True)
        for code, _name in settings.LANGUAGES
    }
    first = reports[sorted(reports)[0]]
    # The verdicts only (a cell is cleared by the first solution that meets the range);
    # `brik disclosure_audit` prints the full intervals.
    audit = audit_public(extra=first.all_tables(), except_year=year, quick=True)
    earlier = list(PublishedReport.objects.filter(year=year).defer(*PUBLISHED_FORMATS))
    subscribers = (
        0
        if earlier
        else Subscription.objects.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True
        ).count()
    )
    return Publication(
        year=year,
        reports=reports,
        earlier=earlier,
        subscribers=subscribers,
        confirmation=_digest(reports),
        audit=audit,
    )


def report_publish(
    *, actor: User, year: int, confirmation: str, form_token: str, base_url: str
) -> list[PublishedReport]:
    """Publish the year's public report in every language, as confirmed.

    `confirmation` is the digest the confirmation page showed
    (publication_preview); when the figures changed since, nothing is published
    and a ValidationError (code "changed") says so. `form_token` makes a double
    submit publish once (AlreadySubmitted for the second). Rendering happens
    before the transaction; mail to subscribers after it commits.
    """
    earlier_result = form_submission_result(token=form_token)
    if earlier_result is not None:
        raise AlreadySubmitted(earlier_result or "")
    publication = publication_preview(year=year)
    if confirmation != publication.confirmation:
        raise ValidationError(
            _(
                "The figures have changed since the confirmation page was shown. Check them "
                "again before publishing."
            ),
            code="changed",
        )
    if publication.refused:
        raise ValidationError(
            _(
                "Publishing is refused: %(count)s hidden figures could be worked out too "
                "closely from everything published. Run “brik disclosure_audit” to see them."
            )
            % {"count": len(publication.refused)},
            code="disclosure",
        )
    # Rendered before the transaction: no lock is held while the PDFs are drawn.
    files = {
        code: {
            "pdf": exports.render_pdf(report),
            "html": exports.render_html(report).encode(),
            "xlsx": exports.render_xlsx(report),
        }
        for code, report in publication.reports.items()
    }
    return _publication_store(
        actor=actor, publication=publication, files=files, form_token=form_token, base_url=base_url
    )


@transaction.atomic
def _publication_store(
    *,
    actor: User,
    publication: Publication,
    files: dict[str, dict[str, bytes]],
    form_token: str,
    base_url: str,
) -> list[PublishedReport]:
    """Store the rendered files of every language, in one transaction.

    The state is checked again here, under the lock: the form token is claimed
    (a concurrent double submit stops here), and whether this replaces an
    earlier publication is decided from the rows locked now, not from the
    preview (someone may have published the year in between).
    """
    form_submission_claim(token=form_token, user=actor)
    year = publication.year
    replaced = PublishedReport.objects.select_for_update().filter(year=year).exists()
    now = timezone.now()
    published = []
    for code, report in publication.reports.items():
        with translation.override(code):
            key_figures = [
                {
                    "slug": f.slug,
                    "label": str(f.label),
                    "value": f.shown,
                    "previous": f.previous_shown,
                }
                for f in report.key_figures
            ]
        row, _created = PublishedReport.objects.update_or_create(
            year=year,
            language=code,
            defaults={
                "published_at": now,
                "published_by": actor if getattr(actor, "pk", None) else None,
                "title": report.title,
                "key_figures": key_figures,
                "summary": report.summary,
                **files[code],
            },
        )
        published.append(row)
    _release_store(publication, now)
    log_action(
        actor=actor,
        action=AuditEvent.REPORT_PUBLISHED,
        obj=published[0],
        data={
            "year": year,
            "languages": list(publication.reports),
            "formats": list(PUBLISHED_FORMATS),
            "replaced": replaced,
            "confirmation": publication.confirmation,
        },
    )
    if not replaced:
        # Only once the publication is committed: a rollback must not have told anyone.
        transaction.on_commit(
            partial(_notify_published, actor=actor, report=published[0], base_url=base_url),
            robust=True,
        )
    return published


def _release_store(publication: Publication, now) -> PublishedRelease:
    """Freeze the year: its release document and every cell as published (in the caller's
    transaction). Publishing a year again replaces its cells (a dated revision)."""
    first = publication.reports[sorted(publication.reports)[0]]
    release, _created = PublishedRelease.objects.update_or_create(
        year=publication.year,
        defaults={
            "published_at": now,
            "data_as_of": first.data_as_of,
            "threshold": first.threshold,
            "document": frozen.release_document(publication.reports),
        },
    )
    release.cells.all().delete()
    PublishedCell.objects.bulk_create(
        PublishedCell(release=release, **cell) for cell in frozen.cells_of(first)
    )
    return release


def _notify_published(*, actor: User, report: PublishedReport, base_url: str) -> None:
    sent = notify_subscribers(year=report.year, base_url=base_url)
    log_action(
        actor=actor,
        action=AuditEvent.REPORT_SUBSCRIBERS_TOLD,
        obj=report,
        data={"year": report.year, "subscribers_told": sent},
    )
