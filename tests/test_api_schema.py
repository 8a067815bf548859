"""The OpenAPI schema tells the truth: schemathesis calls every operation it describes.

Reads go anonymously, writes with an editor's token. No answer may be a
server error or differ from what the schema says (status, content type, body).
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, override_settings
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from archive.wsgi import application
from readouts.models import Readout
from tests.builders import make_annotation, make_readout

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def live_schema():
    """The schema as /api/schema/ serves it, read through the WSGI application."""
    with override_settings(ALLOWED_HOSTS=["localhost"]):
        return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = live_schema()


@pytest.fixture(autouse=True)
def content(db, settings, editor):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    readout = make_readout(created_by=editor, points=("The two leaders met.", "They agreed."))
    make_annotation(readout, readout.points.first(), "leaders", editor)
    make_readout(title="A draft", status=Readout.Status.DRAFT, created_by=editor)
    # Requests go through the real WSGI handler, which closes the database
    # connection after each: that would end the test's transaction. Django's
    # test client keeps it open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_answers_as_the_schema_says(case, editor):
    cache.clear()  # the anonymous throttle would otherwise answer 429 part-way through
    headers = {}
    if case.method != "GET":
        token, _ = Token.objects.get_or_create(user=editor)
        headers["Authorization"] = f"Token {token.key}"
    case.call_and_validate(headers=headers, checks=CHECKS)


def test_schema_describes_every_endpoint(db):
    paths = Client().get("/api/schema/?format=json").json()["paths"]
    for name in [
        "readouts",
        "meetings",
        "points",
        "people",
        "countries",
        "topics",
        "administrations",
        "occasions",
        "annotations",
    ]:
        assert f"/api/v1/{name}/" in paths
    assert "/api/v1/readouts/{slug}/publish/" in paths
    assert "/api/v1/readouts/harvest/" in paths
    readout_filters = {p["name"] for p in paths["/api/v1/readouts/"]["get"]["parameters"]}
    assert {"q", "country", "topic", "date_after", "page", "page_size", "facets"} <= readout_filters
    annotation = paths["/api/v1/annotations/{id}/"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "application/ld+json"} <= set(annotation)


def test_interactive_docs_use_no_cdn(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "/static/drf_spectacular_sidecar/" in page
