"""Records ("the highest since 2007") only over the centre's whole series: its
totals from before Brik, entered with their source, and Brik's own."""

import datetime as dt

from django.utils import translation

from brik.core import choices
from brik.statistics.models import HistoricalFigure
from brik.statistics.report import report_build


def identified(history, year: int, n: int):
    for _i in range(n):
        history.decide(decided_on=dt.date(year, 4, 1), forms=[choices.ExploitationForm.SEXUAL])


def test_no_record_claim_without_the_centres_earlier_figures(history):
    identified(history, 2020, 20)
    identified(history, 2021, 40)
    with translation.override("en"):
        summary = " ".join(report_build(year=2021, language="en").summary)
    assert "doubled, from 20 in 2020 to 40 in 2021" in summary
    assert "highest" not in summary
    assert "series began" not in summary


def test_with_the_earlier_figures_the_record_is_told_since_the_first_year(history):
    identified(history, 2020, 20)
    identified(history, 2021, 40)
    for year in range(2007, 2020):
        HistoricalFigure.objects.create(
            measure="identified", year=year, value=25 + year % 5, source=f"Årsrapport {year}"
        )
    with translation.override("en"):
        summary = " ".join(report_build(year=2021, language="en").summary)
    assert "That is the highest number since 2007." in summary
    with translation.override("da"):
        summary = " ".join(report_build(year=2021, language="da").summary)
    assert "Det er det højeste antal siden 2007." in summary


def test_a_gap_in_the_earlier_figures_means_no_record_claim(history):
    identified(history, 2020, 20)
    identified(history, 2021, 40)
    for year in (2007, 2008, 2010, 2011):  # 2009 and 2012-2019 missing
        HistoricalFigure.objects.create(measure="identified", year=year, value=10, source="x")
    with translation.override("en"):
        summary = " ".join(report_build(year=2021, language="en").summary)
    assert "highest" not in summary
