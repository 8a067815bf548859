"""Every public page and API answer makes no more queries as the archive grows.

Each path the permission table gives everyone (tests/test_permissions.py) is
asked for on the small site of tests.site, then again once the site has grown
by enough readouts to fill a page of every list: more readouts, people,
topics, points and annotations on the same subjects, and on the readout the
detail pages show. A query per row would show as more queries.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import AnonRateThrottle

from readouts import facets
from readouts.models import Annotation, Occasion, Person, Point, Readout, Topic
from tests.builders import (
    make_annotation,
    make_meeting,
    make_participation,
    make_person,
    make_readout,
)
from tests.test_permissions import API, EVERYONE, PUBLIC_PAGES

pytestmark = pytest.mark.django_db

PATHS = [
    path
    for method, path, statuses in PUBLIC_PAGES + API
    if method == "GET" and statuses == EVERYONE
]
# More than a page of every list (20 a page, and the index pages show all).
GROWTH = 25


@pytest.fixture(autouse=True)
def uncached(monkeypatch, settings):
    """Every request does its own work: nothing served from the archive cache, nobody throttled."""
    settings.ARCHIVE_CACHE_SECONDS = 0
    cache.clear()
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon", None)
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon_export", None)


def grow(site):
    """GROWTH more published readouts of the site's subjects, and more on its readout."""
    published = Readout.objects.get(slug=site.values["published"])
    kishida = Person.objects.get(slug=site.values["person"])
    north_korea = Topic.objects.get(slug=site.values["topic"])
    asean = Occasion.objects.get(slug=site.values["occasion"])
    author = site.users["editor"]
    for n in range(GROWTH):
        meeting = make_meeting(
            date=datetime.date(2022, 1, 3) + datetime.timedelta(days=n), occasion=asean
        )
        make_participation(meeting, kishida, "Prime Minister of Japan", "japan")
        counterpart = make_person(f"Leader {n}", f"Leader{n}", country="US" if n % 2 else "KR")
        make_participation(meeting, counterpart, "President", "counterpart", 1)
        readout = make_readout(
            meeting, title=f"Summit number {n}", points=["North Korea was discussed.", "Trade."]
        )
        point = readout.points.first()
        point.topics.add(
            north_korea, Topic.objects.create(name=f"Subtopic {n}", parent=north_korea)
        )
        make_annotation(readout, point, "North Korea", author)
        more = Point.objects.create(
            readout=published,
            label=f"({n + 1})",
            position=200 + n,
            text=f"More on North Korea {n}.",
        )
        more.topics.add(north_korea)
        make_annotation(
            published, more, "North Korea", author, visibility=Annotation.Visibility.PUBLIC
        )
    facets.bring_up_to_date()  # as the first read after a change would


def queries(client, url):
    with CaptureQueriesContext(connection) as made:
        response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        b"".join(response.streaming_content)  # an export's queries run as it is read
    return [query["sql"] for query in made.captured_queries]


@pytest.mark.parametrize("path", PATHS)
def test_no_public_page_or_api_answer_makes_more_queries_as_the_archive_grows(site, path):
    client = site.client("anonymous")
    url = site.url(path)
    facets.bring_up_to_date()
    queries(client, url)  # once, so that what a first request sets up is not counted
    small = queries(client, url)

    grow(site)
    queries(client, url)
    grown = queries(client, url)

    assert len(grown) <= len(small), "\n\n".join(grown)
