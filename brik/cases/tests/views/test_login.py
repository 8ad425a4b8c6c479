from django.urls import reverse
from django_otp.oath import totp

from brik.accounts.services import totp_device_ensure
from brik.testing.factories import TEST_PASSWORD


def test_the_login_page_has_a_labelled_form(client, db):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_username"' in page
    assert 'for="id_password"' in page


def test_a_caseworker_logs_in_and_lands_on_my_work(client, alice):
    # A caseworker's login has a second step: the code from her authenticator app.
    device = totp_device_ensure(user=alice).device
    client.post(reverse("login"), {"username": "alice", "password": TEST_PASSWORD})
    response = client.post(
        reverse("accounts:two_factor"),
        {"code": f"{totp(device.bin_key):06d}", "next": reverse("home")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("cases:my_work")


def test_a_wrong_password_is_refused_with_a_message(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_logging_out_takes_a_post_and_ends_the_session(alice_client):
    response = alice_client.post(reverse("logout"))
    assert response.status_code == 302
    assert alice_client.get(reverse("cases:my_work")).status_code == 302
