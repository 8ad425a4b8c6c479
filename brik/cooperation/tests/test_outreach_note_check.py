"""The outreach note check: it recognises what it says it does, and says what it cannot.

Refused: contact details however written (12-34-56-78, name[at]host), dates of
birth, street addresses. Not recognised, and said so in the form: names.
"""

import datetime as dt

import pytest
from django.urls import reverse

from brik.cases.tests.views.conftest import login, send
from brik.cooperation import services
from brik.cooperation.anonymity import outreach_note_refusal
from brik.core import choices


def add(erin, ngo, note):
    return services.outreach_log_add(
        actor=erin,
        organisation=ngo,
        held_on=dt.date(2021, 6, 1),
        place_type=choices.PlaceType.STREET,
        region=choices.Region.HOVEDSTADEN,
        women=1,
        note=note,
    )


@pytest.mark.parametrize(
    "note",
    [
        "Call 12-34-56-78",
        "Ring 12 34 56 78 i morgen",
        "+45 1234 5678",
        "CPR 010190-1234",
        "anna[at]example.dk",
        "anna [at] example [dot] dk",
        "anna (at) example dot com",
        "anna snabel-a hotmail.com",
        "Maria Jensen, født 12-03-1990, Istedgade 12, 1650 København V",
        "Maria Jensen, born 12 March 1990",
        "Maria Jensen, 12.3.90",
        "Maria Jensen bor på Vesterbrogade 3B",
        "She lives at 12 Baker Street",
    ],
)
def test_the_check_refuses_contact_details_dates_of_birth_and_addresses(
    today, erin, ngo, note, refused
):
    with refused(outreach_note_refusal(note), code="note_identifies") as info:
        add(erin, ngo, note)
    assert sorted(info.value.error_dict) == ["note"]


@pytest.mark.parametrize(
    "note",
    [
        "Round on 2021-06-01: 3 women, 2 new since 15.05",
        "Mødte 5 kvinder på Istedgade kl. 22.00-02.00",
        "3 women in the square, aged 20-25",
        "Mødte 12 kvinder i København 2 gange",
    ],
)
def test_the_check_lets_an_ordinary_note_through(today, erin, ngo, note):
    assert add(erin, ngo, note).note == note


def test_a_name_alone_is_not_recognised_and_the_form_says_so(today, erin, ngo):
    assert add(erin, ngo, "Maria Jensen").note == "Maria Jensen"

    page = login(erin).get(reverse("cooperation:outreach")).content.decode()

    assert "It cannot recognise names" in page


def test_the_form_shows_the_refusal_next_to_the_note(today, erin):
    response = send(
        login(erin),
        reverse("cooperation:outreach"),
        {
            "held_on": "2021-06-01",
            "place_type": "street",
            "region": "hovedstaden",
            "women": "1",
            "men": "0",
            "trans": "0",
            "unknown": "0",
            "referrals_made": "0",
            "note": "anna[at]example.dk",
        },
    )

    assert response.status_code == 422
    assert response.context["form"].errors["note"] == [
        "Outreach notes are anonymous: leave out e-mail addresses "
        "(also when written with [at] or similar)."
    ]
