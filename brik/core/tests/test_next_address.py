"""A `next` address that is no path on this site is ignored, not taken for a view's name (a 500)."""

import pytest
from django.urls import reverse

from brik.cases.tests.views.conftest import login


@pytest.mark.parametrize("wanted", ["Test", "1e30", "9223372036854775808", "//example.org/"])
def test_the_second_factor_step_ignores_a_next_that_is_no_path(alice, wanted):
    response = login(alice).get(reverse("accounts:two_factor"), {"next": wanted})

    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert wanted not in response["Location"]


@pytest.mark.parametrize("wanted", ["1", "Test", "//example.org/"])
def test_the_admin_login_ignores_a_next_that_is_no_path(frank, wanted):
    response = login(frank).get(reverse("admin:login"), {"next": wanted})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
