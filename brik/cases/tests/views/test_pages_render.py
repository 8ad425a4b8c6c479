import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name",
    ["cases:my_work", "cases:list", "cases:refer"],
)
def test_each_main_page_renders_for_a_caseworker(alice_client, name):
    response = alice_client.get(reverse(name))
    assert response.status_code == 200


def test_the_case_page_renders(alice_client, identified_case):
    response = alice_client.get(identified_case.get_absolute_url())
    assert response.status_code == 200
    assert identified_case.code in response.content.decode()
