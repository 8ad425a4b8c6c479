from django.urls import reverse

from brik.cases.tests.views.conftest import send
from brik.cooperation.models import OutreachLog

URL = reverse("cooperation:outreach")


def round_(**overrides):
    data = {
        "held_on": "2021-06-14",
        "place_type": "street",
        "region": "hovedstaden",
        "sector": "prostitution",
        "women": "5",
        "men": "1",
        "trans": "1",
        "unknown": "0",
        "referrals_made": "2",
        "note": "",
    }
    data.update(overrides)
    return data


def test_an_outreach_worker_logs_a_round_for_their_ngo(erin_client, erin, ngo, today):
    response = send(erin_client, URL, round_())
    log = OutreachLog.objects.get()
    assert log.organisation == ngo
    assert log.contacts == 7
    assert response.status_code == 302


def test_after_a_round_the_next_form_starts_from_the_same_place(erin_client, today):
    response = send(erin_client, URL, round_())
    page = erin_client.get(response.url).content.decode()
    assert 'value="2021-06-14"' in page
    assert '<option value="street" selected>' in page


def test_more_referrals_than_contacts_are_refused_next_to_the_field(erin_client, today):
    response = send(erin_client, URL, round_(referrals_made="9"))
    assert response.status_code == 422
    assert 'id="id_referrals_made_error"' in response.content.decode()
    assert not OutreachLog.objects.exists()


def test_a_phone_number_in_the_note_is_refused(erin_client, today):
    response = send(erin_client, URL, round_(note="Call her on +45 12 34 56 78"))
    assert response.status_code == 422
    assert 'id="id_note_error"' in response.content.decode()


def test_a_negative_count_is_refused(erin_client, today):
    response = send(erin_client, URL, round_(women="-1"))
    assert response.status_code == 422


def test_the_page_shows_this_years_totals(erin_client, outreach_log):
    page = erin_client.get(URL).content.decode()
    assert "June 2021" in page


def test_an_outreach_worker_sees_only_their_own_rounds(erin_client, outreach_log, ngo, today):
    from brik.cooperation import services
    from brik.testing.factories import OrganisationFactory, UserFactory

    other = OrganisationFactory(name="HopeNow", type="ngo")
    colleague = UserFactory(username="olga", organisation=other, role="outreach")
    services.outreach_log_add(
        actor=colleague,
        organisation=other,
        held_on=outreach_log.held_on,
        place_type="online",
        region="sjaelland",
        women=1,
    )
    page = erin_client.get(URL).content.decode()
    assert "HopeNow" not in page


def test_a_partner_referrer_cannot_log_outreach(dave_client):
    assert dave_client.get(URL).status_code == 403
