"""A number beyond any record's id matches no record, in a list too, instead of a 500."""

import pytest
from django.urls import reverse

from brik.accounts.models import User
from brik.cases.models import Interview
from brik.cases.tests.views.conftest import login

HUGE = [2**63, 10**30, -(2**63) - 1]


@pytest.mark.django_db
def test_a_list_of_ids_beyond_the_columns_range_matches_nothing(alice):
    assert list(User.objects.filter(pk__in=HUGE)) == []
    assert list(User.objects.filter(pk__in=[*HUGE, alice.pk])) == [alice]


def test_an_interviewer_id_beyond_any_record_is_refused_next_to_its_field(alice, referred_case):
    url = reverse("cases:action", args=[referred_case.pk, "interview_plan"])

    response = login(alice).post(
        url,
        {"form_token": "t" * 32, "planned_for": "2021-03-08T10:00", "interviewers": str(2**63)},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["interviewers"]
    assert not Interview.objects.exists()
