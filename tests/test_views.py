"""The public pages: what a reader sees, what they must never see, and how many queries it takes."""

import datetime
import json
import re
from xml.etree import ElementTree

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from django.template.defaultfilters import pluralize
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from readouts import facets
from readouts.filters import ReadoutFilter, facet_counts
from readouts.models import Annotation, Meeting, Person, Point, Readout, WorkflowStep
from readouts.templatetags.readout_tags import facet_options
from readouts.views import add_snippets
from tests.builders import (
    make_annotation,
    make_meeting,
    make_occasion,
    make_participation,
    make_person,
    make_readout,
    make_topic,
    make_user,
    many_readouts,
)

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Secret Draft Summit Readout"
SILENT_TITLE = "Quietly Withdrawn Readout"
INTERNAL_BODY = "Internal: check this wording with the desk"
INTERNAL_NOTE = "Internal workflow note about the desk officer"


@pytest.fixture
def archive(django_user_model):
    """Two published readouts (US and Korea), a withdrawn one with notice, a draft, a silent one."""
    author = make_user("annie")
    kishida = make_person("KISHIDA Fumio", "KISHIDA", country="JP", slug="kishida-fumio")
    biden = make_person()
    yoon = make_person("YOON Suk Yeol", "YOON", country="KR")
    north_korea = make_topic("North Korea")
    abductions = make_topic("Abductions issue", parent=north_korea)
    economy = make_topic("Economy and trade")
    asean = make_occasion("ASEAN-related Summit Meetings", datetime.date(2022, 11, 11))

    us_meeting = make_meeting(
        date=datetime.date(2022, 11, 13),
        start_time=datetime.time(14, 55),
        time_zone="Asia/Phnom_Penh",
        duration_minutes=40,
        duration_approximate=True,
        occasion=asean,
    )
    make_participation(us_meeting, kishida, "Prime Minister of Japan", "japan")
    make_participation(us_meeting, biden, "President of the United States", "counterpart", 1)
    us = make_readout(
        us_meeting,
        title="Japan-U.S. Summit Meeting",
        translation_status=Readout.TranslationStatus.PROVISIONAL,
        lead="On November 13 the two leaders met.",
        source_url="https://japan.kantei.go.jp/101_kishida/diplomatic/202211/13usa.html",
        points=[
            "The leaders discussed the abductions issue and attemtps to change the status quo.",
            "The leaders discussed semiconductors and supply chains.",
        ],
    )
    first, second = us.points.all()
    sub = Point.objects.create(
        readout=us, parent=first, label="(1)", position=15, text="On China, they agreed."
    )
    first.topics.add(abductions)
    second.topics.add(economy)
    make_annotation(
        us, first, "attemtps", author, kind=Annotation.Kind.CORRECTION, body="Sic: *attempts*."
    )
    make_annotation(us, second, "semiconductors", author, body=INTERNAL_BODY, visibility="internal")
    WorkflowStep.objects.create(
        readout=us,
        actor=author,
        action=WorkflowStep.Action.PUBLISH,
        note=INTERNAL_NOTE,
        public_note="First published.",
    )
    WorkflowStep.objects.create(
        readout=us, actor=author, action=WorkflowStep.Action.SUBMIT, note="Submitted note"
    )

    kr_meeting = make_meeting(date=datetime.date(2023, 3, 16), city="Tokyo", country_id="JP")
    make_participation(kr_meeting, kishida, "Prime Minister of Japan", "japan")
    make_participation(kr_meeting, yoon, "President of the Republic of Korea", "counterpart", 1)
    kr = make_readout(
        kr_meeting,
        title="Japan-ROK Summit Meeting",
        points=["The leaders discussed North Korea's missiles.", "They discussed trade."],
    )
    kr.points.first().topics.add(north_korea)

    withdrawn = make_readout(
        make_meeting(date=datetime.date(2021, 5, 1)),
        title="Withdrawn With Notice Readout",
        status=Readout.Status.WITHDRAWN,
        withdrawal_note="Replaced by a corrected text.",
    )
    draft = make_readout(us_meeting, title=DRAFT_TITLE, status=Readout.Status.DRAFT)
    silent = make_readout(
        make_meeting(date=datetime.date(2022, 12, 1)),
        title=SILENT_TITLE,
        status=Readout.Status.WITHDRAWN_SILENTLY,
    )
    return {
        "us": us,
        "kr": kr,
        "sub": sub,
        "withdrawn": withdrawn,
        "draft": draft,
        "silent": silent,
        "biden": biden,
        "kishida": kishida,
        "north_korea": north_korea,
        "abductions": abductions,
        "asean": asean,
    }


def text(response):
    return response.content.decode()


# Home


def test_home_shows_latest_readouts_and_ways_in(client, archive):
    response = client.get(reverse("readouts:home"))

    assert response.status_code == 200
    body = text(response)
    assert "Japan-ROK Summit Meeting" in body and "Japan-U.S. Summit Meeting" in body
    assert reverse("readouts:country", args=["us"]) in body
    assert reverse("readouts:administration", args=[101]) in body
    assert reverse("readouts:topic", args=["economy-and-trade"]) in body
    assert "?kind=summit_meeting" in body
    assert "<svg" in body and "Meetings per month" in body


def test_home_never_shows_drafts_or_withdrawn_readouts(client, archive):
    body = text(client.get(reverse("readouts:home")))

    assert DRAFT_TITLE not in body and SILENT_TITLE not in body
    assert "Withdrawn With Notice Readout" not in body


# The list and its filters


def titles(response):
    return [readout.title for readout in response.context["readouts"]]


def test_list_shows_listed_readouts_newest_meeting_first(client, archive):
    response = client.get(reverse("readouts:list"))

    assert response.status_code == 200
    assert titles(response) == ["Japan-ROK Summit Meeting", "Japan-U.S. Summit Meeting"]
    body = text(response)
    assert DRAFT_TITLE not in body and SILENT_TITLE not in body
    assert "Withdrawn With Notice Readout" not in body


def test_a_listed_readout_shows_its_meeting_issuer_and_counterparts_escaped(client, archive):
    hostile = "<b>x</b> & <script>alert(1)</script>"
    meeting = make_meeting(
        date=datetime.date(2023, 5, 21),
        city=f"Hiroshima {hostile}",
        kind=Meeting.Kind.SUMMIT_TELEPHONE_TALK,
    )
    for position, name in enumerate(["Anthony Albanese", f"Someone {hostile}"]):
        make_participation(
            meeting, make_person(name, family_name=name), "Leader", "counterpart", position
        )
    readout = make_readout(
        meeting,
        title=f"Summit {hostile}",
        translation_status=Readout.TranslationStatus.PROVISIONAL,
    )

    for page in (reverse("readouts:list"), reverse("readouts:home")):
        body = text(client.get(page))
        item = re.search(r'<li class="readout-item">(?:(?!</li>).)*Summit.*?</li>', body, re.S)[0]
        escaped = escape(hostile)
        assert (
            f'<a class="readout-link" href="{readout.get_absolute_url()}">Summit {escaped}</a>'
            in item
        )
        assert '<time datetime="2023-05-21">21 May 2023</time>' in item
        assert f"Summit telephone talk · Hiroshima {escaped}, Cambodia" in item
        assert "· Prime Minister&#x27;s Office of Japan ·" in item
        assert '<span class="badge">Provisional translation</span>' in item
        assert f"With Anthony Albanese, Someone {escaped}</span>" in item
        assert "<script>" not in item and "<b>" not in item


def test_list_sorts_oldest_first_on_request(client, archive):
    response = client.get(reverse("readouts:list"), {"sort": "date"})
    assert titles(response) == ["Japan-U.S. Summit Meeting", "Japan-ROK Summit Meeting"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"country": "US"}, ["Japan-U.S. Summit Meeting"]),
        ({"country": ["US", "KR"]}, ["Japan-ROK Summit Meeting", "Japan-U.S. Summit Meeting"]),
        ({"year": "2023"}, ["Japan-ROK Summit Meeting"]),
        ({"date_after": "2023-01-01"}, ["Japan-ROK Summit Meeting"]),
        ({"date_before": "2022-12-31"}, ["Japan-U.S. Summit Meeting"]),
        ({"person": "yoon-suk-yeol"}, ["Japan-ROK Summit Meeting"]),
        ({"administration": "101"}, ["Japan-ROK Summit Meeting", "Japan-U.S. Summit Meeting"]),
        ({"administration": "99"}, []),
        ({"occasion": "asean-related-summit-meetings-2022"}, ["Japan-U.S. Summit Meeting"]),
        ({"kind": "summit_meeting"}, ["Japan-ROK Summit Meeting", "Japan-U.S. Summit Meeting"]),
        ({"kind": "courtesy_call"}, []),
        ({"topic": "economy-and-trade"}, ["Japan-U.S. Summit Meeting"]),
        # A topic includes its subtopics.
        ({"topic": "north-korea"}, ["Japan-ROK Summit Meeting", "Japan-U.S. Summit Meeting"]),
        ({"topic": "abductions-issue"}, ["Japan-U.S. Summit Meeting"]),
        ({"issuer": "kantei"}, ["Japan-ROK Summit Meeting", "Japan-U.S. Summit Meeting"]),
        ({"issuer": "white-house"}, []),
        ({"language": "ja"}, []),
        ({"translation_status": "provisional"}, ["Japan-U.S. Summit Meeting"]),
        ({"translation_status": "original"}, ["Japan-ROK Summit Meeting"]),
        ({"q": "semiconductors"}, ["Japan-U.S. Summit Meeting"]),
        ({"q": "missiles"}, ["Japan-ROK Summit Meeting"]),
        ({"country": "US", "year": "2023"}, []),
    ],
)
def test_each_filter_narrows_the_list(client, archive, params, expected):
    response = client.get(reverse("readouts:list"), params)

    assert response.status_code == 200
    assert titles(response) == expected


def test_filter_choices_stay_in_the_form_as_a_shareable_url(client, archive):
    response = client.get(reverse("readouts:list"), {"country": "US", "q": "leaders"})
    body = text(response)

    assert '<form class="filters" method="get"' in body
    assert re.search(r'name="country" value="US" checked', body)
    assert 'value="leaders"' in body
    assert "country=US" in response.context["feed_url"]


def facet(response, name):
    groups = {group["name"]: group for group in response.context["facets"]}
    return {option["value"]: option["count"] for option in groups[name]["options"]}


def test_facet_counts_reflect_the_other_filters(client, archive):
    everything = client.get(reverse("readouts:list"))
    assert facet(everything, "country") == {"US": 1, "KR": 1}
    assert facet(everything, "year") == {"2022": 1, "2023": 1}

    korea = client.get(reverse("readouts:list"), {"country": "KR"})
    # The year counts narrow to Korea; the country counts still offer the others.
    assert facet(korea, "year") == {"2023": 1}
    assert facet(korea, "country") == {"US": 1, "KR": 1}
    assert facet(korea, "translation_status") == {"original": 1}
    assert "(1)" in text(korea)


def test_a_list_filtered_by_facets_looks_each_choice_up_once(client, archive):
    # Each facet is counted under the other filters; when those are facets,
    # the list's own cleaned choices say which readouts they leave.
    query = {"country": ["US", "KR"], "year": "2023", "kind": "summit_meeting"}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("readouts:list"), query)
    assert facet(response, "year") == {"2022": 1, "2023": 1}
    assert facet(response, "country") == {"KR": 1, "US": 0}  # US chosen, none in 2023
    looked_up = [q["sql"] for q in queries if q["sql"].startswith('SELECT "readouts_country"')]
    assert len(looked_up) == 1, looked_up


def test_facets_never_count_drafts(client, archive):
    response = client.get(reverse("readouts:list"))
    assert sum(facet(response, "kind").values()) == 2
    assert facet(response, "administration") == {"101": 2}


def test_administrations_are_offered_latest_first_whatever_their_counts(client, db):
    for day in (datetime.date(2020, 1, 10), datetime.date(2020, 2, 10)):
        make_readout(make_meeting(date=day), title=f"Meeting of {day}")
    make_readout(make_meeting(date=datetime.date(2022, 11, 13)), title="Later meeting")

    response = client.get(reverse("readouts:list"))

    assert list(facet(response, "administration").items()) == [("101", 1), ("98", 2)]


def test_a_facet_value_is_escaped_in_its_checkbox(client, db):
    meeting = make_meeting()
    hostile = make_person("<img src=x onerror=alert(1)>", "X", country="US", slug="x")
    make_participation(meeting, hostile, "President", "counterpart")
    make_readout(meeting)

    body = text(client.get(reverse("readouts:list")))

    assert "<img src=x" not in body
    assert re.search(
        r'<input type="checkbox" name="person" value="x"> &lt;img src=x onerror=alert\(1\)&gt; '
        r'<span class="count">\(1\)</span>',
        body,
    )


def test_facet_options_are_radio_buttons_for_a_choice_of_one_and_escape_what_they_show():
    options = [
        {"value": 2022, "label": "2022", "count": 5, "checked": True},
        {"value": '1" autofocus onfocus="alert(1)', "label": "<b>", "count": 1, "checked": False},
    ]
    assert facet_options({"name": "year", "single": True}, options) == (
        '<li><label><input type="radio" name="year" value="2022" checked> 2022'
        ' <span class="count">(5)</span></label></li>'
        '<li><label><input type="radio" name="year"'
        ' value="1&quot; autofocus onfocus=&quot;alert(1)"> &lt;b&gt;'
        ' <span class="count">(1)</span></label></li>'
    )


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("year=abc", "year"),
        ("country=ZZ", "country"),
        ("date_after=2022-13-45", "date_after"),
        ("q=%00", "q"),
        ("q=a%00b", "q"),
        ("country=%00", "country"),
        ("person=%00", "person"),
        ("topic=%00", "topic"),
        ("kind=%00", "kind"),
        ("year=%00", "year"),
        (f"q={'x' * 5000}", "q"),
        ("year=2022;DROP TABLE readouts_readout", "year"),
        ("country=US' OR '1'='1", "country"),
        ("administration=1 OR 1=1", "administration"),
        ("sort=pk;--", "sort"),
        ("foo=1", "foo"),
        ("year=99999", "year"),
    ],
)
def test_malformed_or_hostile_parameters_get_a_message_naming_them(
    client, archive, query, parameter
):
    response = client.get(f"{reverse('readouts:list')}?{query}")

    assert response.status_code == 400
    body = text(response)
    assert "cannot be shown as asked" in body
    assert f"“{parameter}" in body
    assert list(response.context["readouts"]) == []


def test_sql_looking_search_is_just_words(client, archive):
    response = client.get(reverse("readouts:list"), {"q": "' OR 1=1; DROP TABLE x; --"})
    assert response.status_code == 200
    assert Readout.objects.count() == 5


def test_search_result_shows_a_highlighted_escaped_snippet(client, archive):
    Point.objects.create(
        readout=archive["kr"],
        label="3.",
        position=30,
        text="They rejected <script>alert(1)</script>.",
    )

    response = client.get(reverse("readouts:list"), {"q": "rejected"})
    body = text(response)

    assert "<mark>rejected</mark>" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body


def test_search_snippet_links_to_the_matching_point(client, archive):
    body = text(client.get(reverse("readouts:list"), {"q": "semiconductors"}))
    second = archive["us"].points.get(position=20)
    assert f"#{second.anchor}" in body
    assert "<mark>semiconductors</mark>" in body


def test_list_is_paginated_and_pages_keep_the_filters(client, archive):
    many_readouts(25)
    response = client.get(reverse("readouts:list"), {"country": "AU"})

    assert len(response.context["readouts"]) == 20
    assert "page=2" in text(response) and "country=AU" in text(response)
    second = client.get(reverse("readouts:list"), {"country": "AU", "page": 2})
    assert len(second.context["readouts"]) == 5


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_does_not_grow_with_the_archive(
    client, django_assert_max_num_queries, count
):
    many_readouts(count)
    with django_assert_max_num_queries(32):
        response = client.get(reverse("readouts:list"))
    assert response.status_code == 200


def test_lists_read_only_what_they_show_of_each_readout(client, archive):
    archive["us"].source_text = "The whole text as published. " * 1000
    archive["us"].save()
    for page, readouts in [
        (reverse("readouts:list"), "readouts"),
        (reverse("readouts:list") + "?q=summit", "readouts"),
        (reverse("readouts:home"), "latest"),
    ]:
        response = client.get(page)
        us = next(r for r in response.context[readouts] if r.pk == archive["us"].pk)
        # Not the source text (most of a readout's bytes), nor what no list shows.
        assert {"source_text", "source_url", "created_by_id"} <= us.get_deferred_fields()
        assert "With Joseph R. Biden" in response.content.decode(), page
        assert '<time datetime="2022-11-13">13 November 2022</time>' in text(response), page


@pytest.mark.parametrize("count", [3, 30])
def test_search_query_count_does_not_grow_with_the_archive(
    client, django_assert_max_num_queries, count
):
    many_readouts(count)
    with django_assert_max_num_queries(33):
        response = client.get(reverse("readouts:list"), {"q": "security", "country": "AU"})
    assert response.status_code == 200
    assert response.context["paginator"].count == count


def counts_of_their_own(queries):
    return [query["sql"] for query in queries if query["sql"].startswith("SELECT COUNT(*)")]


def test_a_search_is_counted_as_its_page_is_read(client):
    # Ranking a page ranks every candidate: a count of its own would find them all again.
    many_readouts(25)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("readouts:list"), {"q": "security"})
    assert not counts_of_their_own(queries)
    assert first.context["paginator"].count == 25
    assert len(first.context["readouts"]) == 20
    assert (
        len(client.get(reverse("readouts:list"), {"q": "security", "page": 2}).context["readouts"])
        == 5
    )
    assert client.get(reverse("readouts:list"), {"q": "security", "page": 3}).status_code == 404
    nothing = client.get(reverse("readouts:list"), {"q": "quokka"})
    assert nothing.status_code == 200
    assert nothing.context["paginator"].count == 0
    with CaptureQueriesContext(connection) as queries:
        points = client.get(reverse("api:point-list"), {"q": "security", "page_size": 10}).json()
    assert not counts_of_their_own(queries)
    assert (points["count"], len(points["results"])) == (25, 10)


@pytest.mark.parametrize("also", [{}, {"country": "AU"}, {"year": "2022"}])
def test_a_search_counts_its_facets_among_the_readouts_it_found(client, settings, also):
    many_readouts(25)
    make_readout(make_meeting(date=datetime.date(2021, 5, 1)), points=["Security, in 2021."])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("readouts:list"), {"q": "security", **also})
    # What the facets would be if each were counted by its own query.
    settings.ARCHIVE_CACHE_SECONDS = 0
    data = QueryDict(mutable=True)
    data.update({"q": "security", "sort": "relevance", **also})
    expected = facet_counts(ReadoutFilter(data, queryset=Readout.objects.listed()))
    shown = {facet["name"]: facet["options"] for facet in response.context["facets"]}
    for name, options in shown.items():
        assert {(o["value"], o["count"]) for o in options} == {
            (str(row["value"]), row["count"]) for row in expected[name]
        }, name
    facet_rows = [query["sql"] for query in queries if "readouts_readoutfacet" in query["sql"]]
    # Counted among the readouts found, the facets under all the filters search no more.
    searching_again = [sql for sql in facet_rows if "readouts_point" in sql]
    assert len(searching_again) == len(also)


@pytest.mark.parametrize("count", [3, 30])
def test_home_query_count_does_not_grow_with_the_archive(
    client, django_assert_max_num_queries, count
):
    many_readouts(count)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("readouts:home")).status_code == 200


# A readout


def test_readout_page_shows_the_headline_facts(client, archive):
    response = client.get(archive["us"].get_absolute_url())

    assert response.status_code == 200
    body = text(response)
    assert "<h1" in body and body.count("<h1") == 1
    assert "Sunday 13 November 2022" in body
    assert "14:55 local time (16:55 Japan time)" in body
    assert "About 40 minutes" in body
    assert "Phnom Penh, Cambodia" in body
    assert archive["asean"].get_absolute_url() in body
    assert "Provisional translation" in body
    assert f'href="{archive["biden"].get_absolute_url()}"' in body
    assert "President of the United States" in body
    assert reverse("readouts:administration", args=[101]) in body
    assert archive["us"].source_url in body


def test_readout_points_are_numbered_nested_and_linkable(client, archive):
    body = text(client.get(archive["us"].get_absolute_url()))
    first = archive["us"].points.get(position=10)
    sub = archive["sub"]

    assert f'id="{first.anchor}"' in body and f'id="{sub.anchor}"' in body
    assert re.search(r'<ol class="sub-points">\s*<li id="' + sub.anchor, body)
    assert reverse("readouts:point", args=[archive["us"].slug, sub.key]) in body
    assert "Link to this point" in body


def test_point_link_survives_renumbering(client, archive):
    point = archive["us"].points.get(position=20)
    point.label = "7."
    point.save()

    response = client.get(reverse("readouts:point", args=[archive["us"].slug, point.key]))

    assert response.status_code == 302
    assert response["Location"] == f"{archive['us'].get_absolute_url()}#{point.anchor}"


def test_point_link_of_a_draft_is_404(client, archive):
    point = archive["draft"].points.first()
    assert (
        client.get(reverse("readouts:point", args=[archive["draft"].slug, point.key])).status_code
        == 404
    )


def test_public_annotation_is_a_footnote_tied_to_its_quote(client, archive):
    body = text(client.get(archive["us"].get_absolute_url()))

    assert '<mark class="annotated">attemtps</mark>' in body
    assert 'id="fnref-1" href="#fn-1"' in body
    assert 'id="fn-1"' in body and 'href="#fnref-1"' in body
    assert "Sic: <em>attempts</em>." in body


def test_internal_annotations_and_notes_never_reach_the_public(client, archive):
    body = text(client.get(archive["us"].get_absolute_url()))

    assert INTERNAL_BODY not in body
    assert INTERNAL_NOTE not in body and "Submitted note" not in body
    assert "First published." in body
    assert DRAFT_TITLE not in body


def test_draft_is_404_for_anonymous(client, archive):
    assert client.get(archive["draft"].get_absolute_url()).status_code == 404


def test_silently_withdrawn_readout_is_404(client, archive):
    assert client.get(archive["silent"].get_absolute_url()).status_code == 404


def test_withdrawn_readout_with_notice_stays_readable_with_the_notice(client, archive):
    response = client.get(archive["withdrawn"].get_absolute_url())
    assert response.status_code == 200
    assert "Replaced by a corrected text." in text(response)


def test_editor_previews_a_draft_under_a_banner(editor_client, archive):
    response = editor_client.get(archive["draft"].get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this readout is draft" in text(response)


def test_readout_page_links_previous_and_next_listed_readouts(client, archive):
    response = client.get(archive["us"].get_absolute_url())

    assert response.context["next_readout"] == archive["kr"]
    # The silently withdrawn readout (1 December 2022) and the withdrawn one are skipped.
    assert response.context["previous_readout"] is None
    assert client.get(archive["kr"].get_absolute_url()).context["previous_readout"] == archive["us"]
    # Read for a link: not the texts, which are most of a readout's bytes.
    assert {"lead", "source_text"} <= response.context["next_readout"].get_deferred_fields()
    assert f'Next: {archive["kr"].title} <span class="meta">(16 March 2023)' in text(response)


def test_a_readouts_neighbours_are_sought_from_its_own_date(client, archive):
    # Bounded only by an OR, the date index was read from the archive's first
    # (or last) meeting up to the readout's: 12 ms a neighbour in mid-archive.
    same_day = make_readout(archive["us"].meeting, title="Same day, later entered")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(archive["us"].get_absolute_url())
    assert response.context["next_readout"] == same_day
    day = archive["us"].meeting.date.isoformat()
    sought = [
        query["sql"]
        for query in queries
        if query["sql"].startswith('SELECT "readouts_readout"') and query["sql"].endswith("LIMIT 1")
    ]
    assert len(sought) == 2, sought
    bounds = [f'"readouts_meeting"."date" <= \'{day}\'', f'"readouts_meeting"."date" >= \'{day}\'']
    assert all(any(bound in sql for sql in sought) for bound in bounds), sought


def test_readout_page_lists_the_meetings_other_public_readouts(client, archive):
    original = make_readout(
        archive["us"].meeting, title="日米首脳会談", language="ja", points=["両首脳は会談した。"]
    )
    response = client.get(archive["us"].get_absolute_url())
    body = text(response)

    assert "日米首脳会談" in body
    assert reverse("readouts:compare", args=[archive["us"].slug, original.slug]) in body
    assert DRAFT_TITLE not in body


def test_side_by_side_pairs_points_by_translation_then_position(client, archive):
    original = make_readout(
        archive["us"].meeting,
        title="日米首脳会談",
        language="ja",
        points=["第一点。", "第二点。"],
    )
    first_ja, second_ja = original.points.all()
    second_en = archive["us"].points.get(position=20)
    second_en.translates = first_ja  # deliberately crossed: `translates` wins over position
    second_en.save()

    response = client.get(reverse("readouts:compare", args=[archive["us"].slug, original.slug]))

    assert response.status_code == 200
    pairs = [(a and a.text, b and b.text) for a, b in response.context["rows"]]
    assert (second_en.text, "第一点。") in pairs
    assert (archive["us"].points.get(position=10).text, "第二点。") in pairs


def test_side_by_side_with_a_draft_is_404(client, archive):
    url = reverse("readouts:compare", args=[archive["us"].slug, archive["draft"].slug])
    assert client.get(url).status_code == 404


def test_readout_page_offers_citations(client, archive):
    body = text(client.get(archive["us"].get_absolute_url()))
    assert "@misc{kantei20221113," in body
    assert "Prime Minister&#x27;s Office of Japan. “Japan-U.S. Summit Meeting”" in body


def test_point_citation_names_the_point(client, archive):
    sub = archive["sub"]
    response = client.get(reverse("readouts:cite_point", args=[archive["us"].slug, sub.key]))

    assert response.status_code == 200
    body = text(response)
    assert "point 1(1)" in body
    assert f"#{sub.anchor}" in body
    assert f"@misc{{kantei20221113-{sub.key}," in body


def test_readout_page_has_json_ld_and_opengraph(client, archive):
    body = text(client.get(archive["us"].get_absolute_url()))

    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)[1]
    )
    assert data["@type"] == "Article"
    assert data["about"]["@type"] == "Event"
    assert data["about"]["startDate"] == "2022-11-13T14:55:00+07:00"
    assert '<meta property="og:title" content="Japan-U.S. Summit Meeting">' in body


def test_json_ld_cannot_close_its_script_element(client, archive):
    archive["us"].title = "</script><script>alert(1)</script>"
    archive["us"].save()
    body = text(client.get(archive["us"].get_absolute_url()))
    assert "<script>alert(1)" not in body


@pytest.mark.parametrize("count", [3, 30])
def test_readout_query_count_does_not_grow_with_its_points(
    client, archive, django_assert_max_num_queries, count
):
    readout = archive["us"]
    author = make_user("nora")
    for number in range(count):
        point = Point.objects.create(
            readout=readout, label=f"{number + 10}.", position=100 + number, text=f"Point {number}."
        )
        point.topics.add(archive["north_korea"])
        make_annotation(readout, point, "Point", author)
        # Sub-points, annotated too: their labels ("10(1)") read their parent's.
        sub_point = Point.objects.create(
            readout=readout, parent=point, label="(1)", position=101 + number, text="Sub-point."
        )
        make_annotation(readout, sub_point, "Sub-point", author)
    with django_assert_max_num_queries(10):
        response = client.get(readout.get_absolute_url())
    assert len(response.context["footnotes"]) == 2 * count + 1
    assert f"point {count + 9}(1)" in response.content.decode()


# Browse and index pages


def test_country_page_is_the_list_narrowed_to_that_country(client, archive):
    response = client.get(reverse("readouts:country", args=["kr"]))

    assert response.status_code == 200
    assert titles(response) == ["Japan-ROK Summit Meeting"]
    assert "Meetings with Korea (South)" in text(response)
    # The other filters still apply on top.
    narrowed = client.get(reverse("readouts:country", args=["kr"]), {"year": "2022"})
    assert titles(narrowed) == []


@pytest.mark.parametrize("code", ["zz", "usa", "u%00"])
def test_unknown_country_page_is_404(client, archive, code):
    assert client.get(f"/countries/{code}/").status_code == 404


def test_person_page(client, archive):
    response = client.get(archive["biden"].get_absolute_url())
    assert response.status_code == 200
    assert titles(response) == ["Japan-U.S. Summit Meeting"]
    assert "Joseph R. Biden, Jr." in text(response)


def test_administration_page_shows_its_term(client, archive):
    response = client.get(reverse("readouts:administration", args=[101]))
    body = text(response)

    assert titles(response) == ["Japan-ROK Summit Meeting", "Japan-U.S. Summit Meeting"]
    assert "10 November 2021" in body and "1 October 2024" in body
    assert client.get(reverse("readouts:administration", args=[1])).status_code == 404


def test_topic_page_includes_subtopics(client, archive):
    response = client.get(archive["north_korea"].get_absolute_url())
    body = text(response)

    assert titles(response) == ["Japan-ROK Summit Meeting", "Japan-U.S. Summit Meeting"]
    assert archive["abductions"].get_absolute_url() in body


def test_occasion_page(client, archive):
    response = client.get(archive["asean"].get_absolute_url())
    assert titles(response) == ["Japan-U.S. Summit Meeting"]
    assert "ASEAN-related Summit Meetings" in text(response)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("readouts:countries", ["Korea (South)", "United States"]),
        ("readouts:people", ["KISHIDA Fumio", "YOON Suk Yeol"]),
        ("readouts:topics", ["North Korea", "Abductions issue", "Economy and trade"]),
        ("readouts:occasions", ["ASEAN-related Summit Meetings"]),
        ("readouts:administrations", ["101st prime minister"]),
    ],
)
def test_index_pages_list_subjects_with_counts(client, archive, name, expected):
    response = client.get(reverse(name))

    assert response.status_code == 200
    body = text(response)
    for label in expected:
        assert label in body
    assert DRAFT_TITLE not in body


def test_country_index_counts_only_published_readouts(client, archive):
    body = text(client.get(reverse("readouts:countries")))
    assert re.search(r"United States</a> <span class=\"count\">1 readout<", body)


def test_topic_index_counts_subtopics_in_their_parent(client, archive):
    body = text(client.get(reverse("readouts:topics")))
    assert re.search(r"North Korea</a> <span class=\"count\">2 readouts<", body)


def test_people_index_links_each_person_with_their_country_and_count(client, archive):
    hostile = make_person("<b>Bold</b> & Co", "Bold", country="KR")
    make_participation(archive["us"].meeting, hostile, "Guest", "counterpart", 2)
    body = text(client.get(reverse("readouts:people")))

    for person in Person.objects.filter(participations__meeting__readouts__status="published"):
        count = Readout.objects.listed().filter(meeting__participations__person=person).count()
        assert (
            f'<li><a href="{person.get_absolute_url()}">{escape(person)}</a>'
            f' <span class="meta">{person.country}</span>'
            f' <span class="count">{count} readout{pluralize(count)}</span></li>'
        ) in body
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in body and "<b>Bold" not in body
    assert "1 readout<" in body and "2 readouts<" in body


@pytest.mark.parametrize(
    "name", ["readouts:countries", "readouts:people", "readouts:topics", "readouts:occasions"]
)
@pytest.mark.parametrize("count", [3, 30])
def test_index_query_count_does_not_grow(client, django_assert_max_num_queries, name, count):
    many_readouts(count)
    with django_assert_max_num_queries(5):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_browse_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    many_readouts(count)
    with django_assert_max_num_queries(32):
        assert client.get(reverse("readouts:country", args=["au"])).status_code == 200


# Machine-readable edges


def test_atom_feed_lists_only_listed_readouts(client, archive):
    response = client.get(reverse("readouts:feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = text(response)
    assert "Japan-ROK Summit Meeting" in body and "Japan-U.S. Summit Meeting" in body
    assert DRAFT_TITLE not in body and "Withdrawn With Notice" not in body


def test_atom_feed_follows_the_list_filters(client, archive):
    body = text(client.get(reverse("readouts:feed"), {"country": "KR"}))
    assert "Japan-ROK Summit Meeting" in body and "Japan-U.S. Summit Meeting" not in body


def test_atom_feed_refuses_a_malformed_filter(client, archive):
    response = client.get(reverse("readouts:feed"), {"year": "abc"})
    assert response.status_code == 400
    assert "year" in text(response)


@pytest.mark.parametrize("count", [3, 30])
def test_feed_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    many_readouts(count)
    with django_assert_max_num_queries(3):
        assert client.get(reverse("readouts:feed")).status_code == 200


SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_addresses(client, path):
    """The paths a sitemap or sitemap index lists, read as XML."""
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    assert root.tag in (f"{{{SITEMAPS}}}urlset", f"{{{SITEMAPS}}}sitemapindex")
    entries = list(root)
    if path.startswith("/sitemap-readouts-"):
        # Each readout says when it last changed, as a date.
        for url in entries:
            assert datetime.date.fromisoformat(url.findtext(f"{{{SITEMAPS}}}lastmod"))
    return [
        entry.findtext(f"{{{SITEMAPS}}}loc").removeprefix("http://testserver") for entry in entries
    ]


def test_the_sitemap_is_an_index_of_a_sitemap_a_year_of_listed_readouts(client, archive):
    sections = sitemap_addresses(client, "/sitemap.xml")
    years = sorted({readout.meeting.date.year for readout in Readout.objects.listed()})
    assert sections == ["/sitemap-pages.xml", *(f"/sitemap-readouts-{year}.xml" for year in years)]

    listed = {readout.get_absolute_url() for readout in Readout.objects.listed()}
    for year in years:
        addresses = sitemap_addresses(client, f"/sitemap-readouts-{year}.xml")
        assert set(addresses) == {
            readout.get_absolute_url()
            for readout in Readout.objects.listed().filter(meeting__date__year=year)
        }
        listed -= set(addresses)
    assert not listed
    assert reverse("readouts:charts") in sitemap_addresses(client, "/sitemap-pages.xml")


def test_a_year_of_drafts_alone_has_no_sitemap(client, archive):
    make_readout(make_meeting(date=datetime.date(1999, 1, 1)), title="Draft", status="draft")
    draft_year = archive["draft"].meeting.date.year

    assert "/sitemap-readouts-1999.xml" not in sitemap_addresses(client, "/sitemap.xml")
    for section in ("readouts-1999", "readouts-abcd", "readouts-20222", "readouts-0000", "nothing"):
        assert client.get(f"/sitemap-{section}.xml").status_code == 404
    addresses = sitemap_addresses(client, f"/sitemap-readouts-{draft_year}.xml")
    assert archive["draft"].get_absolute_url() not in addresses
    assert archive["silent"].get_absolute_url() not in addresses


def test_the_sitemap_index_costs_the_same_queries_for_any_number_of_years(
    client, archive, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        client.get("/sitemap.xml")
    for year in range(2000, 2010):
        make_readout(make_meeting(date=datetime.date(year, 1, 1)), title=f"Summit of {year}")
    with django_assert_max_num_queries(1):
        sections = sitemap_addresses(client, "/sitemap.xml")
    assert "/sitemap-readouts-2009.xml" in sections


@pytest.mark.parametrize(
    "path, budget, shown",
    [
        ("/charts/", 4, "January 2022"),
        ("/charts/?by=topic", 4, "Security"),
        ("/sitemap.xml", 1, "/sitemap-readouts-2022.xml"),
        ("/sitemap-readouts-2022.xml", 3, "/readouts/2022-01-01-meeting-number-0/"),
        ("/sitemap-pages.xml", 0, "/charts/"),
    ],
)
@pytest.mark.parametrize("count", [3, 30])
def test_charts_and_sitemaps_query_count_does_not_grow(
    client, django_assert_max_num_queries, path, budget, shown, count
):
    many_readouts(count)
    with django_assert_max_num_queries(budget):
        response = client.get(path)
    assert shown in text(response)


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in text(response)


@pytest.mark.parametrize("by", ["country", "topic", "nonsense"])
def test_charts_are_svg_with_a_table(client, archive, by):
    response = client.get(reverse("readouts:charts"), {"by": by})

    assert response.status_code == 200
    body = text(response)
    assert "<svg viewBox" in body and 'role="img"' in body
    assert "<table>" in body and "November 2022" in body
    assert "Korea (South)" in body if by != "topic" else "North Korea" in body


@pytest.mark.parametrize(
    "by, shown, not_read",
    [
        ("country", "Korea (South)", "readouts_participation"),
        ("topic", "North Korea", "readouts_point_topics"),
    ],
)
def test_charts_read_the_facet_rows_not_every_meeting(client, archive, by, shown, not_read):
    # Grouping every listed readout with its meeting's counterparts took most
    # of the page's half a second on the benchmark archive; with its points'
    # topics, 850 ms.
    facets.bring_up_to_date()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("readouts:charts"), {"by": by})
    assert shown in text(response)
    read = [query["sql"] for query in queries]
    assert [sql for sql in read if "readouts_readoutfacet" in sql]
    assert not [sql for sql in read if not_read in sql]


# Search on PostgreSQL, with its stemming and ranking.

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Ranked full-text search runs on PostgreSQL; SQLite has the plain fallback only.",
)


@pytest.fixture
def searchable():
    def readout(title, day, *points):
        return make_readout(
            make_meeting(date=datetime.date(2023, 1, day)), title=title, points=points
        )

    return {
        "rare": readout("Rare", 1, "The leaders discussed the quokka conservation programme."),
        "busy": readout(
            "Busy Cooperation",
            2,
            "Cooperation, cooperation and more cooperation on security.",
            "Security cooperation in the region.",
            "More security cooperation and security dialogue.",
        ),
        "once": readout("Once", 3, "Some cooperation on trade.", "The weather was fine."),
        "phrase": readout("Phrase", 4, "They support a free and open Indo-Pacific."),
        "scrambled": readout("Scrambled", 5, "Open, free trade in the Pacific and Indo region."),
    }


@postgresql_only
def test_search_for_a_rare_word_finds_its_one_readout(client, searchable):
    response = client.get(reverse("readouts:list"), {"q": "quokka"})
    assert titles(response) == ["Rare"]


@postgresql_only
def test_search_for_a_common_word_ranks_the_readout_that_is_about_it_first(client, searchable):
    response = client.get(reverse("readouts:list"), {"q": "cooperating"})  # stemmed
    found = titles(response)
    # Once is the newer meeting: only the ranking puts Busy first.
    assert found == ["Busy Cooperation", "Once"]


@postgresql_only
def test_search_for_a_quoted_phrase_needs_the_words_in_order(client, searchable):
    response = client.get(reverse("readouts:list"), {"q": '"free and open Indo-Pacific"'})
    assert titles(response) == ["Phrase"]
    unquoted = client.get(reverse("readouts:list"), {"q": "free open pacific"})
    assert set(titles(unquoted)) == {"Phrase", "Scrambled"}


@postgresql_only
def test_a_search_ranks_readouts_before_reading_them_in_full(client, searchable):
    # Ranked with their places and issuers joined, thousands of candidates
    # cost more to join than to rank: only the page's readouts are read in full.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("readouts:list"), {"q": "cooperation"})
    assert titles(response) == ["Busy Cooperation", "Once"]
    ranking = [query["sql"] for query in queries if "ts_rank" in query["sql"]]
    assert ranking
    assert not [sql for sql in ranking if "readouts_country" in sql or "readouts_issuer" in sql]


@postgresql_only
def test_a_search_ranks_its_candidate_points_once_not_once_per_readout(client, searchable):
    # A subquery per readout found each readout's matching points again: for a
    # phrase in thousands of points, most of the search's time.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("readouts:list"), {"q": "cooperation"})
    assert titles(response) == ["Busy Cooperation", "Once"]
    [ranking] = [
        query["sql"]
        for query in queries
        if "ts_rank" in query["sql"] and 'FROM "readouts_readout"' in query["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {ranking}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "InitPlan" in plan and "SubPlan" not in plan, plan


@postgresql_only
def test_each_readout_found_shows_its_own_matching_point(searchable, monkeypatch):
    # A search of all points takes only so many candidates: a common word's
    # first ones may all be other readouts'. A page's readouts have few points,
    # and each of them is looked at.
    monkeypatch.setattr("readouts.search.CANDIDATES", 1)
    page = [searchable["once"], searchable["busy"]]
    add_snippets(page, "cooperation")
    assert [readout.snippet_point.readout for readout in page] == page
    assert [readout.snippet_point.position for readout in page] == [10, 10]


@postgresql_only
def test_a_capped_search_ranks_the_latest_matches_on_every_page(client, monkeypatch):
    # More matches than a search takes: which ones it takes must not depend on
    # the plan, or a page, its total and the next page would disagree.
    monkeypatch.setattr("readouts.search.CANDIDATES", 2)
    entered = [
        make_readout(
            make_meeting(date=datetime.date(2023, 1, day)),
            title=f"Talks {day}",
            points=["Cooperation on trade."],
        )
        for day in (5, 1, 4, 2, 3)
    ]
    response = client.get(reverse("readouts:list"), {"q": "cooperation"})
    assert titles(response) == ["Talks 3", "Talks 2"]  # the latest two entered, by meeting date
    assert response.context["page_obj"].paginator.count == 2
    points = client.get(reverse("api:point-list"), {"q": "cooperation"}).json()
    assert {point["readout"]["slug"] for point in points["results"]} == {
        readout.slug for readout in entered[-2:]
    }


def test_meeting_kind_choices_are_offered_by_label(client, archive):
    body = text(client.get(reverse("readouts:list")))
    assert Meeting.Kind.SUMMIT_MEETING.label in body


def test_japanese_originals_are_searchable(client, archive):
    make_readout(
        archive["us"].meeting,
        title="日米首脳会談",
        language="ja",
        points=["両首脳は北朝鮮による拉致問題について議論した。"],
    )
    found = text(client.get(reverse("readouts:list"), {"q": "拉致問題"}))
    assert "日米首脳会談" in found
    missing = text(client.get(reverse("readouts:list"), {"q": "半導体"}))
    assert "日米首脳会談" not in missing


def test_a_japanese_search_finds_every_term_in_a_title_a_lead_or_a_point(client, archive):
    meeting = archive["us"].meeting
    make_readout(meeting, title="G7首脳会談", language="ja", points=[])
    make_readout(meeting, title="日米外相", language="ja", lead="G7広島サミットについて会談した。")
    make_readout(meeting, title="日米電話", language="ja", points=["g7の結束を会談で確認した。"])

    def found(query):
        return set(titles(client.get(reverse("readouts:list"), {"q": query})))

    # Latin letters in a Japanese search match in either case, as in any other.
    assert found("g7 会談") == {"G7首脳会談", "日米外相", "日米電話"}
    assert found("G7 広島") == {"日米外相"}
    assert found("会談 -広島 -首脳") == {"日米電話"}
    assert found("G7 拉致問題") == set()


@postgresql_only
@pytest.mark.parametrize("word", ["拉致問題", "経済"])
def test_a_japanese_search_reads_the_bigram_indexes(client, archive, word):
    # Django's icontains (UPPER(text) LIKE) read every title, lead and point;
    # so did a two-character word through trigram indexes: it has no trigram.
    make_readout(archive["us"].meeting, title="日米首脳会談", language="ja", points=[word])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("readouts:list"), {"q": word})
    assert titles(response) == ["日米首脳会談"]
    [search, *_] = [query["sql"] for query in queries if f"LIKE '%{word}%'" in query["sql"]]
    # A term without letters that have a case needs no case folding of each text read.
    assert "ILIKE" not in search
    with transaction.atomic(), connection.cursor() as cursor:
        # The test archive is small: reading it all would be the cheaper plan.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {search}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("readout_bigram_idx", "point_bigram_idx"):
        assert index in plan, plan


@postgresql_only
@pytest.mark.parametrize(("word", "texts_read"), [("経済", False), ("首脳会談", True)])
def test_points_with_the_one_pair_of_a_two_character_word_are_not_read_again(
    client, archive, word, texts_read
):
    # Its one pair says which points hold 経済. Read again, the texts made
    # PostgreSQL expect few points and sort all 54,217 of the benchmark
    # archive's to keep the latest: 160 ms. A longer word's pairs can all be
    # in a text without it (東京都's in 東京と京都): those texts are read.
    make_readout(archive["us"].meeting, title="日米会談", language="ja", points=[f"{word}。"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("readouts:list"), {"q": word})
    assert titles(response) == ["日米会談"]
    point_texts_read = [
        query["sql"] for query in queries if f"\"text\" LIKE '%{word}%'" in query["sql"]
    ]
    assert bool(point_texts_read) == texts_read


@postgresql_only
def test_a_japanese_search_finds_the_term_not_only_its_pairs(client, archive):
    make_readout(archive["us"].meeting, title="東京と京都", language="ja", points=["東京と京都。"])
    make_readout(archive["us"].meeting, title="東京都", language="ja", points=["東京都。"])
    assert titles(client.get(reverse("readouts:list"), {"q": "東京都"})) == ["東京都"]


@postgresql_only
def test_a_japanese_search_ranks_by_the_points_that_hold_the_term(client):
    # 東京と京都 holds the pairs of 東京都 (東京, 京都), not the term: the search
    # does not find that point, and it must not rank its readout either.
    for title, day, point in [
        ("東京都の会談 A", 1, "東京と京都、東京と京都、東京と京都を訪問した。"),
        ("東京都の会談 B", 2, "天気は良かった。"),
    ]:
        make_readout(
            make_meeting(date=datetime.date(2023, 1, day)),
            title=title,
            language="ja",
            points=[point],
        )
    # Their titles rank the same: the newer meeting is listed first.
    assert titles(client.get(reverse("readouts:list"), {"q": "東京都"})) == [
        "東京都の会談 B",
        "東京都の会談 A",
    ]


@postgresql_only
def test_a_japanese_search_ranks_the_readout_that_is_about_it_first(client):
    def readout(title, day, *points):
        return make_readout(
            make_meeting(date=datetime.date(2023, 1, day)),
            title=title,
            language="ja",
            points=points,
        )

    readout("経済の会談", 1, "経済協力について。", "経済安全保障と経済連携を確認。")
    readout("その他の会談", 2, "経済にも触れた。", "天気は良かった。")
    # The newer meeting is listed first unless the ranking says otherwise.
    assert titles(client.get(reverse("readouts:list"), {"q": "経済"})) == [
        "経済の会談",
        "その他の会談",
    ]
