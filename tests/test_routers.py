import runpy
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import router

from readouts import routers
from readouts.middleware import PrimaryOrReplicaMiddleware
from readouts.models import Readout
from tests.builders import make_user

SETTINGS = Path(__file__).resolve().parent.parent / "archive" / "settings.py"


@pytest.fixture
def replica(monkeypatch):
    """A replica as far as the router knows; the tests never open a connection to it."""
    monkeypatch.setattr(routers, "replica_configured", lambda: True)


def database_for(request, user=None):
    """Where the reads and writes of a view serving `request` would go."""
    request.user = user or AnonymousUser()

    def view(request):
        return {"read": router.db_for_read(Readout), "write": router.db_for_write(Readout)}

    return PrimaryOrReplicaMiddleware(view)(request)


def test_anonymous_public_read_uses_the_replica(rf, replica):
    assert database_for(rf.get("/readouts/")) == {"read": "replica", "write": "default"}


def test_api_read_without_credentials_uses_the_replica(rf, replica):
    assert database_for(rf.get("/api/v1/readouts/"))["read"] == "replica"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unsafe_methods_use_the_primary(rf, replica, method):
    assert database_for(getattr(rf, method)("/readouts/"))["read"] == "default"


def test_staff_user_reads_from_the_primary(rf, replica, db):
    editor = make_user("edna")
    assert database_for(rf.get("/readouts/"), user=editor)["read"] == "default"


def test_admin_reads_from_the_primary(rf, replica):
    assert database_for(rf.get("/admin/readouts/readout/"))["read"] == "default"


def test_request_with_credentials_reads_from_the_primary(rf, replica):
    request = rf.get("/api/v1/readouts/", HTTP_AUTHORIZATION="Token abc")
    assert database_for(request)["read"] == "default"


def test_without_a_replica_everything_uses_the_primary(rf, settings):
    assert "replica" not in settings.DATABASES
    assert database_for(rf.get("/readouts/")) == {"read": "default", "write": "default"}


def test_outside_a_request_reads_use_the_primary(replica):
    assert router.db_for_read(Readout) == "default"


def test_replica_choice_ends_with_the_request(rf, replica):
    database_for(rf.get("/readouts/"))
    assert router.db_for_read(Readout) == "default"


def test_replica_is_never_migrated():
    assert routers.PrimaryReplicaRouter().allow_migrate("replica", "readouts") is False
    assert routers.PrimaryReplicaRouter().allow_migrate("default", "readouts") is True


def test_replica_url_adds_a_mirrored_replica_database(monkeypatch):
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader@replica.internal:5432/readouts")
    databases = runpy.run_path(str(SETTINGS))["DATABASES"]
    assert databases["replica"]["HOST"] == "replica.internal"
    assert databases["replica"]["TEST"] == {"MIRROR": "default"}


def test_no_replica_database_without_its_url(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    assert "replica" not in runpy.run_path(str(SETTINGS))["DATABASES"]


def test_objects_from_primary_and_replica_may_be_related():
    primary, copy = Readout(), Readout()
    primary._state.db, copy._state.db = "default", "replica"
    assert routers.PrimaryReplicaRouter().allow_relation(primary, copy) is True
