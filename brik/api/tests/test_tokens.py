"""API tokens: made on the web page and shown once, stored only as a keyed digest,
scoped, expiring, revocable, with their last use; and the calls' authentication."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from brik.api import services
from brik.api.models import ApiToken, RateWindow
from brik.api.tests.conftest import bearer, make_token
from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog

PAGE = "/account/api-tokens/"


def logged_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def form_token(client) -> str:
    page = client.get(PAGE).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def make_on_the_page(client, **values):
    data = {
        "form_token": form_token(client),
        "name": "Case system",
        "scopes": ["referrals:write", "referrals:read"],
        "expires_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        **values,
    }
    return client.post(PAGE, data), data


def test_the_secret_is_shown_once_and_stored_only_as_a_digest(dave):
    client = logged_in(dave)
    response, data = make_on_the_page(client)
    assert response.status_code == 200
    secret = re.search(r'<code id="new-token">(brik_[^<]+)</code>', response.content.decode())[1]
    token = ApiToken.objects.get()
    assert secret not in str(list(ApiToken.objects.values()))
    assert token.digest == services.token_digest(secret)
    assert secret not in client.get(PAGE).content.decode()
    # Sent twice (a double click): one token, and the secret is not shown again.
    again = client.post(PAGE, data)
    assert again.status_code == 302
    assert ApiToken.objects.count() == 1
    assert ActionLog.objects.filter(action=AuditEvent.API_TOKEN_CREATED).count() == 1
    assert bearer(secret).get("/api/v1/referrals").status_code == 200


def test_an_expiry_beyond_a_year_or_in_the_past_is_refused(dave):
    client = logged_in(dave)
    for day in (timezone.localdate() + dt.timedelta(days=400), timezone.localdate()):
        response, _ = make_on_the_page(client, expires_on=day.isoformat())
        assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_only_a_lead_or_administrator_makes_an_organisation_token(dave, bob, frank):
    # A partner's form has no choice of whose token; sending it anyway makes a personal one.
    response, _ = make_on_the_page(logged_in(dave), kind="organisation")
    assert response.status_code == 200
    assert ApiToken.objects.get().organisation is None
    response, _ = make_on_the_page(logged_in(bob), kind="organisation")
    assert response.status_code == 200
    assert ApiToken.objects.get(user=bob).organisation == bob.organisation


def test_revoking_stops_the_token_and_is_audited(dave, mallory, bob, alice):
    token, secret = make_token(dave)
    client = bearer(secret)
    assert client.get("/api/v1/referrals").status_code == 200
    # Another organisation's user cannot revoke it (and does not learn it exists).
    assert logged_in(mallory).post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert logged_in(dave).post(f"{PAGE}{token.pk}/revoke/").status_code == 302
    response = client.get("/api/v1/referrals")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert ActionLog.objects.filter(action=AuditEvent.API_TOKEN_REVOKED).count() == 1
    # A lead revokes the organisation's tokens, not a colleague's personal ones.
    org_token, _ = make_token(bob, for_organisation=True)
    personal, _ = make_token(alice)
    lead = logged_in(bob)
    assert lead.post(f"{PAGE}{org_token.pk}/revoke/").status_code == 302
    assert lead.post(f"{PAGE}{personal.pk}/revoke/").status_code == 404


def test_an_expired_token_or_an_inactive_user_is_refused(dave):
    _, secret = make_token(dave, days=1)
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        assert bearer(secret).get("/api/v1/referrals").status_code == 401
    dave.is_active = False
    dave.save()
    assert bearer(secret).get("/api/v1/referrals").status_code == 401


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer brik_", "Bearer brik_x_y", "Basic Zm9vOmJhcg==", "Bearer " + "a" * 5000],
)
def test_no_token_or_a_wrong_one_is_a_401_problem(header, dave):
    make_token(dave)
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get("/api/v1/referrals")
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_web_session_does_not_open_the_api(dave):
    assert logged_in(dave).get("/api/v1/referrals").status_code == 401


def test_a_token_never_exceeds_its_scopes_nor_its_users_abilities(dave, alice):
    _, read_only = make_token(dave, ["referrals:read"])
    body = '{"referred_on": "2021-05-03"}'
    response = bearer(read_only).post(
        "/api/v1/referrals", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 403
    assert "referrals:write" in response.json()["detail"]
    # With every scope, a partner still cannot list cases: the policy is the user's.
    _, everything = make_token(dave)
    assert bearer(everything).get("/api/v1/cases").status_code == 403
    _, no_cases = make_token(alice, ["referrals:write"])
    forbidden = bearer(no_cases).get("/api/v1/cases")
    assert forbidden.status_code == 403
    assert "cases:read" in forbidden.json()["detail"]


def test_last_use_is_written_at_most_once_a_minute(dave, django_assert_max_num_queries):
    token, secret = make_token(dave)
    client = bearer(secret)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/api/v1/referrals")
        token.refresh_from_db()
        first = token.last_used_at
        assert first == start
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        client.get("/api/v1/referrals")
        token.refresh_from_db()
        assert token.last_used_at == first
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        client.get("/api/v1/referrals")
        token.refresh_from_db()
        assert token.last_used_at == start + dt.timedelta(seconds=90)


def test_the_rate_limit_answers_429_with_retry_after(dave, settings):
    settings.BRIK_API_RATE_LIMIT = 3
    _, secret = make_token(dave)
    client = bearer(secret)
    start = timezone.now().replace(second=10, microsecond=0)
    with time_machine.travel(start, tick=False):
        assert [client.get("/api/v1/referrals").status_code for _ in range(4)] == [
            200,
            200,
            200,
            429,
        ]
        refused = client.get("/api/v1/referrals")
        assert refused["Retry-After"] == "50"
        assert refused["Content-Type"] == "application/problem+json"
        # Another token of the same user has its own count.
        assert bearer(make_token(dave)[1]).get("/api/v1/referrals").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        assert client.get("/api/v1/referrals").status_code == 200
        # The old minute's count is dropped when a new one starts.
        assert (
            RateWindow.objects.filter(starts_at__lt=start + dt.timedelta(seconds=50)).count() == 1
        )
