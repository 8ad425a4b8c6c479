"""brik export_ctdc: every combination of quasi-identifiers at least k times, and back in."""

import csv
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from brik.core import choices as c
from brik.exchange import kanon, services
from brik.exchange.models import Source
from brik.exchange.tests.conftest import refer

pytestmark = pytest.mark.django_db

QUASI = ["yearOfRegistration", "gender", "ageBroad", "majorityStatus", "citizenship"]
QUASI += ["CountryOfExploitation"]


@pytest.fixture
def victims(dave, police):
    """12 alike (Nigerian women born 1995), 3 Romanians, 1 Dane, 2 Swedes not decided yet."""
    refer(dave, police, 12)
    refer(dave, police, 3, citizenships=["RO"], birth_year=1990)
    refer(dave, police, 1, citizenships=["DK"], gender=c.Gender.MAN, birth_year=1960)
    refer(dave, police, 2, identified=False, citizenships=["SE"])


def _export(tmp_path, k) -> tuple[list[str], list[list[str]], str]:
    path = tmp_path / "ctdc.csv"
    err = StringIO()
    call_command("export_ctdc", "--k", str(k), "--output", str(path), stderr=err)
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file, delimiter=";"))
    return rows[0], rows[1:], err.getvalue()


def _combinations(header, rows) -> Counter:
    index = [header.index(name) for name in QUASI]
    return Counter(tuple(row[i] for i in index) for row in rows)


@pytest.mark.parametrize("k", [2, 3, 5, 11])
def test_every_combination_of_quasi_identifiers_occurs_at_least_k_times(victims, tmp_path, k):
    header, rows, _ = _export(tmp_path, k)

    combinations = _combinations(header, rows)
    assert combinations, "something was written"
    assert min(combinations.values()) >= k


def test_rare_records_are_generalised_before_they_are_suppressed(victims, tmp_path):
    header, rows, report = _export(tmp_path, 3)

    combinations = _combinations(header, rows)
    # The 12 alike stay as recorded; the 3 Romanians stay too (3 >= k).
    assert combinations[("2021", "Female", "24--26", "Adult", "NG", "DK")] == 12
    assert combinations[("2021", "Female", "30--38", "Adult", "RO", "DK")] == 3
    # The Dane, and the two Swedes (presumed victims, EU citizens), cannot be hidden among 3.
    assert len(rows) == 15
    assert "15 records written, 3 suppressed (k=3)" in report


def test_persons_found_not_to_be_victims_are_left_out(dave, police, tmp_path):
    refer(dave, police, 3)
    refer(dave, police, 3, outcome=c.Outcome.NOT_IDENTIFIED)

    _header, rows, report = _export(tmp_path, 2)

    assert len(rows) == 3
    assert "3 records written, 0 suppressed" in report


def test_citizenship_is_generalised_to_its_group_when_that_is_enough(dave, police, tmp_path):
    refer(dave, police, 2, citizenships=["NG"])
    refer(dave, police, 2, citizenships=["GH"])

    header, rows, _ = _export(tmp_path, 4)

    assert [row[header.index("citizenship")] for row in rows] == ["non-EU"] * 4


def test_the_default_k_is_ctdcs_11(victims, tmp_path):
    assert kanon.DEFAULT_K == 11
    path = tmp_path / "ctdc.csv"
    call_command("export_ctdc", "--output", str(path), stderr=StringIO())
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert "k=11" in rows[0][0]
    assert len(rows) - 1 == 12  # only the 12 alike reach 11


def test_the_export_imports_back_with_import_ctdc(victims, tmp_path):
    _header, rows, _ = _export(tmp_path, 3)

    result = services.records_import(actor=None, path=tmp_path / "ctdc.csv", source=Source.CTDC)

    assert result.report.rows == len(rows) == 15
    assert result.report.citizenship == Counter({"NG": 12, "RO": 3})
    assert result.report.exploitation["isSexualExploit"] == Counter({"yes": 15})


def test_k_below_2_is_refused(tmp_path):
    with pytest.raises(CommandError, match="at least 2"):
        call_command("export_ctdc", "--k", "1", "--output", str(tmp_path / "x.csv"))


def test_the_plan_suppresses_what_no_generalisation_hides():
    counts = Counter({("2021", "Female", "24--26", "Adult", "NG", "DK"): 1})
    plan = kanon.plan(counts, 2)
    assert plan.suppressed == 1
    assert plan.kept == 0
