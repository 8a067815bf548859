from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction

from tests.builders import make_user
from tests.site import make_site

READOUTS_DIR = Path(__file__).resolve().parent.parent / "data" / "readouts"
SEED_PATH = READOUTS_DIR / "japan-us-summit-2022-11-13.txt"


@pytest.fixture(autouse=True)
def empty_cache():
    # A test's rolled-back data raises no signal; its cached pages must not outlive it.
    cache.clear()


@pytest.fixture
def redis_cache(settings):
    """The project's Redis cache backend on a test database of the local Redis, or a skip."""
    import redis
    from django.core.cache import caches
    from django.core.cache.backends.base import InvalidCacheBackendError

    settings.CACHES = {
        **settings.CACHES,
        "redis": {
            "BACKEND": "archive.redis_cache.ArchiveRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/12",
            "KEY_PREFIX": "readouts-test",
        },
    }
    try:
        found = caches["redis"]
        found.get("anything")
    except (InvalidCacheBackendError, redis.ConnectionError):
        pytest.skip("no Redis server here")
    return found


@pytest.fixture
def seed_text():
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture
def editor(db):
    return make_user("edna", Group.objects.get(name="Editors"))


@pytest.fixture
def second_editor(db):
    return make_user("eddie", Group.objects.get(name="Editors"))


@pytest.fixture
def reviewer(db):
    return make_user("rita", Group.objects.get(name="Reviewers"))


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The whole site's objects (tests.site), built once for a module whose tests all use
    the database: inside a transaction rolled back at the module's end, each test in a
    savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_site()
        transaction.set_rollback(True)
