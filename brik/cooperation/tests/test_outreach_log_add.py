import datetime as dt

import pytest

from brik.cooperation import services
from brik.cooperation.models import OutreachLog
from brik.core import choices


def add(actor, organisation, **overrides):
    values = {
        "held_on": dt.date(2021, 6, 1),
        "place_type": choices.PlaceType.BROTHEL,
        "region": choices.Region.HOVEDSTADEN,
        "women": 3,
    }
    values.update(overrides)
    return services.outreach_log_add(actor=actor, organisation=organisation, **values)


def test_it_logs_anonymous_counts_of_an_outreach_round(today, erin, ngo, logged):
    log = add(erin, ngo, men=2, trans=1, unknown=1, referrals_made=2, note=" Clinic visits ")

    log.refresh_from_db()
    assert (log.women, log.men, log.trans, log.unknown, log.referrals_made) == (3, 2, 1, 1, 2)
    assert log.contacts == 7
    assert (log.organisation, log.logged_by, log.note) == (ngo, erin, "Clinic visits")
    row = logged("brik.outreach_log.added", actor=erin, obj=log)
    assert row.data == {
        "organisation": ngo.pk,
        "held_on": "2021-06-01",
        "women": 3,
        "men": 2,
        "trans": 1,
        "unknown": 1,
        "referrals_made": 2,
    }


def test_it_allows_a_round_that_met_no_one(today, erin, ngo):
    log = add(erin, ngo, women=0)

    assert log.contacts == 0


def test_it_refuses_an_organisation_that_is_not_an_ngo(today, dave, police, refused):
    with refused("Outreach is logged by NGOs; “Østjyllands Politi” is not an NGO.", code="not_ngo"):
        add(dave, police)
    assert not OutreachLog.objects.exists()


def test_it_refuses_more_referrals_than_contacts(today, erin, ngo, refused):
    with refused("Referrals made (4) cannot exceed the persons contacted (3)."):
        add(erin, ngo, referrals_made=4)


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("women", "Women"),
        ("men", "Men"),
        ("trans", "Transgender / non-conforming"),
        ("unknown", "Gender unknown"),
        ("referrals_made", "Referrals made"),
    ],
)
def test_it_refuses_negative_counts(today, erin, ngo, refused, field, label):
    with refused(f"{label} must be a whole number of at least 0."):
        add(erin, ngo, **{field: -1})


def test_it_refuses_a_count_that_is_not_a_whole_number(today, erin, ngo, refused):
    with refused("Men must be a whole number of at least 0."):
        add(erin, ngo, men=1.5)


def test_it_refuses_a_date_in_the_future(today, erin, ngo, refused):
    with refused("The outreach date cannot be in the future.", code="future_date"):
        add(erin, ngo, held_on=dt.date(2021, 6, 16))


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (
            "Met Ana, call her on +45 12 34 56 78",
            "Outreach notes are anonymous: leave out phone numbers and CPR numbers.",
        ),
        (
            "her mail is someone@example.org",
            "Outreach notes are anonymous: leave out e-mail addresses "
            "(also when written with [at] or similar).",
        ),
    ],
)
def test_it_refuses_a_note_with_contact_details(today, erin, ngo, refused, note, message):
    with refused(message, code="note_identifies"):
        add(erin, ngo, note=note)


def test_a_note_may_mention_dates_and_counts(today, erin, ngo):
    log = add(erin, ngo, note="Round on 2021-06-01: 3 women, 2 new since 15.05")

    assert log.note.startswith("Round on")


def test_it_refuses_a_long_note(today, erin, ngo, refused):
    with refused("Keep the note under 500 characters.", code="note_too_long"):
        add(erin, ngo, note="x" * 501)


def test_it_refuses_an_unknown_place(today, erin, ngo, refused):
    with refused("Unknown place: bar."):
        add(erin, ngo, place_type="bar")
