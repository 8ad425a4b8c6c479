"""A refused date comes back next to the field it is about, on every step's form.

The services name the field of each refusal (ValidationError({field: ...})); no
form maps a service's error code to a field of its own choosing, so a message
about the end of a period never lands next to its start.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from brik.cases.tests.views.conftest import send

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(autouse=True)
def april_2021():
    with time_machine.travel(dt.datetime(2021, 4, 1, 12, tzinfo=CPH), tick=False):
        yield


DECISION = {"decided_on": "2021-03-20", "deciding_authority": "immigration"}


@pytest.mark.parametrize(
    ("action", "state", "data", "field", "message"),
    [
        (
            "assessment_decide",
            "interviewed_case",
            {
                **DECISION,
                "outcome": "identified",
                "exploitation_forms": ["forced_labour"],
                "exploitation_from": "2020-06-01",
                "exploitation_to": "2020-01-01",
            },
            "exploitation_to",
            "ends before it starts",
        ),
        (
            "assessment_decide",
            "interviewed_case",
            {
                **DECISION,
                "outcome": "identified",
                "exploitation_forms": ["forced_labour"],
                "exploitation_from": "2021-03-25",
            },
            "exploitation_from",
            "cannot be after the decision",
        ),
        (
            "reflection_extend",
            "in_support_case",
            {"new_ends_on": "2021-05-01", "reason": "special_reasons", "extended_on": "2021-03-01"},
            "extended_on",
            "before the period starts",
        ),
        (
            "reflection_extend",
            "in_support_case",
            {"new_ends_on": "2021-04-05", "reason": "special_reasons", "extended_on": "2021-03-20"},
            "new_ends_on",
            "must be after the current end",
        ),
        (
            "reflection_start",
            "identified_case",
            {"starts_on": "2021-03-01"},
            "starts_on",
            "before the decision",
        ),
        (
            "support_add",
            "in_support_case",
            {"kind": "accommodation", "starts_on": "2021-03-20", "ends_on": "2021-03-15"},
            "ends_on",
            "cannot end before it starts",
        ),
        (
            "support_add",
            "in_support_case",
            {"kind": "accommodation", "starts_on": "2020-01-01"},
            "starts_on",
            "cannot start before the referral",
        ),
    ],
)
def test_a_refused_date_is_shown_next_to_its_own_field(
    request, alice_client, action, state, data, field, message
):
    case = request.getfixturevalue(state)

    response = send(alice_client, reverse("cases:action", args=[case.pk, action]), data)

    page = response.content.decode()
    assert response.status_code == 422
    error = page[page.index(f'id="id_{field}_error"') :]
    assert message in error[: error.index("</")]
