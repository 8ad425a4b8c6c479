"""Every error is a problem+json document (RFC 9457), with the fields it is about."""

import pytest

from brik.api import selectors
from brik.cases.models import Case

PROBLEM = "application/problem+json"


def test_an_unexpected_error_is_a_500_problem_without_details(api_as, dave, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "referral_page", broken)
    response = api_as(dave).get("/api/v1/referrals")
    assert response.status_code == 500
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"].endswith("/server-error")
    assert "secret internals" not in response.text


@pytest.mark.parametrize(
    ("url", "status", "fields"),
    [
        ("/api/v1/referrals?limit=0", 422, {"limit"}),
        ("/api/v1/referrals?limit=201", 422, {"limit"}),
        ("/api/v1/referrals/not-a-number", 422, {"referral_id"}),
        ("/api/v1/referrals/123456", 404, set()),
        ("/api/v1/statistics/aggregates", 422, {"year"}),
        ("/api/v1/statistics/aggregates?year=2021", 403, set()),
    ],
)
def test_refusals_are_problems_naming_their_fields(api_as, dave, url, status, fields):
    response = api_as(dave).get(url)
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "errors"} <= set(body)
    assert {e["field"] for e in body["errors"]} == fields


def test_a_body_that_is_not_json_is_a_400_problem(api_as, dave):
    response = api_as(dave).post(
        "/api/v1/referrals", "{not json", content_type="application/json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert not Case.objects.exists()
