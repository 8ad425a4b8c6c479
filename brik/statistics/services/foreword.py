"""The analysts' foreword to a year's report: saved until the year is published."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from brik.audit.events import AuditEvent
from brik.audit.services import log_action
from brik.statistics.models import FOREWORD_MAX_LENGTH, Foreword, PublishedRelease


def foreword_save(*, actor, year: int, text_da: str, text_en: str) -> Foreword:
    """Store the foreword of a year not yet published (one transaction, logged).

    Refused once the year is published: the foreword is part of the stored
    publication, which never changes behind the reader's back.
    """
    texts = {"text_da": text_da.strip(), "text_en": text_en.strip()}
    for field, text in texts.items():
        if len(text) > FOREWORD_MAX_LENGTH:
            raise ValidationError(
                {
                    field: _("At most %(max)s characters (this text has %(n)s).")
                    % {"max": FOREWORD_MAX_LENGTH, "n": len(text)}
                }
            )
    with transaction.atomic():
        if PublishedRelease.objects.filter(year=year).exists():
            raise ValidationError(
                _("The report for %(year)s is published: its foreword is part of it.")
                % {"year": year}
            )
        foreword, _created = Foreword.objects.select_for_update().get_or_create(year=year)
        changes = {
            field: [getattr(foreword, field), text]
            for field, text in texts.items()
            if getattr(foreword, field) != text
        }
        for field, text in texts.items():
            setattr(foreword, field, text)
        foreword.updated_by = actor
        foreword.save()
        log_action(
            actor=actor,
            action=AuditEvent.STATISTICS_FOREWORD_SAVED,
            obj=foreword,
            data={"year": year, "fields": sorted(changes)},
        )
    from brik.statistics.caching import report_forget

    report_forget(year)
    return foreword
