import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from brik.api import services
from brik.api.models import Scope

ALL_SCOPES = list(Scope.values)


def make_token(user, scopes=None, *, for_organisation=False, days=30):
    """A token of `user` and its secret, made as the web page makes it."""
    return services.token_create(
        actor=user,
        name=f"{user.username}'s system",
        scopes=ALL_SCOPES if scopes is None else scopes,
        expires_at=timezone.now() + dt.timedelta(days=days),
        for_organisation=for_organisation,
    )


def bearer(secret: str) -> Client:
    """A client that sends only the token: no session, no cookies."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def api_as():
    """api_as(user, scopes=None) -> a client calling the API with a new token of user's."""

    def make(user, scopes=None):
        return bearer(make_token(user, scopes)[1])

    return make


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
