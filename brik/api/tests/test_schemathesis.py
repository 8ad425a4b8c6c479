"""schemathesis fuzzes the API against its own OpenAPI schema, through the WSGI app,
with the tokens of a caseworker and of a police referrer: no server error, every
answer in the schema (body and status code). Runs on SQLite and on PostgreSQL."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from brik.api.endpoints import api
from brik.api.tests.conftest import make_token
from brik.statistics.models import PublishedReport

pytestmark = [pytest.mark.slow, pytest.mark.postgresql]

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
EXAMPLES = 8


def published_for(year: int) -> None:
    PublishedReport.objects.create(
        year=year,
        language="en",
        published_at=timezone.now(),
        title=f"Annual report {year}",
        key_figures=[{"slug": "identified", "label": "Identified", "value": "<5", "previous": 3}],
        summary=["Few persons."],
        pdf=b"%PDF",
        html=b"<html></html>",
        xlsx=b"PK",
    )


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, kept from closing the test's database connection at the
    end of each request (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def secrets(identified_case, alice, dave, settings):
    settings.BRIK_API_RATE_LIMIT = 100_000
    return {"alice": make_token(alice)[1], "dave": make_token(dave)[1]}


def test_the_api_answers_every_input_within_its_schema(secrets, identified_case, wsgi_app):
    known = {"case_id": identified_case.pk, "referral_id": identified_case.pk, "year": 2021}
    published_for(2021)
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = wsgi_app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 27  # every workflow step has its operation

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            for secret in secrets.values():
                response = case.call(headers={"Authorization": f"Bearer {secret}"})
                case.validate_response(response, checks=CHECKS)
            # Random ids find no record: the same input again about a real one.
            real = {k: v for k, v in known.items() if k in (case.path_parameters or {})}
            if real:
                case.path_parameters = {**case.path_parameters, **real}
                for secret in secrets.values():
                    response = case.call(headers={"Authorization": f"Bearer {secret}"})
                    case.validate_response(response, checks=CHECKS)

        fuzz()
