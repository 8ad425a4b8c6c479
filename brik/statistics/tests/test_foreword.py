"""The analysts' foreword: written in both languages, escaped, length-limited, shown at
the top of the report and in the release, and frozen once the year is published."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.statistics import exports, selectors, services
from brik.statistics.models import FOREWORD_MAX_LENGTH, Foreword
from brik.statistics.report import report_build
from brik.statistics.tests.test_publishing import _publish


@pytest.fixture
def seven_cases(history):
    for day in range(1, 8):
        history.decide(decided_on=dt.date(2021, 3, day))
    return history


def test_the_analyst_writes_the_foreword_and_it_tops_both_reports(client, bob, seven_cases):
    client.force_login(bob)
    url = reverse("statistics:foreword", args=[2021])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"text_da": "Året i korte træk.\n\n<b>Fed</b>", "text_en": "The year in brief."},
    )
    assert response.status_code == 302
    assert ActionLog.objects.filter(action=AuditEvent.STATISTICS_FOREWORD_SAVED).count() == 1
    danish = report_build(year=2021, language="da")
    english = report_build(year=2021, language="en")
    assert danish.foreword.startswith("Året i korte træk.")
    assert english.foreword == "The year in brief."
    html = exports.render_html(danish)
    # Escaped: the analyst's markup is text; paragraphs from blank lines.
    assert "&lt;b&gt;Fed&lt;/b&gt;" in html
    assert "<b>Fed</b>" not in html
    assert html.index("Året i korte træk.") < html.index('id="summary"')
    # The analyst page shows it too (the cached build was dropped on saving).
    page = client.get(reverse("statistics:index"), {"year": 2021, "lang": "en"})
    assert "The year in brief." in page.content.decode()


def test_a_too_long_foreword_is_refused_and_the_text_kept(client, bob, seven_cases):
    client.force_login(bob)
    long = "x" * (FOREWORD_MAX_LENGTH + 1)
    response = client.post(
        reverse("statistics:foreword", args=[2021]), {"text_da": "Kort.", "text_en": long}
    )
    assert response.status_code == 422
    assert "Kort." in response.content.decode()
    assert not Foreword.objects.exists()
    with pytest.raises(ValidationError):
        services.foreword_save(actor=bob, year=2021, text_da=long, text_en="")


def test_the_foreword_is_published_with_the_year_and_frozen(bob, seven_cases):
    services.foreword_save(actor=bob, year=2021, text_da="Forord.", text_en="Foreword.")
    _publish(bob)
    document = selectors.published_release(year=2021)
    assert document["foreword"] == {"da": "Forord.", "en": "Foreword."}
    with translation.override("en"), pytest.raises(ValidationError, match="published"):
        services.foreword_save(actor=bob, year=2021, text_da="Nyt.", text_en="New.")
    assert Foreword.objects.get(year=2021).text_en == "Foreword."
