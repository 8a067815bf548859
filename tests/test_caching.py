"""Cached pages and counts never outlive a change to the archive."""

import io
import shutil

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from readouts import caching
from readouts.models import Readout
from tests.builders import make_readout
from tests.conftest import SEED_PATH

pytestmark = pytest.mark.django_db


def test_anonymous_list_is_served_from_the_cache(client):
    make_readout(title="First readout")
    client.get("/readouts/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readouts/")
    assert "First readout" in response.content.decode()
    assert len(queries) == 0


def test_publishing_shows_at_once_on_cached_pages(client, editor, reviewer):
    draft = make_readout(title="Fresh readout", status=Readout.Status.DRAFT, created_by=editor)
    assert "Fresh readout" not in client.get("/readouts/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404

    draft.publish(reviewer)

    assert "Fresh readout" in client.get("/readouts/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_correction_replaces_the_cached_readout_page(client):
    readout = make_readout(title="Before the correction")
    client.get(readout.get_absolute_url())
    readout.title = "After the correction"
    readout.save()
    assert "After the correction" in client.get(readout.get_absolute_url()).content.decode()


def test_bulk_import_shows_on_cached_pages(client, tmp_path):
    client.get("/readouts/")
    shutil.copy(SEED_PATH, tmp_path)
    call_command(
        "import_readouts", str(tmp_path), "--publish", "--issuer", "kantei", stderr=io.StringIO()
    )
    assert "Japan-U.S. Summit Meeting" in client.get("/readouts/").content.decode()


def test_cached_page_answers_a_conditional_get_with_304(client):
    readout = make_readout()
    first = client.get(readout.get_absolute_url())
    again = client.get(readout.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_editors_never_get_the_public_copy(client, editor):
    draft = make_readout(title="Draft for editors", status=Readout.Status.DRAFT)
    client.get(draft.get_absolute_url())  # a 404, not cached
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "not visible to the public" in response.content.decode()


def test_anonymous_api_reads_come_from_the_cache_until_a_change(client, reviewer):
    readout = make_readout(title="Cached in the API")
    client.get("/api/v1/readouts/")
    with CaptureQueriesContext(connection) as queries:
        cached = client.get("/api/v1/readouts/")
    assert len(queries) <= 1  # at most the session, never the archive
    assert "Cached in the API" in cached.content.decode()

    readout.withdraw(reviewer, silently=True)
    assert "Cached in the API" not in client.get("/api/v1/readouts/").content.decode()


def test_what_was_made_while_the_archive_changed_is_not_served_after():
    made = []

    def slow_answer():
        made.append(len(made))
        if len(made) == 1:
            caching.next_generation()  # a change lands while the first answer is made
        return len(made)

    assert caching.remember(("answer",), slow_answer) == 1
    assert caching.remember(("answer",), slow_answer) == 2  # made again: the first is too old
    assert caching.remember(("answer",), slow_answer) == 2  # and kept while nothing changes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_what_another_reader_made_before_a_change_committed_is_not_served_after():
    readout = make_readout(title="Before the correction")
    with transaction.atomic():
        readout.title = "After the correction"
        readout.save()
        readout.save()
        # Another process, reading now, still sees the data as committed.
        caching.remember(("page",), lambda: "Before the correction")
        before_commit = caching.generation()
    assert caching.remember(("page",), lambda: readout.title) == "After the correction"
    # Raised again as the transaction committed: once, not once per row saved.
    assert caching.generation() == before_commit + 1


def test_the_redis_cache_keeps_one_client_and_works(redis_cache):
    """The project's Redis backend: Django's, but a client made once per pool."""
    redis_cache.set("answer", {"n": 42})
    assert redis_cache.get("answer") == {"n": 42}
    assert redis_cache.get_many(["answer", "nothing"]) == {"answer": {"n": 42}}
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    redis_cache.delete("answer")


def test_a_cached_api_answer_is_the_answer_byte_for_byte(client):
    make_readout(title="Kept as written")
    for url in ["/api/v1/readouts/", "/api/v1/points/", "/api/v1/readouts/?facets=kind"]:
        made, kept = client.get(url), client.get(url)
        assert made.status_code == kept.status_code == 200
        assert made.content == kept.content and made["ETag"] == kept["ETag"]
        assert kept["Content-Type"] == "application/json"
    indented = client.get("/api/v1/readouts/", HTTP_ACCEPT="application/json; indent=2")
    assert indented.content.startswith(b'{\n  "count"')
    assert client.get("/api/v1/readouts/", HTTP_ACCEPT="application/json; indent=2").content == (
        indented.content
    )
