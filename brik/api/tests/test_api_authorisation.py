"""The authorisation matrix, against the API: every operation × every role of the web
matrix's cast × the records of other organisations and guessed ids.

A token has every scope here, so only the access policy decides: a role gets in
where the web lets it (`brik.accounts.tests.test_authorisation_matrix`); everyone
else gets 403 (the ability is missing) or 404 (the record is out of reach), with
no data of the case in the answer, and nothing changed. Without a token: 401.
"""

import json
import uuid
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from brik.accounts.tests import test_authorisation_matrix as matrix
from brik.api.endpoints import api
from brik.api.tests.conftest import bearer, make_token
from brik.cases.models import Assessment, Case, Interview

world_db = matrix.world_db  # made once for this module too
world = matrix.world

CENTRE = {"alice", "bob"}
PARTNERS = {"dave", "erin", "mallory"}
EVERYONE = set(matrix.LOGGED_IN)


@dataclass(frozen=True)
class Entry:
    allowed: frozenset
    # Of those without the ability: refused with 403. Those with it but without
    # reach (another organisation's record): 404.
    reach: frozenset | None = None  # None: every allowed user reaches the record
    body: object = None


def _referral(w):
    return {
        "given_names": "Nyt",
        "family_name": "Menneske",
        "gender": "man",
        "referred_on": "2021-06-01",
        "citizenships": ["UA"],
    }


def _decision(w):
    return {
        "decided_on": "2021-06-01",
        "deciding_authority": "centre",
        "outcome": "identified",
        "exploitation_forms": ["labour"],
    }


def _body(**values):
    return lambda w: values


# The other workflow steps: a valid body each (the workflow may still refuse the step).
STEP_BODIES = {
    "screening": _body(screened_on="2021-06-01", safe_to_contact="yes"),
    "interviews/record": _body(held_on="2021-06-01"),
    "interviews/cancel": _body(interview=1),
    "reflection": _body(starts_on="2021-06-01"),
    "reflection/extend": _body(
        new_ends_on="2021-09-01", reason="special_reasons", extended_on="2021-06-01"
    ),
    "support": _body(kind="medical", starts_on="2021-06-01"),
    "support/end": _body(measure=1, ends_on="2021-06-01"),
    "return/offer": _body(offered_on="2021-06-01"),
    "return/accept": _body(
        accepted_on="2021-06-01", destination_country="UA", destination_kind="home"
    ),
    "return/decline": _body(declined_on="2021-06-01"),
    "return/depart": _body(departed_on="2021-06-01", follow_up_months=6),
    "follow-ups": _body(held_on="2021-06-01", status="on_track"),
    "stay": _body(basis="asylum", stay_from="2021-06-01"),
    "close": _body(closed_on="2021-06-01", reason="other"),
    "reopen": _body(reopened_on="2021-06-01", reason="other"),
    "amend": _body(target="case.referred_on", value="2021-05-01", reason="Typo"),
}

# method, path (with {case} for the world's case) → who gets in
OPERATIONS = {
    ("POST", "/api/v1/referrals"): Entry(frozenset(CENTRE | PARTNERS), body=_referral),
    ("GET", "/api/v1/referrals"): Entry(frozenset(PARTNERS)),
    ("GET", "/api/v1/referrals/{case}"): Entry(frozenset(PARTNERS), reach=frozenset({"dave"})),
    ("GET", "/api/v1/cases"): Entry(frozenset(CENTRE | {"carol"})),
    ("GET", "/api/v1/cases/{case}"): Entry(frozenset(CENTRE)),
    ("POST", "/api/v1/cases/{case}/assign"): Entry(
        frozenset(CENTRE), body=lambda w: {"caseworker": None}
    ),
    ("POST", "/api/v1/cases/{case}/interviews"): Entry(
        frozenset(CENTRE), body=lambda w: {"planned_for": "2021-06-01T10:00:00Z"}
    ),
    ("POST", "/api/v1/cases/{case}/decision"): Entry(frozenset(CENTRE), body=_decision),
    **{
        ("POST", f"/api/v1/cases/{{case}}/{step}"): Entry(frozenset(CENTRE), body=body)
        for step, body in STEP_BODIES.items()
    },
    ("GET", "/api/v1/statistics/publications"): Entry(frozenset(EVERYONE)),
    ("GET", "/api/v1/statistics/publications/2020"): Entry(frozenset(EVERYONE)),
    ("GET", "/api/v1/statistics/aggregates?year=2021"): Entry(frozenset(CENTRE | {"carol"})),
}

GUESSED_IDS = (0, -1, 2**31, 2**63, 10**30)


def _schema_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }


def _template(method: str, path: str) -> tuple[str, str]:
    path = path.split("?")[0].replace("{case}", "{case_id}")
    path = path.replace("{case_id}", "{referral_id}") if "/referrals/" in path else path
    return method, path.replace("/2020", "/{year}")


def test_every_api_operation_has_an_entry():
    assert {_template(m, p) for m, p in OPERATIONS} == _schema_operations()


def test_every_api_url_is_left_to_this_matrix_by_the_web_matrix():
    """The web matrix skips the API's operations (they answer tokens, not sessions)."""

    def names(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from names(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "api":
                yield f"api:{pattern.name}"

    api_names = set(names(get_resolver().url_patterns))
    assert api_names <= matrix.matrix_keys()


@pytest.fixture
def tokens(world):
    return {name: bearer(make_token(user)[1]) for name, user in world.users.items()}


def snapshot() -> tuple:
    return (
        list(Case.objects.order_by("pk").values()),
        Interview.objects.count(),
        Assessment.objects.count(),
    )


def call(client: Client, method: str, url: str, body=None):
    if method == "GET":
        return client.get(url)
    return client.post(
        url,
        json.dumps(body or {}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


def no_data(response, w) -> bool:
    return w.case.code not in response.text and "Syntetisk" not in response.text


@pytest.mark.parametrize(("method", "path"), sorted(OPERATIONS))
def test_who_gets_in_through_the_api(method, path, world, tokens):
    entry = OPERATIONS[(method, path)]
    url = path.replace("{case}", str(world.case.pk))
    body = entry.body(world) if entry.body else None
    wrong = []
    anonymous = call(Client(), method, url, body)
    if anonymous.status_code != 401:
        wrong.append(f"{method} {url} without a token: {anonymous.status_code}")
    for who, client in sorted(tokens.items()):
        before = snapshot()
        response = call(client, method, url, body)
        status = response.status_code
        if status >= 500:
            wrong.append(f"{method} {url} as {who}: {status}")
            continue
        if who in entry.allowed and (entry.reach is None or who in entry.reach):
            if status in (401, 403, 404):
                wrong.append(f"{method} {url} as {who}: refused ({status}), should get in")
            continue
        want = 404 if who in entry.allowed else 403
        if status != want:
            wrong.append(f"{method} {url} as {who}: {status}, not {want}")
        if not no_data(response, world):
            wrong.append(f"{method} {url} as {who}: the refusal shows the case")
        if method == "POST" and snapshot() != before:
            wrong.append(f"{method} {url} as {who}: refused, but something changed")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("method", "path"), sorted(key for key in OPERATIONS if "{case}" in key[1])
)
def test_guessed_ids_are_not_found_or_forbidden_never_more(method, path, world, tokens):
    entry = OPERATIONS[(method, path)]
    body = entry.body(world) if entry.body else None
    wrong = []
    for guess in GUESSED_IDS:
        url = path.replace("{case}", str(guess))
        for who, client in sorted(tokens.items()):
            response = call(client, method, url, body)
            # A guess that is no number of the schema's kind is invalid (422).
            want = {404, 422} if who in entry.allowed else {403, 422}
            if response.status_code not in want:
                wrong.append(f"{method} {url} as {who}: {response.status_code}")
            elif not no_data(response, world):
                wrong.append(f"{method} {url} as {who}: shows the case")
    assert not wrong, "\n".join(wrong)


def test_mallory_guessing_daves_referral_is_refused_everywhere(world, tokens):
    mallory = tokens["mallory"]
    case = world.case
    for method, path in OPERATIONS:
        if "{case}" not in path:
            continue
        entry = OPERATIONS[(method, path)]
        url = path.replace("{case}", str(case.pk))
        response = call(mallory, method, url, entry.body(world) if entry.body else None)
        assert response.status_code in (403, 404), (method, url)
        assert no_data(response, world)
    listed = mallory.get("/api/v1/referrals").json()["items"]
    assert case.pk not in [row["id"] for row in listed]
