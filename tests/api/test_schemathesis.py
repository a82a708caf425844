"""Schemathesis generates requests from the OpenAPI schema, valid ones and invalid ones:
no server error, every answer matches the schema, and every request the schema forbids is
refused (as a coordinator, who may call everything). 15 examples of each per operation:
enough to find a limit past 2^63, a negative offset or an empty date; about half a
minute."""

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import positive_data_acceptance


@pytest.fixture
def connection_kept_open():
    """As Django's test client does: a request must not close the test's connection
    (its transaction holds the test data)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_keeps_to_its_schema(db, demo_geography, coordinator, connection_kept_open):
    from kafo.wsgi import application

    token, _created = Token.objects.get_or_create(user=coordinator)
    # Bodies plain: the WSGI transport does not undo a gzipped answer as an HTTP client
    # does (tests/web/test_compressed_responses.py checks the compression).
    headers = {"Authorization": f"Token {token.key}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures = []
    for operation, mode in itertools.product(operations, ("positive", "negative")):
        strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode))

        @given(case=strategy)
        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def check(case):
            # Kafo's business rules go beyond any schema: a record must name records that
            # exist and are validated, a hazard a polygon or a point... A schema-valid body
            # may still get a 400 with the reason (never a 500).
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Unsatisfiable:
            continue  # no invalid request can be made of a path parameter alone
        except Exception as error:  # every failure of every operation, not the first only
            failures.append(f"{operation.label} ({mode}): {error}")
    assert not failures, "\n\n".join(failures)
