import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("alice_client", "cases:my_work"),
        ("bob_client", "cases:my_work"),
        ("carol_client", "cases:list"),
        ("dave_client", "cases:referrals"),
        ("erin_client", "cases:referrals"),
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
