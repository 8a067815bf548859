"""Nothing is lost: backups restore, dumps reload, migrations go back and forth."""

import io
import json
import re

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from readouts.models import Annotation, Point, Readout
from tests.builders import make_annotation
from tests.conftest import READOUTS_DIR


def load_archive(reviewer):
    call_command(
        "import_readouts",
        str(READOUTS_DIR),
        publish=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    readout = Readout.objects.get(title="Japan-U.S. Summit Meeting")
    point = readout.points.get(label="1.")
    make_annotation(readout, point, "attemtps", reviewer, kind="correction", body="Sic.")
    make_annotation(readout, point, "recognition", reviewer, visibility="internal")
    draft = Readout.objects.filter(issuer__slug="white-house").first()
    draft.withdraw(reviewer, "Replaced by the issuer.")


# JSON dumps keep times to the millisecond: a time a few microseconds past a
# second is written "…:08.000Z", and read back it is written "…:08Z".
WHOLE_SECOND = re.compile(r'(T\d\d:\d\d:\d\d)\.000(Z|[+-]\d\d:\d\d)"')


def snapshot():
    """Every row of every model of the archive, serialised as a JSON dump keeps it."""
    return {
        model._meta.label: json.loads(
            WHOLE_SECOND.sub(r'\1\2"', serializers.serialize("json", model.objects.order_by("pk")))
        )
        for model in apps.get_app_config("readouts").get_models()
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_gives_back_the_archive(tmp_path, reviewer):
    load_archive(reviewer)
    before = snapshot()
    backup = tmp_path / "archive.backup"
    call_command("backup", "--output", str(backup), stdout=io.StringIO())

    Annotation.objects.all().delete()
    Point.objects.all().delete()
    Readout.objects.update(title="Overwritten")
    call_command("restore", str(backup), "--yes", stdout=io.StringIO())

    assert snapshot() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dumpdata_and_loaddata_round_trip_loses_nothing(tmp_path, reviewer):
    load_archive(reviewer)
    before = snapshot()
    dump = tmp_path / "archive.json"
    call_command(
        "dumpdata",
        "readouts",
        "auth",
        "reversion",
        natural_foreign=True,
        exclude=["auth.permission"],
        output=str(dump),
    )
    call_command("flush", interactive=False)
    assert not Readout.objects.exists()

    call_command("loaddata", str(dump), stdout=io.StringIO())

    assert snapshot() == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_migration_reverses_and_reapplies():
    executor = MigrationExecutor(connection)
    plan = [
        key
        for key in executor.loader.graph.forwards_plan(("readouts", latest_migration()))
        if key[0] == "readouts"
    ]
    try:
        for previous in reversed([("readouts", None), *plan[:-1]]):
            executor = MigrationExecutor(connection)
            executor.migrate([previous])
        executor = MigrationExecutor(connection)
        executor.migrate([plan[-1]])
    finally:
        call_command("migrate", verbosity=0)
    assert Readout.objects.count() == 0
    assert connection.introspection.table_names().count("readouts_readout") == 1
    from readouts.models import Administration, Country

    assert Country.objects.filter(code="JP").exists()
    assert Administration.objects.filter(ordinal=101).exists()


def latest_migration():
    loader = MigrationExecutor(connection).loader
    return max(name for app, name in loader.disk_migrations if app == "readouts")
