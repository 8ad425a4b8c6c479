"""The search's dates: the calendar's ends are refused with a clear message, never a 500."""

import pytest
from django.urls import reverse

SEARCH = reverse("audit:search")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_from": "1850-06-01"}, "date_from"),
        ({"date_from": "0001-01-01", "date_to": "9999-12-31"}, "date_to"),
    ],
)
def test_a_date_at_the_calendars_end_is_refused_next_to_its_field(oscar_client, query, field):
    response = oscar_client.get(SEARCH, query)

    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert response.context["rows"] == []


def test_plausible_dates_still_search(oscar_client):
    response = oscar_client.get(SEARCH, {"date_from": "1900-01-01", "date_to": "2030-12-31"})

    assert response.status_code == 200
