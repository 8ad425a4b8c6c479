"""Centre staff list, search and read cases and record steps through the API: the
web's selectors, filters, forms and services, with cursors, ETags and the audit."""

import datetime as dt
import json

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.cases.models import Case
from brik.cases.services import case_refer
from brik.core import choices as c
from brik.testing.factories import referral_kwargs


def many_cases(actor, organisation, n):
    return [
        case_refer(
            actor=actor,
            referring_organisation=organisation,
            **referral_kwargs(referred_on=dt.date(2021, 1, 1) + dt.timedelta(days=i % 3)),
        )
        for i in range(n)
    ]


def test_the_cursor_walks_every_case_once_newest_first(api_as, alice, police):
    cases = many_cases(alice, police, 7)
    client = api_as(alice)
    seen, cursor = [], None
    while True:
        url = "/api/v1/cases?limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        seen += [row["id"] for row in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    expected = sorted(cases, key=lambda k: (k.referred_on, k.pk), reverse=True)
    assert seen == [k.pk for k in expected]


def test_a_cursor_not_given_by_the_list_is_a_problem(api_as, alice):
    response = api_as(alice).get("/api/v1/cases?cursor=bm9wZQ")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_the_search_and_filters_are_the_web_case_lists(api_as, alice, police, referred_case):
    other = case_refer(
        actor=alice, referring_organisation=police, **referral_kwargs(gender=c.Gender.MAN)
    )
    client = api_as(alice)
    body = client.get(f"/api/v1/cases?q={referred_case.person.code}").json()
    assert [row["id"] for row in body["items"]] == [referred_case.pk]
    assert other.pk not in [r["id"] for r in body["items"]]
    refused = client.get("/api/v1/cases?status=nonsense&referred_year=1066")
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"status", "referred_year"}


def test_reading_a_case_is_audited_and_identity_only_for_those_who_read_it(
    api_as, alice, referred_case
):
    response = api_as(alice).get(f"/api/v1/cases/{referred_case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["identity"]["family_name"] == "Syntetisk"
    assert "case_assign" in body["available_steps"]
    read = ActionLog.objects.get(action=AuditEvent.CASE_VIEWED)
    assert read.case_id == referred_case.pk
    assert read.actor == alice


def test_an_analyst_lists_but_cannot_open_a_case(api_as, carol, referred_case):
    client = api_as(carol)
    assert client.get("/api/v1/cases").status_code == 200
    assert client.get(f"/api/v1/cases/{referred_case.pk}").status_code == 403


def test_etag_gives_304_until_the_data_changes(api_as, alice, referred_case):
    client = api_as(alice)
    first = client.get("/api/v1/cases")
    etag = first["ETag"]
    assert client.get("/api/v1/cases", HTTP_IF_NONE_MATCH=etag).status_code == 304
    case_refer(
        actor=alice,
        referring_organisation=referred_case.referral.referring_organisation,
        **referral_kwargs(gender=c.Gender.MAN),
    )
    assert client.get("/api/v1/cases", HTTP_IF_NONE_MATCH=etag).status_code == 200


def step(client, case, path, body, key):
    return client.post(
        f"/api/v1/cases/{case.pk}/{path}",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_steps_go_through_the_workflow_and_its_services(api_as, alice, bob, referred_case):
    client = api_as(alice)
    assigned = step(client, referred_case, "assign", {"caseworker": bob.pk}, "a1")
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["assigned_to"]["id"] == bob.pk
    planned = step(
        client,
        referred_case,
        "interviews",
        {"planned_for": "2021-03-04T10:00:00+01:00", "interviewers": [alice.pk]},
        "p1",
    )
    assert planned.status_code == 200, planned.content
    assert planned.json()["status"] == c.CaseStatus.INTERVIEW_PLANNED
    # A decision with an interview still planned: the workflow refuses it (409).
    decision = {
        "decided_on": "2021-03-10",
        "deciding_authority": c.DecidingAuthority.IMMIGRATION,
        "outcome": c.Outcome.IDENTIFIED,
        "exploitation_forms": [c.ExploitationForm.SEXUAL],
    }
    refused = step(client, referred_case, "decision", decision, "d1")
    assert refused.status_code == 409, refused.content
    assert refused.json()["type"].endswith("/conflict")
    assert Case.objects.get(pk=referred_case.pk).status == c.CaseStatus.INTERVIEW_PLANNED
    events = set(ActionLog.objects.values_list("action", flat=True))
    assert {AuditEvent.CASE_ASSIGNED, AuditEvent.INTERVIEW_PLANNED} <= events


def test_a_decision_is_recorded_once_per_key(api_as, alice, referred_case):
    from brik.cases import services

    services.interview_record(actor=alice, case=referred_case, held_on=dt.date(2021, 3, 5))
    client = api_as(alice)
    decision = {
        "decided_on": "2021-03-10",
        "deciding_authority": c.DecidingAuthority.IMMIGRATION,
        "outcome": c.Outcome.IDENTIFIED,
        "exploitation_forms": [c.ExploitationForm.SEXUAL],
    }
    first = step(client, referred_case, "decision", decision, "d1")
    assert first.status_code == 200, first.content
    assert first.json()["outcome"] == c.Outcome.IDENTIFIED
    assert step(client, referred_case, "decision", decision, "d1").json() == first.json()
    assert ActionLog.objects.filter(action=AuditEvent.ASSESSMENT_DECIDED).count() == 1
    # Without forms of exploitation the service refuses, naming the field.
    missing = step(client, referred_case, "decision", {**decision, "exploitation_forms": []}, "d2")
    assert missing.status_code == 409, missing.content  # decided already: the workflow refuses


def test_every_later_step_goes_through_its_service_once_per_key(api_as, alice, identified_case):
    """Reflection, support, a prepared return, follow-up, closing, reopening and a
    correction, each through the API: the web's form and service, audited."""
    from brik.cases.models import Assessment, SupportMeasure

    client = api_as(alice)
    case = identified_case

    def ok(path, body, key):
        response = step(client, case, path, body, key)
        assert response.status_code == 200, (path, response.content)
        return response.json()

    ok("reflection", {"starts_on": "2021-03-10"}, "r1")
    ok("support", {"kind": c.SupportType.MEDICAL, "starts_on": "2021-03-11"}, "s1")
    # The same key again: the answer again, no second measure.
    assert (
        step(
            client,
            case,
            "support",
            {"kind": c.SupportType.MEDICAL, "starts_on": "2021-03-11"},
            "s1",
        ).status_code
        == 200
    )
    assert SupportMeasure.objects.filter(case=case).count() == 1
    measure = SupportMeasure.objects.get(case=case)
    ok("support/end", {"measure": measure.pk, "ends_on": "2021-04-01"}, "s2")
    ok("return/offer", {"offered_on": "2021-04-02"}, "o1")
    accepted = {
        "accepted_on": "2021-04-03",
        "destination_country": "RO",
        "destination_kind": "home",
    }
    ok("return/accept", {**accepted, "plan_housing": True}, "o2")
    departed = ok("return/depart", {"departed_on": "2021-04-10", "follow_up_months": 6}, "o3")
    assert departed["status"] == c.CaseStatus.RETURNED
    ok("follow-ups", {"held_on": "2021-05-10", "status": c.FollowUpStatus.ON_TRACK}, "f1")
    closed = ok(
        "close",
        {"closed_on": "2021-06-01", "reason": c.ClosingReason.OTHER, "note": "Syntetisk"},
        "c1",
    )
    assert closed["status"] == c.CaseStatus.CLOSED
    reopened = ok("reopen", {"reopened_on": "2021-06-05", "reason": "new_information"}, "c2")
    assert reopened["status"] != c.CaseStatus.CLOSED
    target = f"assessment.decided_on.{Assessment.objects.get(case=case).pk}"
    amended = ok("amend", {"target": target, "value": "2021-03-09", "reason": "Typo"}, "a1")
    assert amended["decided_on"] == "2021-03-09"
    events = set(ActionLog.objects.filter(case=case).values_list("action", flat=True))
    assert {
        AuditEvent.REFLECTION_STARTED,
        AuditEvent.SUPPORT_ADDED,
        AuditEvent.CASE_CLOSED,
        AuditEvent.CASE_REOPENED,
        AuditEvent.CASE_AMENDED,
    } <= events


def test_a_refused_step_names_the_field_and_changes_nothing(api_as, alice, identified_case):
    client = api_as(alice)
    wrong = step(client, identified_case, "reflection/extend", {
        "new_ends_on": "2021-09-01", "reason": "no_such_reason", "extended_on": "2021-03-11",
    }, "e1")  # fmt: skip
    assert wrong.status_code == 422, wrong.content
    assert wrong["Content-Type"].startswith("application/problem+json")
    assert "reason" in {e["field"] for e in wrong.json()["errors"]}
    # A step the case's state does not allow: 409, nothing recorded.
    before = Case.objects.get(pk=identified_case.pk).status
    refused = step(client, identified_case, "return/depart", {
        "departed_on": "2021-04-10", "follow_up_months": 6,
    }, "e2")  # fmt: skip
    assert refused.status_code == 409, refused.content
    assert Case.objects.get(pk=identified_case.pk).status == before
    missing = step(client, identified_case, "stay", {"basis": "asylum"}, "e3")
    assert missing.status_code == 422
    assert "stay_from" in {e["field"] for e in missing.json()["errors"]}
