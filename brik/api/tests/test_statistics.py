"""Analysts read the published releases as stored and the disclosure-controlled
aggregates; the interactive documentation is for logged-in people only."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from brik.audit.events import AuditEvent
from brik.audit.models import ActionLog
from brik.statistics.models import PublishedReport


def published(year=2021, language="en"):
    return PublishedReport.objects.create(
        year=year,
        language=language,
        published_at=dt.datetime(year + 1, 5, 11, tzinfo=dt.UTC),
        title=f"Annual report {year}",
        key_figures=[
            {"slug": "identified", "label": "Identified as victims", "value": 80, "previous": 77},
            {"slug": "children", "label": "Children", "value": "<5", "previous": None},
        ],
        summary=["The number of persons identified was on level with 2020 (80 against 77)."],
        pdf=b"%PDF-1.7 test",
        html=b"<html></html>",
        xlsx=b"PK",
    )


def test_a_release_is_read_as_it_was_published(api_as, carol, dave):
    published(2021, "en")
    published(2021, "da")
    published(2020, "en")
    client = api_as(dave, ["statistics:read"])  # published figures are public
    every = client.get("/api/v1/statistics/publications").json()
    assert [(r["year"], r["language"]) for r in every] == [(2021, "da"), (2021, "en"), (2020, "en")]
    year = client.get("/api/v1/statistics/publications/2021")
    assert year.status_code == 200
    english = next(r for r in year.json() if r["language"] == "en")
    assert english["key_figures"][1] == {
        "slug": "children",
        "label": "Children",
        "value": "<5",
        "previous": None,
    }
    pdf = reverse("statistics:public_file", args=[2021, "en", "pdf"])
    assert english["files"]["pdf"] == f"http://testserver{pdf}"
    assert Client().get(pdf).content == b"%PDF-1.7 test"
    assert client.get("/api/v1/statistics/publications/2019").status_code == 404
    assert client.get("/api/v1/statistics/publications/99999").status_code == 404


def test_aggregates_hide_small_counts_and_are_audited(api_as, carol, identified_case):
    response = api_as(carol).get("/api/v1/statistics/aggregates?year=2021&language=en")
    assert response.status_code == 200, response.content
    body = response.json()
    cells = [
        cell
        for table in body["tables"]
        for row in [*table["rows"], *([table["total"]] if table["total"] else [])]
        for cell in row["cells"]
    ]
    hidden = [cell for cell in cells if cell["suppressed"]]
    assert hidden, "one identified person must be hidden somewhere"
    assert all(cell["value"] is None for cell in hidden)
    assert all(cell["value"] != 1 for cell in cells)
    assert {cell["shown"] for cell in hidden} <= {"<5", "x"}
    read = ActionLog.objects.get(action=AuditEvent.STATISTICS_VIEWED)
    assert read.actor == carol
    assert read.data["format"] == "api"


def test_aggregates_need_the_internal_statistics_and_a_plausible_year(api_as, carol, dave):
    assert api_as(dave).get("/api/v1/statistics/aggregates?year=2021").status_code == 403
    refused = api_as(carol).get("/api/v1/statistics/aggregates?year=1066&language=xx")
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"year", "language"}


def test_the_schema_and_docs_are_for_logged_in_people_and_served_without_a_cdn(dave):
    anonymous = Client()
    assert anonymous.get("/api/v1/docs").status_code == 302
    assert anonymous.get("/api/v1/openapi.json").status_code == 302
    client = Client()
    client.force_login(dave)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    referral_errors = schema["paths"]["/api/v1/referrals"]["post"]["responses"]["422"]
    assert "application/problem+json" in referral_errors["content"]
