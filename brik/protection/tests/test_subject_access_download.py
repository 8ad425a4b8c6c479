"""The data-subject access export as a download from the case page."""

import json

import pytest
from django.test import Client
from django.urls import reverse


def url(case, fmt):
    return reverse("protection:subject_access", args=[case.pk, fmt])


def logged_in(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_a_caseworker_downloads_everything_held_as_json(alice, identified_case):
    response = logged_in(alice).get(url(identified_case, "json"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{identified_case.person.code}.json"'
    )
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    identity = next(s for s in data["sections"] if s["key"] == "identity")["rows"][0]
    assert {"field": "family_name", "label": "Family name", "value": "Syntetisk"} in identity


def test_a_lead_downloads_the_readable_page(bob, identified_case):
    response = logged_in(bob).get(url(identified_case, "html"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Syntetisk" in response.content.decode()


@pytest.mark.parametrize("who", ["carol", "dave", "erin", "frank", "oscar", "mallory"])
def test_no_other_role_may_export(request, who, identified_case):
    response = logged_in(request.getfixturevalue(who)).get(url(identified_case, "json"))

    assert response.status_code == 403
    assert b"Syntetisk" not in response.content


def test_an_unknown_case_or_format_is_not_found(alice, identified_case):
    client = logged_in(alice)
    assert client.get(url(identified_case, "pdf")).status_code == 404
    assert client.get(reverse("protection:subject_access", args=[9999, "json"])).status_code == 404


def test_the_case_page_links_to_the_export_for_centre_staff(alice, identified_case):
    page = logged_in(alice).get(identified_case.get_absolute_url()).content.decode()
    assert url(identified_case, "json") in page
    assert url(identified_case, "html") in page
