"""A value no id can be matches no record, instead of a 500: a number beyond any record's
id (in a list too), and a list entry that is no number."""

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


@pytest.mark.django_db
def test_a_list_entry_that_is_no_number_matches_nothing(alice):
    assert list(User.objects.filter(pk__in=["\x00", "abc", ""])) == []
    assert list(User.objects.filter(pk__in=["x", str(alice.pk)])) == [alice]


def test_an_admin_action_on_a_tampered_selection_is_no_server_error(frank):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Centre staff")
    response = login(frank).post(
        "/admin/auth/group/",
        {"action": "delete_selected", "index": "0", "_selected_action": "\x00"},
    )

    assert response.status_code < 500
    assert Group.objects.filter(pk=group.pk).exists()


def test_an_interviewer_id_beyond_any_record_is_refused_next_to_its_field(alice, referred_case):
    url = reverse("cases:action", args=[referred_case.pk, "interview_plan"])

    response = login(alice).post(
        url,
        {"form_token": "t" * 32, "planned_for": "2021-03-08T10:00", "interviewers": str(2**63)},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["interviewers"]
    assert not Interview.objects.exists()
