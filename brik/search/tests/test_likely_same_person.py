"""The same matching warns the centre of a likely known person: on the referral
form (a spelling or transliteration of a known name), and on a partner's new
referral when centre staff open it. A partner never learns of it."""

import datetime as dt

from django.urls import reverse

from brik.cases import selectors
from brik.cases.tests.views.conftest import login, send
from brik.core import choices as c
from brik.search.tests.test_search import refer

URL = reverse("cases:refer")


def form(**overrides) -> dict:
    data = {
        "given_names": "Muhammad",
        "family_name": "Hasan",
        "date_of_birth": "1990-04-03",
        "gender": c.Gender.WOMAN,
        "citizenships": ["NG"],
        "referred_on": "2021-05-01",
        "channel": c.ReferralChannel.PARTNER,
        "urgency": c.Urgency.SOON,
        "indicators": [c.Indicator.DECEPTION],
    }
    data.update(overrides)
    return data


def test_a_differently_spelt_known_name_is_offered_as_a_possible_match(alice, dave, police):
    known = refer(dave, police, "Mohammed", "Hassan", born=dt.date(1990, 4, 3))
    response = send(login(alice), URL, form(referring_organisation=police.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Is this person already known?" in page
    assert known.person.code in page
    assert "similar name, same date of birth" in page


def test_the_centre_sees_a_likely_known_person_on_a_partners_new_referral(
    alice, dave, police, other_police
):
    known = refer(alice, other_police, "Mohammed", "Hassan", born=dt.date(1990, 4, 3))
    response = send(login(dave), URL, form(referring_organisation=police.pk))
    assert response.status_code == 302  # the partner is told nothing and the case is made
    assert "already known" not in response.content.decode()
    new = selectors.cases_visible_to(dave).get()

    # The case page loads the check after it (HTMX), or links to it without JavaScript.
    centre = login(alice)
    page = centre.get(new.get_absolute_url()).content.decode()
    check = reverse("cases:likely_same", args=[new.pk])
    assert f'hx-get="{check}"' in page
    assert f'href="{check}"' in page
    note = centre.get(check, HTTP_HX_REQUEST="true").content.decode()
    assert "Likely existing person" in note
    assert known.person.code in note
    assert known.person.code in centre.get(check).content.decode()
    # ... not on the known person's own page about themselves, and not for the partner
    assert new.person.code not in [m.person.code for m in selectors.likely_existing_persons(new)]
    partner_page = login(dave).get(reverse("cases:referrals")).content.decode()
    assert "Likely existing person" not in partner_page
    assert known.person.code not in partner_page


def test_no_warning_for_a_different_person(alice, dave, police):
    refer(dave, police, "Mohammed", "Hassan", born=dt.date(1990, 4, 3))
    other = refer(dave, police, "Amina", "Okafor", born=dt.date(1990, 4, 3))
    assert selectors.likely_existing_persons(other) == []
