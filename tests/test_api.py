import csv
import datetime
import io
import json
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from readouts import facets
from readouts.filters import ReadoutFilter, facet_counts
from readouts.models import Annotation, Occasion, Point, Readout, Topic, WorkflowStep
from tests.builders import (
    make_annotation,
    make_meeting,
    make_participation,
    make_person,
    make_readout,
    make_user,
    many_readouts,
)

pytestmark = pytest.mark.django_db

# Strings that exist only in content the public must never see.
MARKERS = ["DRAFTMARKER", "INTERNALMARKER", "NOTEMARKER", "SILENTMARKER"]

LISTS = [
    "/api/v1/readouts/",
    "/api/v1/meetings/",
    "/api/v1/points/",
    "/api/v1/people/",
    "/api/v1/countries/",
    "/api/v1/topics/",
    "/api/v1/administrations/",
    "/api/v1/occasions/",
    "/api/v1/annotations/",
]


@pytest.fixture(autouse=True)
def fresh_throttle():
    # Throttle counts live in the cache, which outlives a test.
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def archive(editor):
    """A published readout (and its Japanese translation) beside hidden content with markers."""
    north_korea = Topic.objects.create(name="North Korea", slug="north-korea")
    abductions = Topic.objects.create(name="Abductions", slug="abductions", parent=north_korea)
    occasion = Occasion.objects.create(
        name="ASEAN-related Summit Meetings", started_on=datetime.date(2022, 11, 11)
    )
    meeting = make_meeting(
        occasion=occasion,
        start_time=datetime.time(13, 30),
        time_zone="Asia/Phnom_Penh",
        duration_minutes=45,
        duration_approximate=True,
    )
    kishida = make_person("KISHIDA Fumio", "Kishida", "JP")
    biden = make_person()
    make_participation(meeting, kishida, "Prime Minister of Japan", "japan")
    make_participation(meeting, biden, "President of the United States", "counterpart", 1)
    readout = make_readout(
        meeting,
        points=("The leaders discussed North Korea.", "They agreed to meet again."),
        created_by=editor,
        lead="Prime Minister Kishida met President Biden.",
    )
    first, second = readout.points.order_by("position")
    first.topics.add(north_korea)
    Point.objects.create(
        readout=readout, parent=first, label="(1)", position=15, text="On the abductions issue."
    ).topics.add(abductions)
    make_readout(
        meeting,
        title="日米首脳会談",
        language="ja",
        points=("両首脳は北朝鮮について議論した。",),
        created_by=editor,
    )
    make_annotation(readout, first, "North Korea", editor, prefix="discussed ", body="Public.")
    make_annotation(
        readout,
        second,
        "meet again",
        editor,
        body="INTERNALMARKER: check the date.",
        visibility=Annotation.Visibility.INTERNAL,
    )
    WorkflowStep.objects.create(
        readout=readout,
        actor=editor,
        action=WorkflowStep.Action.REVISE,
        note="NOTEMARKER internal",
        public_note="Corrected a date.",
    )

    # Hidden: a draft with its own meeting, person, occasion and annotation.
    occasion = Occasion.objects.create(name="DRAFTMARKER Summit", city="Oslo")
    hidden_meeting = make_meeting(date=datetime.date(2023, 5, 1), occasion=occasion)
    make_participation(
        hidden_meeting,
        make_person("DRAFTMARKER Person", "Draftmarker", "KR"),
        "DRAFTMARKER title",
        "counterpart",
    )
    draft = make_readout(
        hidden_meeting,
        title="DRAFTMARKER readout",
        status=Readout.Status.DRAFT,
        points=("DRAFTMARKER about North Korea.",),
        created_by=editor,
        lead="DRAFTMARKER lead",
    )
    draft.points.get().topics.add(north_korea)
    make_annotation(draft, draft.points.get(), "DRAFTMARKER", editor, body="DRAFTMARKER note")
    make_readout(
        hidden_meeting,
        title="SILENTMARKER readout",
        status=Readout.Status.WITHDRAWN_SILENTLY,
        points=("SILENTMARKER point on North Korea.",),
        created_by=editor,
    )
    return readout


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# Contract: every endpoint, its status and its shape


@pytest.mark.parametrize("url", LISTS)
def test_every_list_is_public_and_paginated(api, archive, url):
    response = api.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"count", "count_is_exact", "next", "previous", "results"}
    assert data["count_is_exact"] is True
    assert data["count"] >= len(data["results"]) > 0


def test_readout_list_shows_published_readouts_with_meeting_facts(api, archive):
    data = api.get("/api/v1/readouts/").json()
    assert data["count"] == 2
    item = next(r for r in data["results"] if r["slug"] == archive.slug)
    assert set(item) == {
        "slug",
        "url",
        "html_url",
        "title",
        "language",
        "translation_status",
        "status",
        "published_on",
        "issuer",
        "meeting",
        "withdrawal_note",
    }
    assert item["html_url"] == f"http://testserver/readouts/{archive.slug}/"
    assert item["issuer"]["slug"] == "kantei"
    assert item["meeting"]["date"] == "2022-11-13"
    assert item["meeting"]["country"] == "KH"


def test_readout_detail_has_meeting_points_tree_annotations_and_topics(api, archive):
    response = api.get(f"/api/v1/readouts/{archive.slug}/")
    assert response.status_code == 200
    data = response.json()
    meeting = data["meeting"]
    assert meeting["start_time"] == "13:30:00"
    assert meeting["starts_at"] == "2022-11-13T13:30:00+07:00"
    assert meeting["starts_at_japan_time"] == "2022-11-13T15:30:00+09:00"
    assert (meeting["duration_minutes"], meeting["duration_approximate"]) == (45, True)
    assert meeting["place"] == "Phnom Penh, Cambodia"
    assert meeting["administration"]["ordinal"] == 101
    assert [(p["person"]["name_form"], p["title"]) for p in meeting["participants"]] == [
        ("KISHIDA Fumio", "Prime Minister of Japan"),
        ("Joseph R. Biden, Jr.", "President of the United States"),
    ]
    first, second = data["points"]
    assert (first["label"], first["full_label"], second["full_label"]) == ("1.", "1", "2")
    assert first["url"] == f"http://testserver/readouts/{archive.slug}/points/{first['key']}/"
    assert [(c["full_label"], c["topics"]) for c in first["children"]] == [("1(1)", ["abductions"])]
    assert [t["slug"] for t in data["topics"]] == ["abductions", "north-korea"]
    assert [(a["exact"], a["prefix"], a["point"]) for a in data["annotations"]] == [
        ("North Korea", "discussed ", first["key"])
    ]
    assert [r["title"] for r in data["other_readouts"]] == ["日米首脳会談"]
    assert data["changes"] == [
        {"action": "revise", "at": data["changes"][0]["at"], "public_note": "Corrected a date."}
    ]
    assert data["version"] == 1


def test_meeting_detail_lists_its_public_readouts(api, archive):
    data = api.get(f"/api/v1/meetings/{archive.meeting_id}/").json()
    assert {r["language"] for r in data["readouts"]} == {"en", "ja"}
    assert data["country"]["code"] == "KH"


@pytest.mark.parametrize(
    "url, field, value",
    [
        ("/api/v1/people/joseph-r-biden-jr/", "name_form", "Joseph R. Biden, Jr."),
        ("/api/v1/countries/KH/", "name", "Cambodia"),
        ("/api/v1/topics/abductions/", "parent", "north-korea"),
        ("/api/v1/administrations/101/", "ordinal", 101),
    ],
)
def test_reference_details(api, archive, url, field, value):
    response = api.get(url)
    assert response.status_code == 200
    assert response.json()[field] == value


def test_points_across_readouts_filter_by_topic_country_date_and_words(api, archive):
    def texts(query):
        response = api.get(f"/api/v1/points/?{query}")
        assert response.status_code == 200, response.content
        return sorted(point["text"] for point in response.json()["results"])

    # A topic includes its subtopics.
    assert texts("topic=north-korea") == [
        "On the abductions issue.",
        "The leaders discussed North Korea.",
    ]
    assert texts("topic=north-korea&country=US&date_after=2020-01-01") == [
        "On the abductions issue.",
        "The leaders discussed North Korea.",
    ]
    assert texts("topic=north-korea&date_after=2023-01-01") == []
    assert texts("q=abductions") == ["On the abductions issue."]
    point = api.get("/api/v1/points/?q=abductions").json()["results"][0]
    assert point["full_label"] == "1(1)"
    assert point["readout"]["slug"] == archive.slug
    assert point["url"].endswith(f"/readouts/{archive.slug}/points/{point['key']}/")


def test_meetings_filter_by_counterpart_country_each_once(api, archive, settings):
    settings.ARCHIVE_CACHE_SECONDS = 0  # the queries are what is looked at
    # The archive's meeting has the US for counterpart; a trilateral has two.
    trilateral = make_meeting(date=datetime.date(2023, 8, 18))
    make_participation(trilateral, make_person(slug="biden-camp-david"), "President", "counterpart")
    yoon = make_person("YOON Suk Yeol", "YOON", "KR")
    make_participation(trilateral, yoon, "President", "counterpart", 1)
    make_readout(trilateral, title="Japan-U.S.-ROK Summit", slug="camp-david")

    with CaptureQueriesContext(connection) as queries:
        found = api.get("/api/v1/meetings/?country=US&country=KR").json()
    read = [query["sql"] for query in queries]  # the next request starts a new log

    assert sorted(meeting["id"] for meeting in found["results"]) == sorted(
        [archive.meeting_id, trilateral.pk]
    )
    assert found["count"] == 2
    assert api.get("/api/v1/meetings/?country=KR").json()["count"] == 1
    # A semi-join: no meeting is joined to its participations and made distinct.
    assert [sql for sql in read if "readouts_meeting" in sql]
    assert not [sql for sql in read if "DISTINCT" in sql]


def test_meetings_filter_by_person_each_once(api, archive):
    # Both people met at the trilateral: it is one meeting of theirs, not two.
    trilateral = make_meeting(date=datetime.date(2023, 8, 18))
    biden = make_person(slug="biden-camp-david")
    yoon = make_person("YOON Suk Yeol", "YOON", "KR", slug="yoon-suk-yeol")
    make_participation(trilateral, biden, "President", "counterpart")
    make_participation(trilateral, yoon, "President", "counterpart", 1)
    make_readout(trilateral, title="Japan-U.S.-ROK Summit", slug="camp-david")

    found = api.get("/api/v1/meetings/?person=biden-camp-david&person=yoon-suk-yeol").json()

    assert [meeting["id"] for meeting in found["results"]] == [trilateral.pk]
    assert found["count"] == 1
    nobody = make_person("Nobody", "Nobody", slug="met-nobody")
    assert api.get(f"/api/v1/meetings/?person={nobody.slug}").json()["count"] == 0


def selecting(queries, column):
    """The captured queries that select `column`: those reading rows in full."""
    return [query["sql"] for query in queries if column in query["sql"].split(" FROM ")[0]]


def test_points_about_a_topic_are_found_from_its_tags_by_id(api, archive):
    # The topic and its subtopics are looked up first: the points' own query
    # then names their ids, which tells the planner how many points they tag.
    with CaptureQueriesContext(connection) as queries:
        found = api.get("/api/v1/points/?topic=north-korea&q=abductions").json()
    assert [point["text"] for point in found["results"]] == ["On the abductions issue."]
    choosing = [sql for sql in selecting(queries, '"readouts_point"."id"') if "ORDER BY" in sql]
    assert choosing
    assert not [sql for sql in choosing if "readouts_topic" in sql]


def test_a_page_of_points_is_chosen_before_its_points_are_read_in_full(api, archive):
    # A search's candidates are thousands: only the page's points are read
    # with all they bring along, by key, without searching again.
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/points/?q=abductions")
    assert [point["text"] for point in response.json()["results"]] == ["On the abductions issue."]
    selecting_text = selecting(queries, '"readouts_point"."text"')
    assert selecting_text
    assert not [sql for sql in selecting_text if "abductions" in sql]


def test_a_page_of_points_reads_no_readout_s_source_text(api, archive):
    # Each point's row brings its readout along: the readout's source text and
    # lead, and the parent's text, would be sent once for every point.
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/points/?q=abductions")
    (point,) = response.json()["results"]
    assert point["readout"]["title"] and point["parent"]
    read = " ".join(query["sql"].split(" FROM ")[0] for query in queries)
    assert '"readouts_readout"."title"' in read
    assert '"readouts_readout"."source_text"' not in read
    assert '"readouts_readout"."lead"' not in read
    assert read.count('"text"') == 1  # the point's own text, not its parent's


def test_a_search_of_readouts_is_chosen_by_key_and_counted_as_read(api, archive):
    # As the points: ranked by key alone, then the page read in full without
    # searching again, and no count query finding every candidate once more.
    with CaptureQueriesContext(connection) as queries:
        found = api.get("/api/v1/readouts/?q=abductions").json()
    assert [readout["slug"] for readout in found["results"]] == [archive.slug]
    assert (found["count"], found["count_is_exact"]) == (1, True)
    assert not [query for query in queries if query["sql"].startswith("SELECT COUNT(*)")]
    selecting_titles = selecting(queries, '"readouts_readout"."title"')
    assert selecting_titles
    assert not [sql for sql in selecting_titles if "abductions" in sql]


@pytest.mark.parametrize("also", ["", "&country=AU", "&year=2022"])
def test_a_search_counts_its_facets_among_the_readouts_it_found(api, settings, also):
    many_readouts(25)
    make_readout(make_meeting(date=datetime.date(2021, 5, 1)), points=["Security, in 2021."])
    names = "country,year,topic"
    with CaptureQueriesContext(connection) as queries:
        found = api.get(f"/api/v1/readouts/?q=security&facets={names}{also}").json()
    # What the facets would be if each were counted by its own query.
    settings.ARCHIVE_CACHE_SECONDS = 0
    data = QueryDict(f"q=security&sort=relevance{also}", mutable=True)
    expected = facet_counts(
        ReadoutFilter(data, queryset=Readout.objects.listed()), names.split(",")
    )
    assert found["facets"] == json.loads(json.dumps(expected))
    assert found["count"] == (25 if also else 26)
    facet_rows = [query["sql"] for query in queries if "readouts_readoutfacet" in query["sql"]]
    # Counted among the readouts found, the facets under all the filters search no more.
    searching_again = [sql for sql in facet_rows if "readouts_point" in sql]
    assert len(searching_again) == (1 if also else 0)


def test_annotations_as_web_annotation_json_ld(api, archive):
    annotation = Annotation.objects.public().get()
    response = api.get(f"/api/v1/annotations/{annotation.pk}/", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    data = json.loads(response.content)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "Annotation"
    assert data["body"] == {
        "type": "TextualBody",
        "value": "Public.",
        "format": "text/markdown",
        "purpose": "describing",
    }
    assert data["target"] == {
        "source": f"http://testserver/readouts/{archive.slug}/points/{annotation.point.key}/",
        "selector": {
            "type": "TextQuoteSelector",
            "exact": "North Korea",
            "prefix": "discussed ",
            "suffix": "",
        },
    }
    page = json.loads(api.get("/api/v1/annotations/?format=jsonld").content)
    assert page["type"] == "AnnotationPage"
    assert page["partOf"]["total"] == 1
    assert [item["id"] for item in page["items"]] == [data["id"]]


# Nothing unpublished, anywhere


def test_anonymous_readers_never_see_drafts_or_internal_notes(api, archive):
    draft = Readout.objects.get(status=Readout.Status.DRAFT)
    silent = Readout.objects.get(status=Readout.Status.WITHDRAWN_SILENTLY)
    internal = Annotation.objects.get(visibility=Annotation.Visibility.INTERNAL)
    urls = [f"{url}?page_size=100" for url in LISTS] + [
        f"/api/v1/readouts/{archive.slug}/",
        f"/api/v1/meetings/{archive.meeting_id}/",
        "/api/v1/readouts/?facets=" + ",".join(["country", "kind", "topic", "person", "occasion"]),
        "/api/v1/readouts/?q=DRAFTMARKER",
        "/api/v1/points/?q=DRAFTMARKER",
        "/api/v1/points/?topic=north-korea",
        "/api/v1/readouts/harvest/",
        "/api/v1/readouts/export/csv/",
        "/api/v1/readouts/export/jsonl/",
        "/api/v1/annotations/?format=jsonld",
    ]
    for url in urls:
        response = api.get(url)
        assert response.status_code == 200, url
        text = body(response)
        for marker in MARKERS:
            assert marker not in text, (marker, url)
    hidden = [
        f"/api/v1/readouts/{draft.slug}/",
        f"/api/v1/readouts/{silent.slug}/",
        f"/api/v1/meetings/{draft.meeting_id}/",
        f"/api/v1/annotations/{internal.pk}/",
        f"/api/v1/points/{draft.points.get().pk}/",
        f"/api/v1/occasions/{draft.meeting.occasion.slug}/",
        "/api/v1/people/draftmarker-person/",
    ]
    for url in hidden:
        assert api.get(url).status_code == 404, url
    topic_counts = api.get("/api/v1/points/?topic=north-korea").json()["count"]
    assert topic_counts == 2


def test_editor_with_view_permission_sees_drafts_and_internal_notes(archive, editor):
    client = token_client(editor)
    draft = Readout.objects.get(status=Readout.Status.DRAFT)
    assert client.get(f"/api/v1/readouts/{draft.slug}/").status_code == 200
    titles = [r["title"] for r in client.get("/api/v1/readouts/").json()["results"]]
    assert "DRAFTMARKER readout" in titles
    detail = client.get(f"/api/v1/readouts/{archive.slug}/").json()
    assert "INTERNALMARKER: check the date." in [a["body"] for a in detail["annotations"]]


def test_signed_in_user_without_view_permission_sees_only_public(archive):
    client = token_client(make_user("visitor"))
    text = client.get("/api/v1/readouts/?page_size=100").content.decode()
    assert "DRAFTMARKER" not in text


# Parameters


@pytest.mark.parametrize("url", LISTS)
def test_unknown_parameter_is_a_400_naming_it(api, url):
    response = api.get(url, {"colour": "red"})
    assert response.status_code == 400
    assert "colour" in json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("date_after=yesterday", "date"),
        ("country=ZZ", "country"),
        ("kind=banquet", "kind"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page_size=1000", "page_size"),
        ("facets=colour", "facets"),
    ],
)
def test_malformed_value_is_a_400_naming_the_parameter(api, archive, query, parameter):
    response = api.get(f"/api/v1/readouts/?{query}")
    assert response.status_code == 400
    assert parameter in response.json()


def test_bad_cursor_is_a_400(api, archive):
    response = api.get("/api/v1/readouts/harvest/?cursor=nonsense")
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_page_size_is_capped(api, archive):
    assert api.get("/api/v1/countries/?page_size=100").status_code == 200
    assert api.get("/api/v1/countries/?page_size=101").status_code == 400


def test_facets_count_what_the_other_filters_leave(api, archive):
    data = api.get("/api/v1/readouts/?facets=country,language&language=ja").json()
    assert data["count"] == 1
    assert data["facets"]["country"] == [{"value": "US", "label": "United States", "count": 1}]
    languages = {f["value"]: f["count"] for f in data["facets"]["language"]}
    assert languages == {"en": 1, "ja": 1}
    assert "facets" not in api.get("/api/v1/readouts/").json()


def test_harvest_walks_every_readout_by_cursor(api, archive):
    for n in range(3):
        make_readout(title=f"Extra {n}", meeting=archive.meeting, language="ja")
    seen, url = [], "/api/v1/readouts/harvest/?page_size=2"
    while url:
        data = api.get(url).json()
        seen += [readout["slug"] for readout in data["results"]]
        url = data["next"]
    expected = Readout.objects.listed().order_by("pk").values_list("slug", flat=True)
    assert seen == list(expected)


def test_a_harvest_page_makes_its_serializers_once_not_per_readout(api, monkeypatch):
    """Nested serializers made for each readout and each point copied their
    fields each time: a page of 100 readouts spent most of its time on that."""
    from readouts import serializers

    made = []
    get_fields = serializers.ModelSerializer.get_fields
    monkeypatch.setattr(
        serializers.ModelSerializer,
        "get_fields",
        lambda self: made.append(type(self)) or get_fields(self),
    )

    def fields_made_for_a_page_of(readouts):
        for n in range(readouts):
            readout = make_readout(title=f"Talks {n}", points=["One.", "Two.", "Three."])
            first = readout.points.first()
            Point.objects.create(readout=readout, parent=first, label="(1)", position=11, text="A.")
        api.get("/api/v1/readouts/harvest/")  # each class makes its fields once, at first
        made.clear()
        response = api.get("/api/v1/readouts/harvest/")
        assert len(response.json()["results"]) == Readout.objects.listed().count()
        return sorted(cls.__name__ for cls in made)

    assert fields_made_for_a_page_of(1) == fields_made_for_a_page_of(4)


def test_api_and_html_list_agree_on_filters(api, client, archive):
    make_readout(title="Japan-Korea Summit Meeting", meeting=make_meeting(country_id="KR"))
    for query in ["", "language=ja", "country=US", "topic=north-korea", "q=abductions"]:
        api_titles = {r["title"] for r in api.get(f"/api/v1/readouts/?{query}").json()["results"]}
        page = client.get(f"/readouts/?{query}").content.decode()
        every_title = Readout.objects.values_list("title", flat=True)
        page_titles = {title for title in every_title if title in page}
        assert api_titles == page_titles, query


# Exports


def test_csv_export_streams_the_filtered_list(api, archive):
    response = api.get("/api/v1/readouts/export/csv/?language=en")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert [(row["slug"], row["meeting_date"], row["issuer"]) for row in rows] == [
        (archive.slug, "2022-11-13", "kantei")
    ]


def test_jsonl_export_is_one_readout_a_line(api, archive):
    response = api.get("/api/v1/readouts/export/jsonl/", HTTP_ACCEPT="application/jsonl")
    assert response.status_code == 200
    lines = [json.loads(line) for line in body(response).splitlines()]
    assert {line["title"] for line in lines} == {"Japan-U.S. Summit Meeting", "日米首脳会談"}
    assert lines[0]["country"] == "KH"


def test_export_with_a_bad_filter_is_a_json_400(api):
    response = api.get("/api/v1/readouts/export/csv/?colour=red")
    assert response.status_code == 400
    assert "colour" in response.content.decode()


# HTTP: conditional GET, throttling, CORS


@pytest.mark.parametrize("url", ["/api/v1/readouts/", "/api/v1/meetings/", "/api/v1/countries/"])
def test_unchanged_list_is_304_by_etag(api, archive, url):
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_another_page_of_a_list_has_another_etag(api, archive):
    etag = api.get("/api/v1/readouts/")["ETag"]
    other = api.get("/api/v1/readouts/?page_size=1", HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200
    assert other["ETag"] != etag


def test_readout_detail_is_304_until_it_changes(api, archive):
    url = f"/api/v1/readouts/{archive.slug}/"
    etag = api.get(url)["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    archive.title = "Retitled"
    archive.save()  # as every change does, it tells the cache
    changed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["title"] == "Retitled"


@pytest.mark.parametrize(
    "url", ["/api/v1/readouts/", "/api/v1/readouts/{slug}/", "/api/v1/meetings/"]
)
def test_a_change_no_date_of_the_body_s_own_records_is_never_answered_304(api, archive, url):
    """Answers carry no Last-Modified: the meeting of a listed readout moves,
    a note on a readout is deleted, and the dates of the readouts say nothing
    of it. A client asking "modified since?" was answered 304 and kept the old body."""
    url = url.format(slug=archive.slug)
    first = api.get(url)
    assert "Last-Modified" not in first
    meeting = archive.meeting
    meeting.city = "Siem Reap"
    meeting.save()
    Annotation.objects.filter(readout=archive).delete()
    changed = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Siem Reap" in changed.content.decode()
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=http_date(time.time() + 60)).status_code == 200
    assert api.get(url, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304


def test_anonymous_readers_are_throttled(api, monkeypatch):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "readouts.throttles.AnonymousThrottle"
    ]
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    assert [api.get("/api/v1/countries/").status_code for _ in range(3)] == [200, 200, 429]


def test_the_throttle_counts_each_window_and_says_when_the_next_opens(api, monkeypatch):
    from readouts.throttles import AnonymousThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    now = 6_000_000 * 60 + 45.5  # 45.5 s into a minute
    monkeypatch.setattr(AnonymousThrottle, "timer", lambda self: now)

    assert [api.get("/api/v1/countries/").status_code for _ in range(2)] == [200, 200]
    refused = api.get("/api/v1/countries/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "15"  # 14.5 s, rounded up as DRF does
    # However many requests a client makes, it is one small counter, not a
    # list of their times read and written back whole on each request.
    assert cache.get(f"throttle_anon_127.0.0.1:{int(now // 60)}") == 3

    now += 15
    assert api.get("/api/v1/countries/").status_code == 200


def test_the_redis_cache_counts_in_one_round_trip(redis_cache):
    from readouts.throttles import count

    redis_cache.delete("counted")
    client = redis_cache._cache.get_client(write=True)
    sent = []
    original = client.connection_pool.get_connection

    def counting(*args, **kwargs):
        sent.append(args)
        return original(*args, **kwargs)

    client.connection_pool.get_connection = counting
    try:
        assert [count(redis_cache, "counted", 60) for _ in range(3)] == [1, 2, 3]
    finally:
        del client.connection_pool.get_connection
    assert len(sent) == 3  # one connection taken, one pipeline sent, per count
    assert redis_cache.get("counted") == 3
    key = redis_cache.make_and_validate_key("counted")
    assert 0 < client.ttl(key) <= 60  # set when the counter was made, not renewed
    redis_cache.delete("counted")


@pytest.mark.parametrize("export", ["csv", "jsonl"])
def test_anonymous_exports_have_a_rate_of_their_own(api, editor, monkeypatch, export):
    monkeypatch.setitem(AnonRateThrottle.THROTTLE_RATES, "anon_export", "2/hour")
    url = f"/api/v1/readouts/export/{export}/"

    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 429]
    # The rest of the API still answers, and editors are not throttled.
    assert api.get("/api/v1/readouts/").status_code == 200
    editor_api = token_client(editor)
    assert [editor_api.get(url).status_code for _ in range(3)] == [200] * 3


def test_cors_allows_reading_the_api_from_anywhere(api, archive):
    response = api.get("/api/v1/readouts/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(
        "/api/v1/readouts/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    page = api.get("/readouts/", HTTP_ORIGIN="https://example.org")
    assert "Access-Control-Allow-Origin" not in page


# Writing: editors, model permissions and the workflow


@pytest.fixture
def new_readout(archive):
    return {
        "title": "Japan-Australia Summit Telephone Talk",
        "meeting": archive.meeting_id,
        "issuer": "kantei",
        "published_on": "2022-11-14",
        "language": "en",
        "lead": "The two leaders spoke.",
    }


def test_anonymous_cannot_write(api, new_readout):
    assert api.post("/api/v1/readouts/", new_readout, format="json").status_code in (401, 403)


def test_editor_drafts_submits_and_a_reviewer_publishes(api, new_readout, editor, reviewer):
    as_editor, as_reviewer = token_client(editor), token_client(reviewer)
    created = as_editor.post("/api/v1/readouts/", new_readout, format="json")
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    assert created.json()["status"] == "draft"
    assert api.get(f"/api/v1/readouts/{slug}/").status_code == 404

    url = f"/api/v1/readouts/{slug}/"
    submitted = as_editor.post(url + "submit/", {"note": "Ready."}, format="json")
    assert submitted.json()["status"] == "in_review"
    refused = as_editor.post(url + "publish/", {"reason": "In a hurry."}, format="json")
    assert refused.status_code == 403
    published = as_reviewer.post(url + "publish/", {}, format="json")
    assert published.status_code == 200, published.content
    assert api.get(url).json()["status"] == "published"


def test_publishing_ones_own_readout_needs_a_reason(new_readout, reviewer):
    client = token_client(reviewer)
    slug = client.post("/api/v1/readouts/", new_readout, format="json").json()["slug"]
    url = f"/api/v1/readouts/{slug}/publish/"
    refused = client.post(url, {}, format="json")
    assert refused.status_code == 400
    assert "reason" in json.dumps(refused.json())
    assert client.post(url, {"reason": "Urgent."}, format="json").status_code == 200


def test_change_needs_the_current_version(archive, editor):
    client = token_client(editor)
    url = f"/api/v1/readouts/{archive.slug}/"
    missing = client.patch(url, {"title": "New"}, format="json")
    assert missing.status_code == 400
    assert "version" in missing.json()
    changed = client.patch(url, {"title": "New", "version": 1}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2
    stale = client.patch(url, {"title": "Newer", "version": 1}, format="json")
    assert stale.status_code == 409
    assert Readout.objects.get(pk=archive.pk).title == "New"


def test_invalid_readout_is_a_json_400(archive, editor):
    client = token_client(editor)
    response = client.post(
        "/api/v1/readouts/",
        {"title": "", "meeting": archive.meeting_id, "issuer": "nobody"},
        format="json",
    )
    assert response.status_code == 400
    assert {"title", "issuer", "published_on"} <= set(response.json())


def test_session_writes_need_the_csrf_token(archive, editor, new_readout):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/api/v1/readouts/", new_readout, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_editor_annotates_a_quote(archive, editor):
    client = token_client(editor)
    point = archive.points.get(label="2.")
    response = client.post(
        "/api/v1/annotations/",
        {
            "readout": archive.slug,
            "point": point.key,
            "exact": "meet again",
            "kind": "context",
            "body": "In 2023.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["target"].endswith(f"/points/{point.key}/")
    misquoted = client.post(
        "/api/v1/annotations/",
        {
            "readout": archive.slug,
            "point": point.key,
            "exact": "never",
            "kind": "context",
            "body": "A note.",
        },
        format="json",
    )
    assert misquoted.status_code == 400
    assert "does not occur" in misquoted.json()["exact"][0]


def test_user_without_permission_is_403(archive):
    client = token_client(make_user("visitor"))
    response = client.patch(f"/api/v1/readouts/{archive.slug}/", {"version": 1}, format="json")
    assert response.status_code == 403


# Query counts stay flat as pages and the archive grow


def grow(archive, times):
    for n in range(times):
        meeting = make_meeting(date=datetime.date(2021, 1, 1) + datetime.timedelta(days=n))
        make_participation(meeting, make_person(f"Person {n}", f"P{n}", "US"), "Leader", "japan")
        readout = make_readout(meeting, title=f"Readout {n}", points=("One.", "Two.", "Three."))
        point = readout.points.first()
        point.topics.add(Topic.objects.get(slug="north-korea"))
        make_annotation(readout, point, "One", archive.created_by)
    facets.bring_up_to_date()  # as the first read after a change would


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/readouts/",
        "/api/v1/readouts/?facets=country,topic",
        "/api/v1/readouts/harvest/",
        "/api/v1/meetings/",
        "/api/v1/points/",
        "/api/v1/people/",
        "/api/v1/annotations/",
        "/api/v1/occasions/",
        "/api/v1/topics/",
    ],
)
def test_query_count_is_flat_as_the_archive_grows(api, archive, django_assert_max_num_queries, url):
    facets.bring_up_to_date()  # what is measured is reading, not the fixture's bookkeeping
    with django_assert_max_num_queries(20) as small:
        assert api.get(url).status_code == 200
    grow(archive, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(url + ("&" if "?" in url else "?") + "page_size=50").status_code == 200


def test_detail_query_count_does_not_grow_with_points(api, archive, django_assert_max_num_queries):
    url = f"/api/v1/readouts/{archive.slug}/"
    with django_assert_max_num_queries(20) as small:
        api.get(url)
    for n in range(10):
        point = Point.objects.create(readout=archive, label=f"{n + 3}.", position=100 + n, text="x")
        point.topics.add(Topic.objects.get(slug="abductions"))
        make_annotation(archive, point, "x", archive.created_by)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get(url).json()["annotations"]) == 11


def test_editor_groups_can_write_through_the_api():
    assert Group.objects.get(name="Editors").permissions.filter(codename="add_readout").exists()


def test_csv_export_defuses_spreadsheet_formulas(api, reviewer):
    make_readout(title='=HYPERLINK("http://evil.example","click")', created_by=reviewer)
    body = b"".join(api.get("/api/v1/readouts/export/csv/").streaming_content).decode()
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


def test_the_list_shows_each_readout_as_the_readout_serializer_does(api, archive, editor):
    """The list builds its rows directly from the summaries' values: they must be
    the serializer's, field by field."""
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from readouts.serializers import ReadoutSerializer

    occasion = Occasion.objects.create(name="G7 Summit", started_on=datetime.date(2023, 5, 19))
    with_occasion = make_readout(
        make_meeting(date=datetime.date(2023, 5, 19), occasion=occasion, kind="working_meal"),
        title="Working lunch",
    )
    withdrawn = make_readout(title="Withdrawn", status=Readout.Status.WITHDRAWN)
    withdrawn.withdrawal_note = "Superseded."
    withdrawn.save()
    readouts = list(Readout.objects.with_meeting_facts().order_by("pk"))
    assert with_occasion in readouts and len(readouts) >= 4
    context = {"request": Request(APIRequestFactory().get("/api/v1/readouts/"))}

    rows = Readout.objects.order_by("pk").summaries()
    listed = ReadoutSerializer(rows, many=True, context=context).data
    one_by_one = [ReadoutSerializer(readout, context=context).data for readout in readouts]

    assert json.loads(json.dumps(listed)) == json.loads(json.dumps(one_by_one))
    assert listed[[r.pk for r in readouts].index(with_occasion.pk)]["meeting"]["occasion"]["url"]


def test_the_fast_renderer_writes_what_drfs_renderer_writes():
    from decimal import Decimal

    from django.utils.translation import gettext_lazy
    from rest_framework.renderers import JSONRenderer

    from readouts.renderers import FastJSONRenderer

    data = {
        "title": "日米首脳会談 – “quoted”",
        "date": datetime.date(2022, 11, 13),
        "at": datetime.datetime(2022, 11, 13, 9, 30, tzinfo=datetime.UTC),
        "ratio": Decimal("0.25"),
        "message": gettext_lazy("This field is required."),
        "nested": [{"n": 1, "none": None, "yes": True}],
    }
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)
    indented = FastJSONRenderer().render(data, "application/json; indent=2")
    assert indented == JSONRenderer().render(data, "application/json; indent=2")


@pytest.mark.parametrize("field", ["issuer", "translation_of"])
def test_a_reference_holding_a_nul_character_is_refused_not_a_server_error(
    new_readout, editor, field
):
    written = token_client(editor).post(
        "/api/v1/readouts/", {**new_readout, field: "kan\x00tei"}, format="json"
    )
    assert written.status_code == 400, written.content
    assert field in written.json()
