"""Nothing hidden reaches the public: not a draft, a readout in review, a silently
withdrawn one, an internal annotation or an internal workflow note.

Each hidden thing carries a marker word (tests.site.MARKERS). The test finds the
public URLs itself, from the URL conf filled with real objects (the permissions
table), from sitemap.xml and by following links and API URLs from every page it
reads, and searches for every marker; none may appear anywhere. Editors read
everything first, so that a cache filled by an editor's request cannot serve
hidden content to the public.
"""

import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import Resolver404
from rest_framework.throttling import AnonRateThrottle

from readouts.filters import ReadoutFilter
from tests.site import MARKERS, route_of
from tests.test_permissions import API, PUBLIC_PAGES

pytestmark = pytest.mark.django_db

MAX_PAGES = 300
# Pages of one URL pattern (every country, every page of a list): a few of each will do.
MAX_PER_ROUTE = 4
LINK = re.compile(
    r"""(?:href|src)=["']([^"'#]+)|https?://testserver(/[^"'\s<>\\{}]*[^"'\s<>\\{}.,;:)])"""
)
NOT_CRAWLED = ("/admin/", "/static/", "/api/docs/")
NOW = re.compile(r"<updated>[^<]*</updated>")


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch):
    cache.clear()
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", None)
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon_export", None)


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def seed_urls(site):
    facets = ",".join(ReadoutFilter.FACETS)
    urls = [site.url(path) for method, path, _ in PUBLIC_PAGES + API if method == "GET"]
    urls += [
        "/sitemap.xml",
        f"/api/v1/readouts/?facets={facets}",
        f"/api/v1/readouts/?facets={facets}&q=summit",
        "/api/v1/readouts/export/csv/",
        "/api/v1/readouts/export/jsonl/",
        "/api/v1/readouts/harvest/",
        "/api/v1/points/?page_size=100",
        "/api/v1/annotations/?page_size=100",
        "/readouts/feed/?q=summit",
        # Error pages, for hidden things asked for by name.
        site.url("/readouts/{draft}/"),
        site.url("/readouts/{silent}/cite/"),
        site.url("/readouts/{review}/points/{point}/"),
        site.url("/api/v1/readouts/{draft}/"),
        site.url("/api/v1/annotations/{internal_annotation_pk}/"),
        "/readouts/?year=abc",
        "/api/v1/readouts/?year=abc",
    ]
    return urls


def crawl(client, seeds):
    """Every public page reachable from `seeds`: {url: body}."""
    seen, pages, variants = set(seeds), {}, Counter()
    queue = deque(seeds)
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, HTTP_ACCEPT="text/html,application/json,*/*")
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            found = [response["Location"]]
        else:
            text = body(response)
            pages[url] = text
            found = [a or b for a, b in LINK.findall(text.replace("&amp;", "&"))]
        for link in found:
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path in seen or path.startswith(NOT_CRAWLED):
                continue
            try:
                route = route_of(parts.path)
            except Resolver404:
                continue
            variants[route] += 1
            if variants[route] <= MAX_PER_ROUTE:
                seen.add(path)
                queue.append(path)
    return pages


def leaks(url, text):
    """The markers in a page, leaving out those the request itself asked for."""
    asked = url.lower()
    return [
        marker
        for marker in MARKERS.values()
        if marker.lower() in text.lower() and marker.lower() not in asked
    ]


@pytest.mark.parametrize("role", ["anonymous", "no_role"])
def test_no_public_page_feed_sitemap_api_or_error_shows_hidden_content(site, role):
    seeds = seed_urls(site)
    crawl(site.client("superuser"), seeds)  # whatever a cache keeps, an editor put it there
    pages = crawl(site.client(role), seeds)

    assert len(pages) > 60, "the crawl should reach the whole public site"
    assert "/sitemap.xml" in pages
    assert any(url.startswith("/people/") and url != "/people/" for url in pages)
    found = {url: leaks(url, text) for url, text in pages.items()}
    assert {url: markers for url, markers in found.items() if markers} == {}


SEARCHES = [
    "/readouts/?q={}",
    "/readouts/feed/?q={}",
    "/api/v1/readouts/?q={}&facets=" + ",".join(ReadoutFilter.FACETS),
    "/api/v1/points/?q={}",
    "/api/v1/readouts/export/csv/?q={}",
    "/api/v1/readouts/export/jsonl/?q={}",
]


@pytest.mark.parametrize("role", ["anonymous", "no_role"])
@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("marker", MARKERS.values())
def test_searching_for_hidden_words_finds_what_a_word_found_nowhere_finds(
    site, role, search, marker
):
    """Results, snippets and facet counts for a hidden word are those of a word that
    occurs nowhere: nothing but the echoed query differs."""
    client = site.client(role)
    nowhere = "Zqnowhere"
    hidden = body(client.get(search.format(marker))).replace(marker, "WORD")
    absent = body(client.get(search.format(nowhere))).replace(nowhere, "WORD")
    # An empty feed says it was updated now.
    assert NOW.sub("NOW", hidden) == NOW.sub("NOW", absent)


@pytest.mark.parametrize("path", ["/people/{draft_person}/", "/occasions/{draft_occasion}/"])
def test_person_or_occasion_known_only_from_a_draft_has_no_public_page(site, path):
    response = site.client("anonymous").get(site.url(path))
    assert response.status_code == 404
    assert leaks("", body(response)) == []
