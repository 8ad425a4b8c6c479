"""Years no report can cover (0, 1, 99999, 1e20, next year) are refused everywhere in the
statistics with a 404 or a clear message, never a server error."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from brik.statistics import years
from brik.statistics.models import PublishedReport

IMPLAUSIBLE = ["0", "1", "1999", "99999", "99999999999999999999"]


@pytest.mark.parametrize("year", [*IMPLAUSIBLE, "1e20"])
@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx", "csv"])
def test_a_download_of_an_implausible_year_is_not_found(client, carol, year, fmt):
    client.force_login(carol)
    response = client.get(f"/statistics/{year}/report.{fmt}")
    assert response.status_code == 404


@pytest.mark.parametrize("year", [*IMPLAUSIBLE, "1e20"])
def test_publishing_an_implausible_year_is_not_found(client, bob, year):
    client.force_login(bob)
    assert client.post(f"/statistics/{year}/publish/", {"lang": "en"}).status_code == 404
    assert client.get(f"/statistics/{year}/publish/").status_code == 404
    assert not PublishedReport.objects.exists()


@pytest.mark.parametrize("year", [*IMPLAUSIBLE, "1e20"])
def test_a_public_file_of_an_implausible_year_is_not_found(client, db, year):
    assert client.get(f"/reports/{year}/en.pdf").status_code == 404


@pytest.mark.parametrize("year", [*IMPLAUSIBLE, "1e20", "-5", "next"])
def test_the_report_page_refuses_an_implausible_year_beside_the_field(client, carol, year):
    client.force_login(carol)
    if year == "next":
        year = str(years.current_year() + 1)
    response = client.get(
        reverse("statistics:index"), {"year": year, "lang": "en", "version": "public"}
    )
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()


@pytest.mark.parametrize("year", ["1", "1999", "99999", "next"])
def test_the_report_command_refuses_an_implausible_year(db, year):
    if year == "next":
        year = str(years.current_year() + 1)
    with translation.override("en"), pytest.raises(CommandError, match="Choose a year from 2000"):
        call_command("report", year, "--format", "html", "--output", "-")


def test_the_report_command_refuses_a_year_that_is_not_a_number(db):
    with pytest.raises(CommandError, match="invalid int value"):
        call_command("report", "1e20")


def test_the_current_year_is_the_centres():
    # 23:30 UTC on New Year's Eve is already the next year in Copenhagen.
    with time_machine.travel(dt.datetime(2024, 12, 31, 23, 30, tzinfo=dt.UTC), tick=False):
        assert years.current_year() == 2025
        assert years.is_plausible(2025)
        assert not years.is_plausible(2026)
