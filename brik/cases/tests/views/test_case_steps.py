"""Every step on the case page: it succeeds, it is refused when the state does not
allow it, and bad input comes back next to the field with what was typed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from brik.cases import services
from brik.cases.models import Case, FollowUp, Interview, PreparedReturn, SupportMeasure
from brik.cases.tests.views.conftest import send

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(autouse=True)
def april_2021():
    with time_machine.travel(dt.datetime(2021, 4, 1, 12, tzinfo=CPH), tick=False):
        yield


def step_url(case, action):
    return reverse("cases:action", args=[case.pk, action])


@pytest.fixture
def interviewed_case(referred_case, alice):
    services.interview_record(actor=alice, case=referred_case, held_on=dt.date(2021, 3, 5))
    return referred_case


@pytest.fixture
def planned_case(referred_case, alice):
    services.interview_plan(
        actor=alice, case=referred_case, planned_for=dt.datetime(2021, 4, 6, 10, tzinfo=CPH)
    )
    return referred_case


@pytest.fixture
def offered_case(in_support_case, alice):
    services.return_offer(actor=alice, case=in_support_case, offered_on=dt.date(2021, 3, 15))
    return in_support_case


@pytest.fixture
def accepted_case(offered_case, alice):
    services.return_accept(
        actor=alice,
        case=offered_case,
        accepted_on=dt.date(2021, 3, 16),
        destination_country="NG",
        destination_kind="home",
    )
    return offered_case


@pytest.fixture
def supported_case(in_support_case, alice):
    services.support_add(
        actor=alice, case=in_support_case, kind="accommodation", starts_on=dt.date(2021, 3, 11)
    )
    return in_support_case


@pytest.fixture
def reopenable_case(referred_case, alice):
    """Closed on 20 March 2021 before any decision."""
    services.case_close(
        actor=alice, case=referred_case, closed_on=dt.date(2021, 3, 20), reason="disappeared"
    )
    return referred_case


STEPS = [
    (
        "screening_record",
        "referred_case",
        {"screened_on": "2021-03-02", "urgent": "on", "safe_to_contact": "yes"},
        lambda case: case.status == "referred" and case.urgent is True,
    ),
    (
        "interview_plan",
        "referred_case",
        {"planned_for": "2021-04-06T10:00", "place": "CMM", "interpreter_language": "Thai"},
        lambda case: (
            case.status == "interview_planned"
            and Interview.objects.get(case=case).interpreter_language == "tha"
        ),
    ),
    (
        "interview_record",
        "planned_case",
        {"held_on": "2021-03-30", "indicators": ["deception", "isolation"]},
        lambda case: (
            case.status == "interviewed"
            and Interview.objects.get(case=case).indicators == ["deception", "isolation"]
        ),
    ),
    (
        "interview_cancel",
        "planned_case",
        {"reason": "Ill"},
        lambda case: (
            case.status == "referred" and Interview.objects.get(case=case).status == "cancelled"
        ),
    ),
    (
        "assessment_decide",
        "interviewed_case",
        {
            "decided_on": "2021-03-20",
            "deciding_authority": "immigration",
            "outcome": "identified",
            "exploitation_forms": ["sexual", "criminal"],
            "countries_of_exploitation": ["DK", "IT"],
        },
        lambda case: (
            case.status == "identified"
            and sorted(f.form for f in case.assessment.forms.all()) == ["criminal", "sexual"]
            and case.assessment.countries_of_exploitation == ["DK", "IT"]
        ),
    ),
    (
        "reflection_start",
        "identified_case",
        {"starts_on": "2021-03-10"},
        lambda case: (
            case.status == "in_support" and case.reflection_period.ends_on == dt.date(2021, 4, 9)
        ),
    ),
    (
        "reflection_extend",
        "in_support_case",
        {"new_ends_on": "2021-05-09", "reason": "prepared_return", "extended_on": "2021-04-01"},
        lambda case: case.reflection_period.ends_on == dt.date(2021, 5, 9),
    ),
    (
        "support_add",
        "identified_case",
        {"kind": "medical", "starts_on": "2021-03-12"},
        lambda case: SupportMeasure.objects.get(case=case).kind == "medical",
    ),
    (
        "support_end",
        "supported_case",
        {"ends_on": "2021-03-31"},
        lambda case: SupportMeasure.objects.get(case=case).ends_on == dt.date(2021, 3, 31),
    ),
    (
        "return_offer",
        "in_support_case",
        {"offered_on": "2021-03-20"},
        lambda case: PreparedReturn.objects.get(case=case).status == "offered",
    ),
    (
        "return_accept",
        "offered_case",
        {
            "accepted_on": "2021-03-21",
            "destination_country": "NG",
            "destination_kind": "home",
            "plan_housing": "on",
        },
        lambda case: PreparedReturn.objects.get(case=case).plan_housing is True,
    ),
    (
        "return_decline",
        "offered_case",
        {"declined_on": "2021-03-21"},
        lambda case: PreparedReturn.objects.get(case=case).status == "declined",
    ),
    (
        "return_depart",
        "accepted_case",
        {"departed_on": "2021-03-25", "follow_up_months": "6"},
        lambda case: (
            case.status == "returned"
            and PreparedReturn.objects.get(case=case).follow_up_until == dt.date(2021, 9, 25)
        ),
    ),
    (
        "follow_up_add",
        "departed_case",
        {"held_on": "2021-03-30", "status": "on_track"},
        lambda case: FollowUp.objects.filter(prepared_return__case=case).count() == 1,
    ),
    (
        "case_record_stay",
        "in_support_case",
        {"basis": "investigation_permit", "stay_from": "2021-03-25"},
        lambda case: case.status == "staying",
    ),
    (
        "case_close",
        "referred_case",
        {"closed_on": "2021-03-31", "reason": "disappeared"},
        lambda case: case.status == "closed",
    ),
    (
        "case_reopen",
        "reopenable_case",
        {"reopened_on": "2021-03-25", "reason": "new_information"},
        lambda case: case.status == "referred" and case.closed_on is None,
    ),
    (
        "case_amend",
        "in_support_case",
        {"value": "2021-03-09", "reason": "The letter was dated a day earlier."},
        lambda case: case.decided_on == dt.date(2021, 3, 9),
    ),
]


def _item_fields(action, case):
    """The form's item choice (which interview, which support), as the page would preselect."""
    if action in ("interview_record", "interview_cancel"):
        return {"interview": str(case.interviews.get(status="planned").pk)}
    if action == "support_end":
        return {"measure": str(case.support_measures.get().pk)}
    if action == "case_amend":
        target = f"assessment.decided_on.{case.assessment.pk}"
        return {"target": target, "shown": target}
    return {}


@pytest.mark.parametrize(("action", "state", "data", "check"), STEPS, ids=[s[0] for s in STEPS])
def test_each_step_works_as_a_plain_form(request, alice_client, action, state, data, check):
    case = request.getfixturevalue(state)
    assert alice_client.get(step_url(case, action)).status_code == 200
    response = send(alice_client, step_url(case, action), {**_item_fields(action, case), **data})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response.url == case.get_absolute_url()
    assert check(Case.objects.get(pk=case.pk))


@pytest.mark.parametrize(("action", "state", "data", "check"), STEPS, ids=[s[0] for s in STEPS])
def test_each_step_works_in_place_with_htmx(request, alice_client, action, state, data, check):
    case = request.getfixturevalue(state)
    form = alice_client.get(step_url(case, action), HTTP_HX_REQUEST="true")
    assert "<html" not in form.content.decode()
    response = send(
        alice_client,
        step_url(case, action),
        {**_item_fields(action, case), **data},
        htmx=True,
        HTTP_HX_CURRENT_URL=f"http://testserver{case.get_absolute_url()}",
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#case-body"
    assert 'id="case-body"' in response.content.decode()
    assert check(Case.objects.get(pk=case.pk))


def test_a_step_sent_with_htmx_from_its_own_page_sends_the_window_to_the_case(
    alice_client, referred_case
):
    # The step's own page has no #case-body to swap into (opened from a link, or
    # after a login that gave back a kept form): the whole window goes to the case.
    url = step_url(referred_case, "interview_record")
    response = send(
        alice_client,
        url,
        {"held_on": "2021-03-05"},
        htmx=True,
        HTTP_HX_CURRENT_URL=f"http://testserver{url}",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == referred_case.get_absolute_url()
    assert "HX-Retarget" not in response
    assert Interview.objects.filter(case=referred_case).exists()


def test_assigning_a_contact_person(alice_client, referred_case, bob):
    response = send(alice_client, step_url(referred_case, "case_assign"), {"caseworker": bob.pk})
    assert response.status_code == 302
    assert Case.objects.get(pk=referred_case.pk).assigned_to == bob


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("reflection_start", "referred_case"),
        ("assessment_decide", "in_support_case"),
        ("follow_up_add", "in_support_case"),
        ("return_accept", "in_support_case"),
        ("interview_plan", "identified_case"),
    ],
)
def test_a_step_the_state_does_not_allow_is_not_offered(request, alice_client, action, state):
    case = request.getfixturevalue(state)
    page = alice_client.get(case.get_absolute_url()).content.decode()
    assert f'data-step="{action}"' not in page
    response = alice_client.get(step_url(case, action))
    assert response.status_code == 409
    assert "This step is not possible now" in response.content.decode()


def test_a_step_sent_anyway_is_refused_by_the_service_with_its_reason(alice_client, referred_case):
    response = send(
        alice_client, step_url(referred_case, "reflection_start"), {"starts_on": "2021-03-10"}
    )
    assert response.status_code == 422
    assert "This step is not possible while the case is “Referred”." in response.content.decode()


def test_an_extension_beyond_120_days_is_refused_next_to_the_new_end(alice_client, in_support_case):
    response = send(
        alice_client,
        step_url(in_support_case, "reflection_extend"),
        {"new_ends_on": "2021-07-30", "reason": "special_reasons", "extended_on": "2021-04-01"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_new_ends_on_error"' in page
    assert "at most 120 days" in page
    assert 'value="2021-07-30"' in page


def test_identified_without_a_form_of_exploitation_is_refused_next_to_the_forms(
    alice_client, interviewed_case
):
    response = send(
        alice_client,
        step_url(interviewed_case, "assessment_decide"),
        {"decided_on": "2021-03-20", "deciding_authority": "immigration", "outcome": "identified"},
    )
    assert response.status_code == 422
    assert 'id="id_exploitation_forms_error"' in response.content.decode()


def test_a_decision_before_the_referral_is_refused_next_to_its_date(alice_client, interviewed_case):
    response = send(
        alice_client,
        step_url(interviewed_case, "assessment_decide"),
        {
            "decided_on": "2021-02-01",
            "deciding_authority": "immigration",
            "outcome": "not_identified",
        },
    )
    assert response.status_code == 422
    assert 'id="id_decided_on_error"' in response.content.decode()


def test_a_missing_date_is_refused_and_the_rest_kept(alice_client, referred_case):
    response = send(
        alice_client,
        step_url(referred_case, "case_close"),
        {"reason": "disappeared", "note": "Gone"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_closed_on_error"' in page
    assert "Gone</textarea>" in page


def test_bad_input_with_htmx_comes_back_as_the_form_in_place(alice_client, referred_case):
    response = send(
        alice_client, step_url(referred_case, "case_close"), {"reason": "disappeared"}, htmx=True
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert page.lstrip().startswith('<section class="action-form"')


def test_a_step_sent_twice_is_done_once(alice_client, referred_case):
    url = step_url(referred_case, "interview_plan")
    data = {"planned_for": "2021-04-06T10:00"}
    send(alice_client, url, data, token="once")
    second = send(alice_client, url, data, token="once")
    assert second.status_code == 302
    assert Interview.objects.filter(case=referred_case).count() == 1


def test_a_link_can_preselect_the_interview_to_record(alice_client, planned_case):
    interview = planned_case.interviews.get()
    page = alice_client.get(
        step_url(planned_case, "interview_record") + f"?interview={interview.pk}"
    ).content.decode()
    assert f'<option value="{interview.pk}" selected>' in page


def test_the_reflection_period_cannot_be_extended_once_it_has_ended(alice_client, in_support_case):
    with time_machine.travel(dt.datetime(2021, 4, 20, 12, tzinfo=CPH), tick=False):
        page = alice_client.get(in_support_case.get_absolute_url()).content.decode()
    assert 'data-step="reflection_extend"' not in page


def test_the_follow_up_step_under_its_old_name_leads_to_it(alice_client, departed_case):
    response = alice_client.get(step_url(departed_case, "followup_add"))

    assert response.status_code == 301
    assert response["Location"] == step_url(departed_case, "follow_up_add")
