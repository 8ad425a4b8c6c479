"""The differentially private synthetic public-use dataset and its utility report."""

import csv
import json
import secrets
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.core import choices as c
from brik.exchange import synthetic
from brik.exchange.models import SyntheticRelease
from brik.exchange.tests.conftest import refer
from brik.testing.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- the utility report, on figures worked out by hand -------------------------------------


def test_the_utility_report_compares_every_marginal_and_hides_small_true_counts():
    row = ["2021", "woman", "18-20", "EU", "sexual", "identified", "no"]
    other = ["2021", "man", "30-38", "non-EU", "forced_labour", "identified", "no"]
    true = [row] * 6 + [other] * 2  # "man" occurs twice: below the threshold of 5
    drawn = [row] * 4 + [other] * 3

    marginals = synthetic.utility_report(true, drawn, threshold=5)

    assert len(marginals) == 7 + 21 + 35
    gender = next(m for m in marginals if m["attributes"] == ["gender"])
    # woman: 4 drawn against 6 true; man: 2 true is suppressed, not compared.
    assert gender == {
        "attributes": ["gender"],
        "cells_compared": 1,
        "mean_abs_error": 2.0,
        "max_abs_error": 2,
        "suppressed": [["man"]],
    }
    year = next(m for m in marginals if m["attributes"] == ["year"])
    assert (year["mean_abs_error"], year["suppressed"]) == (1.0, [])  # 7 against 8
    decision_returned = next(
        m for m in marginals if m["attributes"] == ["year", "decision", "returned"]
    )
    assert decision_returned["max_abs_error"] == 1


def test_a_combination_only_the_synthetic_data_has_counts_against_a_true_zero():
    true = [["2021", "woman", "18-20", "EU", "sexual", "identified", "no"]] * 5
    drawn = [*true, ["2021", "man", "18-20", "EU", "sexual", "identified", "no"]]

    gender = synthetic.utility_report(true, drawn, threshold=5)[1]

    assert gender["attributes"] == ["gender"]
    assert (gender["cells_compared"], gender["max_abs_error"]) == (2, 1)


# --- the command -------------------------------------------------------------------


@pytest.fixture(scope="module")
def decided(django_db_setup, django_db_blocker):
    """240 decided cases of 2021, made once for the module and rolled back after it.

    pac-synth releases only counts that stand out from the noise, so a synthetic
    dataset needs some hundred records (ε = 10 here; a real year has more cases).
    With 120 cases about 1 draw in 300 released no record at all (measured over
    2,000 draws), which made the suite fail now and then; 240 gave none in 2,000.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        police = OrganisationFactory(
            name="Syd- og Sønderjyllands Politi", type=c.OrganisationType.POLICE
        )
        referrer = UserFactory(
            username="synthetic-referrer", organisation=police, role=c.Role.REFERRER
        )
        cases = (
            refer(referrer, police, 100)
            + refer(referrer, police, 80, citizenships=["RO"])
            + refer(referrer, police, 60, outcome=c.Outcome.NOT_IDENTIFIED)
        )
        yield cases
        transaction.set_rollback(True)


def test_the_command_writes_the_data_and_the_utility_report(decided, tmp_path):
    out = StringIO()
    call_command(
        "synthetic_release", "2021", "--epsilon", "10", "--output", str(tmp_path), stdout=out
    )

    data = list(csv.reader((tmp_path / "brik-synthetic-2021.csv").open(encoding="utf-8")))
    assert data[0] == synthetic.ATTRIBUTES
    assert len(data) > 1
    # An empty cell: pac-synth drew no value for that attribute of the record.
    assert {row[0] for row in data[1:]} <= {"2021", ""}
    assert {row[5] for row in data[1:]} <= {"identified", "not_identified", ""}
    report = json.loads((tmp_path / "brik-synthetic-2021-utility.json").read_text())
    assert (report["epsilon"], report["delta"]) == (10.0, synthetic.DEFAULT_DELTA)
    assert len(report["marginals"]) == 63
    assert report["records"] == len(data) - 1
    text = (tmp_path / "brik-synthetic-2021-utility.md").read_text()
    assert "ε = 10, δ = 1e-06" in text
    assert "gender × age_band × citizenship" in text
    assert "ε=10" in out.getvalue()
    release = SyntheticRelease.objects.get()
    assert release.published_at is None
    entry = ActionLog.objects.get(action=AuditEvent.EXCHANGE_SYNTHETIC_MADE)
    assert entry.data["epsilon"] == 10.0


def test_no_case_code_or_date_is_in_the_synthetic_data(decided, tmp_path):
    call_command("synthetic_release", "2021", "--epsilon", "10", "--output", str(tmp_path))

    text = (tmp_path / "brik-synthetic-2021.csv").read_text()
    assert all(case.code not in text for case in decided)
    assert "2021-03-10" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2021", "--epsilon", "0"], "Epsilon must be"),
        (["2021", "--epsilon", "50"], "Epsilon must be"),
        (["2021", "--epsilon", "1", "--delta", "0.5"], "Delta must be"),
        (["2999", "--epsilon", "1"], "Choose a year from 2000"),
        (["2019", "--epsilon", "1"], "No case was decided"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(decided, tmp_path, args, message):
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("synthetic_release", *args, "--output", str(tmp_path))
    assert not SyntheticRelease.objects.exists()


@pytest.mark.usefixtures("db")
def test_too_few_cases_for_the_noise_is_a_clear_refusal(dave, police, tmp_path):
    refer(dave, police, 1)
    with pytest.raises(CommandError, match="ε"):  # "Too few cases ... at this ε"
        call_command("synthetic_release", "2021", "--epsilon", "0.1", "--output", str(tmp_path))


# --- the web: made and published by who publishes the annual report --------------------


def _make(client, user, **data):
    client.force_login(user)
    values = {
        "years": "2021",
        "epsilon": "10",
        "delta": "1e-6",
        "form_token": secrets.token_urlsafe(24),
    }
    return client.post(reverse("exchange:synthetic"), values | data)


def test_the_analyst_makes_confirms_and_publishes_a_release(client, carol, decided):
    response = _make(client, carol)
    release = SyntheticRelease.objects.get()
    assert ActionLog.objects.filter(action=AuditEvent.EXCHANGE_SYNTHETIC_MADE, actor=carol).exists()
    assert response["Location"] == reverse("exchange:synthetic_publish", args=[release.pk])
    data_url = reverse("exchange:synthetic_file", args=[release.pk, "data.csv"])
    anonymous = client.__class__()
    assert anonymous.get(data_url).status_code == 302  # not public before it is published

    page = client.get(response["Location"])
    assert release.digest in page.content.decode()
    token = secrets.token_urlsafe(24)
    publish = {"confirmation": release.digest, "form_token": token}
    assert client.post(response["Location"], publish).status_code == 302
    assert client.post(response["Location"], publish).status_code == 302  # a double submit

    release.refresh_from_db()
    assert release.published_at is not None
    assert ActionLog.objects.filter(action=AuditEvent.EXCHANGE_SYNTHETIC_PUBLISHED).count() == 1
    public = anonymous.get(data_url)
    assert public.status_code == 200
    assert public.content == bytes(release.data_csv)
    report = anonymous.get(reverse("exchange:synthetic_file", args=[release.pk, "utility.json"]))
    assert json.loads(report.content)["epsilon"] == 10.0


def test_a_publication_with_another_digest_publishes_nothing(client, carol, decided):
    _make(client, carol)
    release = SyntheticRelease.objects.get()

    response = client.post(
        reverse("exchange:synthetic_publish", args=[release.pk]),
        {"confirmation": "0" * 64, "form_token": secrets.token_urlsafe(24)},
    )

    assert response.status_code == 422
    release.refresh_from_db()
    assert release.published_at is None


def test_a_bad_form_is_shown_again_with_its_errors(client, carol, decided):
    response = _make(client, carol, epsilon="nan", years="twenty")

    assert response.status_code == 422
    assert not SyntheticRelease.objects.exists()


@pytest.mark.parametrize("who", ["alice", "dave", "frank"])
def test_nobody_else_makes_a_release(client, request, decided, who):
    response = _make(client, request.getfixturevalue(who))
    assert response.status_code == 403
    assert not SyntheticRelease.objects.exists()


def test_the_menu_leads_to_the_synthetic_releases_only_for_who_may_make_them(client, carol, alice):
    link = f'href="{reverse("exchange:synthetic")}"'
    client.force_login(carol)  # the analyst
    assert link in client.get(reverse("statistics:index")).content.decode()
    client.force_login(alice)  # a caseworker
    assert link not in client.get(reverse("cases:my_work")).content.decode()
