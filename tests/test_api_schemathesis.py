"""schemathesis over the API's OpenAPI schema: no server error, no answer outside the schema.

Every operation of `/api/schema/` is called in-process (the WSGI app, every middleware) as the
bureau administrator, with data generated from the schema. The budget is bounded: the number of
examples per operation is `SCHEMATHESIS_MAX_EXAMPLES` (small by default; CI may raise it).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "2"))
APP = WSGIHandler()
pytestmark = pytest.mark.django_db


# Built at collection (settings are configured by then); the generator needs no database.
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


@pytest.fixture
def connection_kept():
    """The WSGI handler closes the database connection after each request (request_finished), which
    on PostgreSQL ends the test's transaction; Django's own test client disconnects it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_headers(db, bureau_admin, kg_a, kg_c, connection_kept):
    token, _created = Token.objects.get_or_create(user=bureau_admin)
    return {"Authorization": f"Token {token.key}"}


def test_the_schema_declares_the_nullable_and_blank_fields_and_the_errors():
    document = SchemaGenerator().get_schema(request=None, public=True)
    components = document["components"]["schemas"]
    assert components["SchoolYear"]["properties"]["locked_by"]["nullable"] is True
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "403" in operation["responses"], (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)
            if method in {"post", "put", "patch"}:
                assert "400" in operation["responses"], (method, path)


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_schema(case, api_headers):
    response = case.call(app=APP, headers=api_headers)
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
