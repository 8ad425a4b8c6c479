import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("alice_client", "cases:my_work"),
        ("bob_client", "cases:my_work"),
        ("carol_client", "statistics:index"),
        ("dave_client", "cases:referrals"),
        ("erin_client", "cooperation:outreach"),
    ],
)
def test_the_front_page_sends_each_role_to_where_their_day_starts(request, who, lands_on):
    client = request.getfixturevalue(who)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(lands_on)


def test_the_front_page_asks_an_anonymous_visitor_to_log_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("login")


def test_an_administrator_without_case_work_goes_to_the_admin(client, frank):
    client.force_login(frank)
    response = client.get(reverse("home"))
    assert response.url == reverse("admin:index")


def test_an_auditor_lands_on_the_audit_search(client, oscar):
    client.force_login(oscar)
    response = client.get(reverse("home"))
    assert response.url == reverse("audit:search")


def test_a_partner_tells_referrals_apart_by_date_reference_and_consented_initials(
    dave_client, dave, police
):
    from brik.audit.models import ActionLog
    from brik.cases import services
    from brik.testing.factories import referral_kwargs

    shared = services.case_refer(
        actor=dave,
        referring_organisation=police,
        consent_to_share=True,
        partner_reference="J-2021-0042",
        **referral_kwargs(identity={"given_names": "Amara Joy", "family_name": "Okafor"}),
    )
    private = services.case_refer(
        actor=dave,
        referring_organisation=police,
        partner_reference="J-2021-0043",
        **referral_kwargs(identity={"given_names": "Bisi", "family_name": "Adeyemi"}),
    )
    page = dave_client.get(reverse("cases:referrals")).content.decode()
    assert "J-2021-0042" in page
    assert "J-2021-0043" in page
    assert "A. J. O." in page
    assert "B. A." not in page
    assert "Okafor" not in page
    assert "Adeyemi" not in page
    # Showing the initials is a read of personal data: one audit row, for that case only.
    reads = ActionLog.objects.filter(action="brik.referral.initials_viewed")
    assert list(reads.values_list("case_id", flat=True)) == [shared.pk]
    assert private.pk not in reads.values_list("case_id", flat=True)
