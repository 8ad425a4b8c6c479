"""Fixtures for the view tests: logged-in clients for the named users, and a
helper that sends a form the way a browser does (with a fresh one-time token)."""

import secrets

import pytest
from django.test import Client


def login(user, language: str = "en") -> Client:
    """A logged-in client; English unless asked, so assertions can name the words."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    return login(alice)


@pytest.fixture
def bob_client(bob):
    return login(bob)


@pytest.fixture
def carol_client(carol):
    return login(carol)


@pytest.fixture
def dave_client(dave):
    return login(dave)


@pytest.fixture
def erin_client(erin):
    return login(erin)


@pytest.fixture
def mallory_client(mallory):
    return login(mallory)


def send(client, url, data=None, *, htmx=False, token=None, **extra):
    """POST a form with a one-time token, as the rendered form would carry."""
    payload = {"form_token": token or secrets.token_urlsafe(16)}
    payload.update(data or {})
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(url, payload, **headers, **extra)


@pytest.fixture
def in_support_case(identified_case, alice):
    """Identified 10 March 2021; reflection period started the same day (ends 9 April)."""
    import datetime as dt

    from brik.cases import services

    services.reflection_start(actor=alice, case=identified_case, starts_on=dt.date(2021, 3, 10))
    return identified_case


def section(page: str, section_id: str) -> str:
    """The HTML of one <section id=...> of a page."""
    start = page.index(f'id="{section_id}"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def departed_case(in_support_case, alice, partner_abroad):
    """A prepared return offered 15 March 2021, accepted 16 March, departed 20 March."""
    import datetime as dt

    from brik.cases import services

    case = in_support_case
    services.return_offer(actor=alice, case=case, offered_on=dt.date(2021, 3, 15))
    services.return_accept(
        actor=alice,
        case=case,
        accepted_on=dt.date(2021, 3, 16),
        destination_country="NG",
        destination_kind="home",
        reintegration_partner=partner_abroad,
    )
    services.return_depart(actor=alice, case=case, departed_on=dt.date(2021, 3, 20))
    return case
