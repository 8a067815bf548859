"""Caching what is expensive and shared: facet counts, list counts, public pages.

Every cache entry is kept with the archive's *generation* it was made in, a
number raised whenever anything in the archive is saved or deleted, and is
served only while that is still the generation, so a published or corrected
readout is never hidden behind a stale copy. The generation and the entry are
read in one round trip. Caching is on when ARCHIVE_CACHE_SECONDS is above
zero, which settings make the default only with a cache shared by all
processes (Redis): a per-process cache would let one server raise the
generation while another serves its old copies.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import set_response_etag

GENERATION_KEY = "archive:generation"
MISSING = object()


def enabled():
    return settings.ARCHIVE_CACHE_SECONDS > 0


def generation():
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def next_generation(**kwargs):
    """Raise the generation now and, inside a transaction, once more when it commits.

    Now, so that what this transaction reads next is made afresh. At commit,
    because until then other processes still read the data as it was: what
    they made meanwhile would be kept under the raised generation, and served
    after the change had landed.
    """
    raise_generation()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        # Once per transaction, however many rows it changes. The callbacks of a
        # savepoint rolled back are dropped, and then this one is added again.
        callback is raise_generation
        for _, callback, *_ in connection.run_on_commit
    ):
        transaction.on_commit(raise_generation)


def raise_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def key(*parts):
    digest = hashlib.sha1("\x1f".join(map(describe, parts)).encode()).hexdigest()
    return f"archive:{digest}"


def describe(part):
    """A key part as text; a query as its SQL, which says all it selects."""
    try:
        return str(part)
    except EmptyResultSet:
        return "(nothing)"


def lookup(entry_key):
    """(the archive's generation, what is kept under `entry_key` for it, or MISSING).

    One round trip to the cache: an entry is kept with the generation it was
    made in, and is good only while that is still the archive's generation.
    """
    found = cache.get_many([GENERATION_KEY, entry_key])
    current = found.get(GENERATION_KEY)
    if current is None:
        current = generation()
    kept = found.get(entry_key)
    if kept is not None and kept[0] == current:
        return current, kept[1]
    return current, MISSING


def keep(entry_key, made_in, value):
    cache.set(entry_key, (made_in, value), settings.ARCHIVE_CACHE_SECONDS)


def remember(parts, compute):
    """compute(), kept under a key made of `parts` until the archive changes."""
    if not enabled():
        return compute()
    entry_key = key(*parts)
    current, value = lookup(entry_key)
    if value is MISSING:
        # Made from what the archive holds now, which is at least `current`:
        # if it changes meanwhile, the entry is already too old to be served.
        value = compute()
        keep(entry_key, current, value)
    return value


def cached_for_the_public(view):
    """Serve anonymous GETs of `view` from the cache, with an ETag for 304s.

    Anonymous visitors all see the same page; editors (who may see drafts and
    banners) always get a fresh one.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not enabled() or request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        page_key = key("page", request.get_full_path())
        current, response = lookup(page_key)
        if response is MISSING:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response = response.render()
            if response.status_code == 200:
                set_response_etag(response)
                keep(page_key, current, response)
        return response

    return wrapped


def connect():
    """Raise the generation on every change to the archive's data."""
    from django.apps import apps

    from .models import FacetBacklog, FacetPairTotal, FacetTotal, Point, ReadoutFacet

    for model in apps.get_app_config("readouts").get_models():
        if model in (ReadoutFacet, FacetTotal, FacetPairTotal, FacetBacklog):
            continue  # bookkeeping of counts: it changes only after what it counts
        post_save.connect(next_generation, sender=model, dispatch_uid=f"gen-save-{model}")
        post_delete.connect(next_generation, sender=model, dispatch_uid=f"gen-delete-{model}")
    m2m_changed.connect(next_generation, sender=Point.topics.through, dispatch_uid="gen-topics")
