"""Partners send referrals through the API as through the web form, once per
Idempotency-Key, and read where their own referrals stand (consent rules)."""

import json

import pytest

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.cases.models import Case
from brik.cases.services import case_refer
from brik.core import choices as c
from brik.testing.factories import referral_kwargs

URL = "/api/v1/referrals"

REFERRAL = {
    "given_names": "Ada",
    "family_name": "Syntetisk",
    "gender": "woman",
    "birth_year": 1990,
    "citizenships": ["RO"],
    "referred_on": "2021-05-03",
    "indicators": [],
    "consent_to_share": True,
}


def post(client, body, key="key-1"):
    return client.post(
        URL, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_partner_refers_and_the_case_is_made_once_per_key(api_as, dave, police):
    client = api_as(dave)
    first = post(client, REFERRAL)
    assert first.status_code == 201, first.content
    body = first.json()
    case = Case.objects.get(pk=body["id"])
    assert case.referral.referring_organisation == police
    assert case.referral.referred_by == dave
    assert body["code"] == case.code
    # The same request again (a retry after a lost answer): the same answer, no second case.
    again = post(client, REFERRAL)
    assert again.status_code == 201
    assert again.json() == body
    assert Case.objects.count() == 1
    assert ActionLog.objects.filter(action=AuditEvent.CASE_REFERRED).count() == 1


def test_the_same_key_with_another_body_is_refused_and_creates_nothing(api_as, dave):
    client = api_as(dave)
    assert post(client, REFERRAL).status_code == 201
    other = post(client, {**REFERRAL, "birth_year": 1991})
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Case.objects.count() == 1


def test_a_post_without_idempotency_key_is_refused(api_as, dave):
    response = api_as(dave).post(URL, json.dumps(REFERRAL), content_type="application/json")
    assert response.status_code == 422
    assert any(e["field"] == "Idempotency-Key" for e in response.json()["errors"])
    assert not Case.objects.exists()


def test_the_web_forms_validation_names_the_fields(api_as, dave):
    response = post(
        api_as(dave),
        {**REFERRAL, "referred_on": "2999-01-01", "citizenships": ["XX"], "gender": "robot"},
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422
    assert problem["type"].endswith("/validation")
    fields = {e["field"] for e in problem["errors"]}
    assert {"referred_on", "citizenships", "gender"} <= fields
    assert not Case.objects.exists()


def test_a_refused_request_can_be_corrected_under_the_same_key(api_as, dave):
    client = api_as(dave)
    assert post(client, {**REFERRAL, "gender": "robot"}).status_code == 422
    assert post(client, REFERRAL).status_code == 201


def test_a_malformed_body_is_a_problem_with_field_names(api_as, dave):
    response = post(api_as(dave), {**REFERRAL, "birth_year": "nineteen", "referred_on": None})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"birth_year", "referred_on"} <= fields


def test_a_partner_cannot_refer_for_another_organisation(api_as, dave, other_police):
    response = post(api_as(dave), {**REFERRAL, "referring_organisation": other_police.pk})
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.referral.referring_organisation == dave.organisation


def test_centre_staff_are_told_of_a_possible_duplicate_and_choose(api_as, alice, referred_case):
    client = api_as(alice)
    person = referred_case.person
    same = {
        **REFERRAL,
        "given_names": "Testa",
        "family_name": "Syntetisk",
        "birth_year": 1995,
        "citizenships": ["NG"],
        "referring_organisation": referred_case.referral.referring_organisation_id,
    }
    response = post(client, same, key="dup")
    assert response.status_code == 409, response.content
    assert str(person.pk) in response.json()["detail"]
    # The open case of the known person stops a second one, as on the web.
    chosen = post(client, {**same, "person_choice": str(person.pk)}, key="dup-2")
    assert chosen.status_code == 409, chosen.content
    assert [e["code"] for e in chosen.json()["errors"]] == ["open_case_exists"]
    new = post(client, {**same, "person_choice": "new"}, key="dup-3")
    assert new.status_code == 201
    assert Case.objects.count() == 2


def test_a_partner_is_never_told_whether_a_person_is_known(api_as, dave, referred_case):
    same = {**REFERRAL, "given_names": "Testa", "family_name": "Syntetisk", "birth_year": 1995}
    assert post(api_as(dave), same).status_code == 201


# --- reading one's referrals --------------------------------------------------------------


@pytest.fixture
def consented(dave, police):
    return case_refer(
        actor=dave,
        referring_organisation=police,
        consent_to_share=True,
        **referral_kwargs(referred_on=__import__("datetime").date(2021, 4, 1)),
    )


def test_a_partner_sees_status_only_where_the_person_consented(
    api_as, dave, referred_case, consented
):
    body = api_as(dave).get(URL).json()
    rows = {row["id"]: row for row in body["items"]}
    assert rows[consented.pk]["shared"] is True
    assert rows[consented.pk]["status"] == c.CaseStatus.REFERRED
    assert rows[referred_case.pk] == {
        "id": referred_case.pk,
        "code": referred_case.code,
        "referred_on": "2021-03-01",
        "status": "received",
        "outcome": "",
        "shared": False,
    }
    assert api_as(dave).get(f"{URL}/{consented.pk}").json()["shared"] is True


def test_another_organisations_referral_is_not_found(api_as, mallory, referred_case):
    client = api_as(mallory)
    assert client.get(URL).json()["items"] == []
    response = client.get(f"{URL}/{referred_case.pk}")
    assert response.status_code == 404
    assert referred_case.code not in response.text
