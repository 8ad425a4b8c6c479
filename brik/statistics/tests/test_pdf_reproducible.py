"""A published report can be reproduced byte for byte later from the stored publication (issue 10).

The PDF stored when a year is published is rendered again, at other times, from
the publication (its frozen cells and its "data as of" date): the bytes must be
the same. WeasyPrint writes no creation date unless the HTML names one, and
no random document id; the fonts are the installed DejaVu package's.
"""

import datetime as dt

import pytest
import time_machine

from brik.statistics import exports, services
from brik.statistics.models import PublishedReport
from brik.statistics.report import report_build

pytest.importorskip("weasyprint")


@pytest.fixture
def published_2021(history, bob):
    for day in range(1, 8):
        history.decide(decided_on=dt.date(2021, 3, day))
    history.decide(decided_on=dt.date(2021, 4, 1), gender="man")
    history.decide(decided_on=dt.date(2020, 3, 1))
    with time_machine.travel(dt.datetime(2022, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        preview = services.publication_preview(year=2021)
        services.report_publish(
            actor=bob,
            year=2021,
            confirmation=preview.confirmation,
            form_token="p" * 32,
            base_url="http://testserver/",
        )
    return PublishedReport.objects.get(year=2021, language="da")


def test_the_stored_pdf_is_rendered_again_byte_for_byte_at_other_times(published_2021):
    stored = bytes(published_2021.pdf)
    renders = []
    for moment in (
        dt.datetime(2022, 6, 1, 12, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2024, 11, 30, 23, 59, 59, tzinfo=dt.UTC),
    ):
        with time_machine.travel(moment, tick=False):
            renders.append(exports.render_pdf(report_build(year=2021, language="da")))
    assert renders[0] == renders[1]
    assert renders[0] == stored
    # No clock in the file: no creation or modification date at all.
    assert b"/CreationDate" not in stored
    assert b"/ModDate" not in stored
