"""Schemathesis over a rendered project's own OpenAPI schema, authenticated with a real token.

The template's tests copy this file into a rendered project's tests/ and run it
there, with that project's fixtures (`backend`, `credentials`) and test settings
(fast password hasher); throttles are raised through the environment. Operations
that would revoke the fuzzing token (logout, logout-all, password change) are
left out.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,  # every status answered is documented (429 included)
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,  # Retry-After on 429
    missing_required_header,  # no token where one is required: 401
    ignored_auth,  # a bad token is never accepted
]
REVOKING = r"^/api/auth/(logout|logout-all|password)/$"


@pytest.fixture
def api_schema(settings, db):
    # schemathesis' WSGI client sends Host: localhost.
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    return schemathesis.openapi.from_wsgi("/api/schema/", application).exclude(path_regex=REVOKING)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def authorization(api_client, backend, credentials):
    token = backend.token_of(backend.login(api_client, credentials))
    return {"Authorization": f"{backend.scheme} {token}"}


@schema.parametrize()
@hypothesis_settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, authorization):
    case.call_and_validate(headers=authorization, checks=CHECKS)
