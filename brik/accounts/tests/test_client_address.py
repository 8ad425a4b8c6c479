"""Behind trusted reverse proxies, the lockout and the action log see the real client."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from brik.accounts.addresses import client_ip
from brik.audit.models import ActionLog
from brik.testing.factories import TEST_PASSWORD

PROXY = "10.0.0.2"
LOGIN = reverse("login")


def request(forwarded=None, peer=PROXY):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def one_proxy(settings):
    settings.BRIK_PROXY_COUNT = 1


def test_without_proxies_the_header_is_ignored(settings):
    settings.BRIK_PROXY_COUNT = 0
    assert client_ip(request("203.0.113.5", peer="198.51.100.1")) == "198.51.100.1"


def test_behind_one_proxy_the_address_it_forwarded_is_the_client(one_proxy):
    assert client_ip(request("203.0.113.5")) == "203.0.113.5"


def test_entries_the_client_added_itself_are_not_believed(one_proxy):
    assert client_ip(request("192.0.2.66, 198.51.100.77, 203.0.113.5")) == "203.0.113.5"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.BRIK_PROXY_COUNT = 2
    assert client_ip(request("192.0.2.66, 203.0.113.5, 10.0.0.1")) == "203.0.113.5"


def test_fewer_entries_than_proxies_take_the_leftmost_trusted_one(settings):
    settings.BRIK_PROXY_COUNT = 2
    assert client_ip(request("203.0.113.5")) == "203.0.113.5"


def test_without_the_header_the_peer_is_the_client(one_proxy):
    assert client_ip(request()) == PROXY
    assert client_ip(request("")) == PROXY


def test_a_malformed_entry_falls_back_to_the_peer(one_proxy):
    assert client_ip(request("not-an-address")) == PROXY
    assert client_ip(request("2001:db8::1")) == "2001:db8::1"


def attempt(client, username, password, forwarded):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_wrong_passwords_from_one_client_do_not_lock_out_another_behind_the_proxy(
    one_proxy, carol, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "carol", "wrong-password", "203.0.113.5")
    assert attempt(Client(), "carol", TEST_PASSWORD, "203.0.113.5").status_code == 429

    # Carol herself, at her own address, still gets in.
    assert attempt(Client(), "carol", TEST_PASSWORD, "198.51.100.20").status_code == 302


def test_a_forged_header_does_not_escape_the_lockout(one_proxy, carol, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "carol", "wrong-password", f"192.0.2.{n}, 203.0.113.5")

    response = attempt(Client(), "carol", TEST_PASSWORD, "192.0.2.200, 203.0.113.5")

    assert response.status_code == 429


def test_the_action_log_records_the_client_not_the_proxy(one_proxy, carol):
    attempt(Client(), "carol", "wrong-password", "192.0.2.66, 203.0.113.5")
    client = Client()
    attempt(client, "carol", TEST_PASSWORD, "203.0.113.9")
    client.post(reverse("logout"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert ActionLog.objects.get(action="brik.user.login_failed").data["ip"] == "203.0.113.5"
    assert ActionLog.objects.get(action="brik.user.logged_in").data["ip"] == "203.0.113.9"
    assert ActionLog.objects.get(action="brik.user.logged_out").data["ip"] == "203.0.113.9"
