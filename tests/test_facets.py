"""Facet counts are kept as data (readouts/facets.py): they must stay what the filters give."""

import datetime
import importlib
import json
from pathlib import Path

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from readouts import charts, facets
from readouts.filters import ReadoutFilter, facet_counts
from readouts.importing import Importer
from readouts.models import (
    Administration,
    FacetBacklog,
    FacetPairTotal,
    FacetTotal,
    Issuer,
    Readout,
    ReadoutFacet,
    Topic,
)
from readouts.parsing import parse_readout
from tests.builders import (
    make_meeting,
    make_occasion,
    make_participation,
    make_person,
    make_readout,
    make_topic,
    make_user,
)

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parent.parent / "data" / "readouts"


def assert_counts_are_what_the_filters_give():
    """Every stored count equals the length of the list its link leads to, and nothing is missed."""
    everything = ReadoutFilter({}, queryset=Readout.objects.listed())
    counts = facet_counts(everything)
    for name, rows in counts.items():
        for row in rows:
            data = QueryDict(mutable=True)
            data[name] = str(row["value"])
            listed = ReadoutFilter(data, queryset=Readout.objects.listed())
            assert listed.is_valid(), listed.errors
            assert row["count"] == listed.qs.count(), (name, row)
    # Rows and totals agree with a recount from scratch.
    stored = sorted(ReadoutFacet.objects.values_list("readout_id", "facet", "value", "year"))
    assert stored == facets.facet_rows(Readout.objects.values_list("pk", flat=True))
    totals = {
        (facet, value): count
        for facet, value, count in FacetTotal.objects.filter(count__gt=0).values_list(
            "facet", "value", "count"
        )
    }
    recounted = {}
    for _, facet, value, _ in stored:
        recounted[facet, value] = recounted.get((facet, value), 0) + 1
    assert totals == recounted
    pairs = {
        ((facet, value), (other_facet, other_value)): count
        for facet, value, other_facet, other_value, count in FacetPairTotal.objects.filter(
            count__gt=0
        ).values_list("facet", "value", "other_facet", "other_value", "count")
    }
    assert pairs == facets.pair_counts(stored)
    assert facets.listed_count() == Readout.objects.listed().count()
    # Meetings per month (the charts), each meeting once however many readouts it has.
    by_orm = charts.meetings_per_month(Readout.objects.listed())
    assert facets.meetings_per_month() == by_orm.get(None, {})
    for group_by in charts.GROUPS:
        by_orm = charts.meetings_per_month(Readout.objects.listed(), group_by=group_by)
        assert charts.meetings_per_month(group_by=group_by) == by_orm, group_by


def summit(date, counterpart, topics=(), status=Readout.Status.PUBLISHED, **fields):
    meeting = make_meeting(date=date, **fields)
    make_participation(meeting, make_person("KISHIDA Fumio", "KISHIDA", "JP"), "PM", "japan")
    make_participation(meeting, counterpart, "Leader", "counterpart", 1)
    readout = make_readout(meeting, title=f"Summit on {date}", status=status)
    readout.points.first().topics.add(*topics)
    return readout


@pytest.fixture
def people():
    return {
        "biden": make_person("Joseph R. Biden, Jr.", "Biden", "US"),
        "yoon": make_person("YOON Suk Yeol", "YOON", "KR"),
    }


def test_counts_follow_every_kind_of_change(people):
    security = make_topic("Security")
    korea = make_topic("North Korea", parent=security)
    trade = make_topic("Trade")
    first = summit(datetime.date(2022, 11, 13), people["biden"], [korea])
    second = summit(datetime.date(2023, 5, 18), people["yoon"], [trade])
    draft = summit(datetime.date(2023, 6, 1), people["yoon"], [security], Readout.Status.DRAFT)
    assert_counts_are_what_the_filters_give()

    # A readout published, withdrawn, its language changed.
    draft.status = Readout.Status.PUBLISHED
    draft.save()
    second.status = Readout.Status.WITHDRAWN
    second.save()
    first.language = Readout.Language.JAPANESE
    first.save()
    assert_counts_are_what_the_filters_give()

    # Its meeting moved and given an occasion; its counterpart replaced.
    meeting = first.meeting
    meeting.date = datetime.date(2020, 1, 2)
    meeting.kind = meeting.Kind.SUMMIT_TELEPHONE_TALK
    meeting.occasion = make_occasion("G7 Summit", datetime.date(2020, 1, 1))
    meeting.save()
    meeting.participations.filter(side="counterpart").delete()
    make_participation(meeting, people["yoon"], "President", "counterpart", 1)
    assert_counts_are_what_the_filters_give()

    # Topics added from either side, removed, cleared; a topic moved under another.
    point = draft.points.first()
    point.topics.add(trade)
    trade.points.add(first.points.first())
    point.topics.remove(security)
    korea.points.clear()
    trade.parent = security
    trade.save()
    assert_counts_are_what_the_filters_give()

    # A second readout of a meeting, the first withdrawn, then moved to another meeting.
    translation = make_readout(first.meeting, title="Translation", language="ja")
    assert_counts_are_what_the_filters_give()
    # Its point tagged: a topic of the meeting, counted on the meeting's first readout.
    translation.points.first().topics.add(make_topic("Energy"))
    assert_counts_are_what_the_filters_give()
    first.status = Readout.Status.WITHDRAWN
    first.save()
    assert_counts_are_what_the_filters_give()
    first.status = Readout.Status.PUBLISHED
    first.save()
    first.meeting = draft.meeting  # the translation is left as its old meeting's first
    first.save()
    assert_counts_are_what_the_filters_give()

    # A point deleted, a readout deleted, an administration's term changed.
    first.points.first().delete()
    draft.delete()
    term = Administration.objects.in_office_on(datetime.date(2020, 1, 2)).get()
    term.ended_on = datetime.date(2020, 1, 1)
    term.save()
    assert_counts_are_what_the_filters_give()
    term.delete()
    assert_counts_are_what_the_filters_give()


def test_readouts_imported_in_bulk_are_counted(people):
    editor = make_user("editor", is_superuser=True)
    paths = sorted(SAMPLES.glob("*.txt"))[:4]
    items = [
        (path, parse_readout(path.read_text(encoding="utf-8")), Issuer.objects.get(slug="mofa"), "")
        for path in paths
    ]
    results = Importer(user=editor, publish=True).import_batch(items)

    assert all(not isinstance(result, Exception) for result in results.values())
    assert FacetBacklog.objects.count() >= len(paths)
    assert_counts_are_what_the_filters_give()
    assert facets.listed_count() == len(paths)


def test_drafts_are_never_counted(people):
    summit(datetime.date(2023, 6, 1), people["yoon"], status=Readout.Status.DRAFT)
    summit(datetime.date(2023, 6, 2), people["yoon"], status=Readout.Status.IN_REVIEW)

    counts = facet_counts(ReadoutFilter({}, queryset=Readout.objects.all()))

    assert all(rows == [] for rows in counts.values())
    assert not ReadoutFacet.objects.exists()


def test_a_large_change_is_worked_off_a_share_per_read(people, monkeypatch):
    monkeypatch.setattr(facets, "BACKLOG_PER_READ", 3)
    for day in range(1, 8):
        summit(datetime.date(2023, 6, day), people["biden"])

    noted = FacetBacklog.objects.count()
    facets.bring_up_to_date()
    assert FacetBacklog.objects.count() == noted - 3
    while FacetBacklog.objects.exists():
        facets.bring_up_to_date()
    assert_counts_are_what_the_filters_give()


@pytest.mark.parametrize("readouts", [2, 30])
def test_working_off_the_backlog_costs_the_same_queries_for_2_readouts_or_30(
    people, django_assert_max_num_queries, readouts
):
    for day in range(readouts):
        summit(datetime.date(2020, 1, 1) + datetime.timedelta(days=day), people["biden"])
    # SQLite takes at most 999 parameters a statement: there the 30 readouts'
    # rows and pair totals (five columns each) take two and four statements.
    with django_assert_max_num_queries(20 if connection.vendor == "postgresql" else 24):
        facets.bring_up_to_date()
    assert facets.listed_count() == readouts


def test_totals_work_a_backlog_off_first_and_are_otherwise_one_query(
    people, django_assert_num_queries
):
    summit(datetime.date(2023, 6, 1), people["biden"])
    assert facets.listed_count() == 1
    summit(datetime.date(2023, 6, 2), people["yoon"])
    assert FacetBacklog.objects.exists()
    assert facets.listed_count() == 2
    assert not FacetBacklog.objects.exists()
    with django_assert_num_queries(1):
        assert facets.totals(["country", facets.ALL]) == {
            "country": {"KR": 1, "US": 1},
            "all": {"": 2},
        }


def test_a_filtered_list_counts_only_its_own_readouts(people):
    summit(datetime.date(2022, 11, 13), people["biden"])
    summit(datetime.date(2023, 5, 18), people["yoon"])
    summit(datetime.date(2023, 5, 19), people["yoon"])

    filtered = ReadoutFilter(QueryDict("year=2023&country=KR"), queryset=Readout.objects.listed())
    counts = facet_counts(filtered, ["year", "country", "kind"])

    # Each facet keeps the others' filters: years of Korean meetings, countries of 2023.
    assert counts["year"] == [{"value": 2023, "label": "2023", "count": 2}]
    assert [row["value"] for row in counts["country"]] == ["KR"]
    assert counts["kind"][0]["count"] == 2


@pytest.mark.parametrize(
    "query",
    [
        "country=US",
        "country=US&country=KR",
        "year=2023",
        "year=2023&country=KR",
        "year=2023&country=US&country=KR",
        "year=2023&kind=summit_meeting&country=US&country=KR",
        "year=2023.5&country=KR",
    ],
)
def test_each_count_under_facet_filters_is_what_its_link_gives(people, query):
    """Under facet filters the counts come from the facet rows: the years from
    the rows of the other chosen facets. Each value's count must be the length
    of the list its option gives: the other filters kept, this facet's value
    chosen instead. A readout with two chosen countries counts once."""
    summit(datetime.date(2022, 11, 13), people["biden"])
    summit(datetime.date(2023, 5, 18), people["yoon"])
    summit(datetime.date(2023, 5, 19), people["yoon"], kind="telephone_talk")
    for day in (datetime.date(2022, 6, 29), datetime.date(2023, 8, 18)):
        trilateral = summit(day, people["biden"])
        make_participation(trilateral.meeting, people["yoon"], "President", "counterpart", 2)
    facets.bring_up_to_date()

    data = QueryDict(query)
    counts = facet_counts(ReadoutFilter(data, queryset=Readout.objects.listed()))

    assert counts["year"] or "2023.5" in query
    for name, rows in counts.items():
        for row in rows:
            given = data.copy()
            given.setlist(name, [str(row["value"])])
            listed = ReadoutFilter(given, queryset=Readout.objects.listed())
            assert listed.is_valid(), listed.errors
            assert row["count"] == listed.qs.count(), (name, row)


def test_a_list_narrowed_to_one_value_counts_from_the_pair_totals(client, people):
    """A person's or a country's readouts may be tens of thousands: their other
    facets are read from the pair totals, not counted from their facet rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    summit(datetime.date(2023, 6, 1), people["biden"])
    summit(datetime.date(2023, 7, 1), people["yoon"])
    facets.bring_up_to_date()

    for url in [
        "/readouts/?country=US",
        "/readouts/?year=2023",
        f"/people/{people['biden'].slug}/",
    ]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        read = [query["sql"] for query in queries]
        assert not [sql for sql in read if "readouts_readoutfacet" in sql and "GROUP BY" in sql]
        assert [sql for sql in read if "readouts_facetpairtotal" in sql]


def test_refresh_facets_recounts_from_scratch(people):
    summit(datetime.date(2022, 11, 13), people["biden"])
    ReadoutFacet.objects.all().delete()
    FacetTotal.objects.update(count=99)

    from django.core.management import call_command

    call_command("refresh_facets", verbosity=0)

    assert not FacetBacklog.objects.exists()
    assert_counts_are_what_the_filters_give()


# Lists count from the facet totals, and page only so deep.


def test_lists_filtered_by_facets_alone_are_not_counted_again(
    client, people, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for day in range(1, 4):
        summit(datetime.date(2023, 6, day), people["biden"])
    summit(datetime.date(2023, 7, 1), people["yoon"])
    facets.bring_up_to_date()

    for query, total in [
        ("", 4),
        ("?country=US", 3),
        ("?year=2023&country=KR", 1),
        ("?country=US&country=KR&kind=summit_meeting", 4),
        ("?q=summit&country=US", 3),
    ]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/readouts/" + query)
        assert response.context["paginator"].total == total
        assert response.context["paginator"].total_is_exact
        counted = [
            q["sql"]
            for q in queries
            if "COUNT(" in q["sql"]
            and not any(table in q["sql"] for table in ("readoutfacet", "facettotal"))
        ]
        # Nor is a search: its total comes with its keys (tests/test_views.py).
        assert not counted, counted


def test_lists_page_only_so_deep_and_say_so(client, people, monkeypatch):
    from readouts import pagination

    monkeypatch.setattr(pagination, "LIST_DEPTH", 3)
    for day in range(1, 6):
        summit(datetime.date(2023, 6, day), people["biden"])
    summit(datetime.date(2023, 7, 1), people["yoon"])

    whole = client.get("/readouts/")
    assert whole.context["paginator"].total == 6  # known exactly, from the totals
    assert whole.context["paginator"].count == 3
    assert "6 readouts" in whole.content.decode()
    assert "Lists go 3 readouts deep" in whole.content.decode()

    # A search is counted only up to the depth.
    counted = client.get("/readouts/", {"q": "summit", "country": "US"})
    assert "More than 3 readouts" in counted.content.decode()

    api = client.get("/api/v1/readouts/", {"q": "summit", "kind": "summit_meeting"}).json()
    assert (api["count"], api["count_is_exact"]) == (3, False)
    # Facets alone: the facet rows count, up to the depth too.
    facetted = client.get("/api/v1/readouts/", {"country": "KR", "kind": "summit_meeting"})
    assert (facetted.json()["count"], facetted.json()["count_is_exact"]) == (1, True)
    deep = client.get("/api/v1/readouts/", {"country": "US", "kind": "summit_meeting"})
    assert (deep.json()["count"], deep.json()["count_is_exact"]) == (3, False)
    assert client.get("/api/v1/readouts/", {"page": 2, "page_size": 2}).status_code == 200
    assert client.get("/api/v1/readouts/", {"page": 3, "page_size": 2}).status_code == 404
    known = client.get("/api/v1/readouts/", {"country": "US"}).json()
    assert (known["count"], known["count_is_exact"]) == (5, True)  # from the totals
    exact = client.get("/api/v1/readouts/", {"country": "KR", "kind": "summit_meeting"}).json()
    assert (exact["count"], exact["count_is_exact"]) == (1, True)


def test_facet_rows_filter_as_the_filters_do(people):
    """Counts under facet filters come from the facet rows alone: they must agree with the ORM's."""
    from readouts.filters import facet_choices

    security = make_topic("Security")
    korea = make_topic("North Korea", parent=security)
    summit(datetime.date(2022, 11, 13), people["biden"], [korea])
    summit(datetime.date(2022, 12, 1), people["yoon"], [security])
    summit(datetime.date(2023, 5, 18), people["yoon"], [korea])
    summit(datetime.date(2023, 5, 19), people["biden"])
    names = list(facets.FACETS)
    for query in [
        "country=US&year=2022",
        "country=US&country=KR&topic=security",
        "topic=north-korea&year=2023.0",
        "person=" + people["yoon"].slug + "&kind=summit_meeting&language=en",
        "administration=101&country=KR",
    ]:
        filterset = ReadoutFilter(QueryDict(query), queryset=Readout.objects.listed())
        assert filterset.is_valid(), (query, filterset.errors)
        chosen = facet_choices(filterset)
        assert chosen, query
        assert facets.counts_taking(names, chosen) == facets.counts_among(names, filterset.qs), (
            query
        )
        assert facets.count_taking(chosen, up_to=10) == filterset.qs.count(), query
        assert facets.count_taking(chosen, up_to=0) is None, query
    searching = ReadoutFilter(QueryDict("q=summit&year=2023"), queryset=Readout.objects.listed())
    assert searching.is_valid() and facet_choices(searching) is None


def test_a_date_range_is_counted_as_its_filter_gives(people):
    """Whole years from the pair totals (with facets chosen, from their rows in
    those years), the years cut short from their rows: the same counts and
    total as grouping and counting every readout in the range."""
    from readouts.filters import dated_choices

    security = make_topic("Security")
    korea = make_topic("North Korea", parent=security)
    summit(datetime.date(2021, 3, 16), people["biden"], [korea])
    summit(datetime.date(2021, 12, 31), people["yoon"])
    summit(datetime.date(2022, 1, 1), people["yoon"], [security])
    summit(datetime.date(2022, 11, 13), people["biden"], [korea])
    summit(datetime.date(2023, 5, 18), people["yoon"], [korea])
    summit(datetime.date(2023, 5, 19), people["biden"])
    summit(datetime.date(2023, 8, 1), people["biden"], status=Readout.Status.DRAFT)
    names = list(facets.FACETS)
    for query in [
        "date_after=2021-01-01",
        "date_after=2021-03-17",
        "date_before=2022-12-31",
        "date_before=2023-05-18",
        "date_after=2021-12-31&date_before=2023-05-18",
        "date_after=2022-01-01&date_before=2022-12-31",
        "date_after=2022-02-01&date_before=2022-11-30",
        "date_after=2024-01-01",
        "date_after=2023-01-01&date_before=2021-01-01",
        # With facets chosen: their rows, in the range's years.
        "country=US&date_after=2021-03-17",
        "topic=security&date_before=2022-12-31",
        "topic=north-korea&date_after=2021-12-31&date_before=2023-05-18",
        "country=US&country=KR&date_after=2022-01-01",
        f"person={people['yoon'].slug}&kind=summit_meeting&date_before=2023-05-18",
    ]:
        filterset = ReadoutFilter(QueryDict(query), queryset=Readout.objects.listed())
        assert filterset.is_valid(), (query, filterset.errors)
        chosen, first, last = dated_choices(filterset)
        expected = facets.counts_among(names, filterset.qs)
        assert facets.counts_between(names, first, last, chosen) == expected, query
        assert facets.count_between(first, last, chosen) == filterset.qs.count(), query
    for query in ["", "date_after=2022-01-01&year=2022", "date_after=2022-01-01&q=summit"]:
        filterset = ReadoutFilter(QueryDict(query), queryset=Readout.objects.listed())
        assert filterset.is_valid() and dated_choices(filterset) is None, query


def test_a_list_over_whole_years_counts_them_from_the_pair_totals(client, people):
    # Grouped, the rows of every readout since 2003 took 380 ms in the
    # benchmark archive; the pair totals of each year are a few hundred rows.
    summit(datetime.date(2021, 6, 1), people["biden"])
    summit(datetime.date(2022, 11, 13), people["yoon"])
    summit(datetime.date(2023, 5, 18), people["biden"])
    facets.bring_up_to_date()  # as the first read after a change would
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readouts/", {"date_after": "2022-01-01"})
    assert response.status_code == 200
    read = [query["sql"] for query in queries]
    assert [sql for sql in read if "readouts_facetpairtotal" in sql], read
    # No readout's facet rows are grouped, nor the list counted: no year is cut short.
    assert not [sql for sql in read if 'FROM "readouts_readoutfacet"' in sql], read
    assert not [sql for sql in read if "COUNT(" in sql], read
    assert response.context["paginator"].total == 2
    [country] = [group for group in response.context["facets"] if group["name"] == "country"]
    assert {option["value"]: option["count"] for option in country["options"]} == {
        "KR": 1,
        "US": 1,
    }
    # With a facet chosen too, the chosen value's rows in those years count it.
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readouts/", {"date_after": "2022-01-01", "country": "US"})
    assert not [query["sql"] for query in queries if "COUNT(*) FROM (SELECT" in query["sql"]]
    assert response.context["paginator"].total == 1


def test_any_of_several_values_is_counted_once_from_the_pair_totals(people):
    """Two countries or two topics: a readout that takes both is in both values'
    totals and pairs, and must still count once in the list's facets and total."""
    from readouts.filters import facet_choices

    security = make_topic("Security")
    korea = make_topic("North Korea", parent=security)
    trade = make_topic("Trade")
    trilateral = summit(datetime.date(2023, 8, 18), people["biden"], [korea, trade])
    make_participation(trilateral.meeting, people["yoon"], "President", "counterpart", 2)
    summit(datetime.date(2022, 11, 13), people["biden"], [korea])
    summit(datetime.date(2023, 5, 18), people["yoon"], [trade])
    summit(datetime.date(2023, 5, 19), people["biden"], [security])
    names = [name for name in facets.FACETS if name not in ("country", "topic")]
    for query in ["country=US&country=KR", "topic=security&topic=trade", "topic=north-korea"]:
        filterset = ReadoutFilter(QueryDict(query), queryset=Readout.objects.listed())
        assert filterset.is_valid(), (query, filterset.errors)
        chosen = facet_choices(filterset)
        expected = facets.counts_among(names, filterset.qs)
        assert facets.counts_taking(names, chosen) == expected, query
        assert facets.count_taking(chosen, up_to=10) == filterset.qs.count(), query
    both = facets.counts_taking(["year"], {"country": ("KR", "US")})
    assert both["year"] == {"2022": 1, "2023": 3}


def test_a_list_of_several_values_of_one_facet_counts_from_the_pair_totals(client, people):
    """Two countries' readouts are counted from the two countries' totals and
    pairs, not from the facet rows of every readout either takes."""
    from django.test.utils import CaptureQueriesContext

    summit(datetime.date(2023, 6, 1), people["biden"])
    summit(datetime.date(2023, 7, 1), people["yoon"])
    facets.bring_up_to_date()

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readouts/?country=US&country=KR")
    assert response.status_code == 200
    assert response.context["paginator"].total == 2
    read = [query["sql"] for query in queries]
    assert [sql for sql in read if "readouts_facetpairtotal" in sql]
    # The rows grouped are only those of readouts taking both countries.
    grouped = [sql for sql in read if "readouts_readoutfacet" in sql and "GROUP BY" in sql]
    assert grouped and all("HAVING COUNT(*) > 1" in sql for sql in grouped), grouped
    # Nor is the list counted: its total is the two totals, less what they share.
    assert not [sql for sql in read if sql.startswith("SELECT COUNT(*) FROM (")]


def test_a_list_counted_past_its_depth_is_counted_once(client, people, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    from readouts import pagination

    monkeypatch.setattr(pagination, "LIST_DEPTH", 2)
    for day in range(1, 5):
        summit(datetime.date(2023, 6, day), people["biden"])
    facets.bring_up_to_date()

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/readouts/?country=US&kind=summit_meeting")
    assert "More than 2 readouts" in response.content.decode()
    counts = [
        query["sql"] for query in queries if query["sql"].startswith("SELECT COUNT(*) FROM (")
    ]
    assert len(counts) == 1, counts


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite writes one at a time")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_reads_work_the_backlog_off_once():
    """Many readers at once after a change: each noted readout is counted once, not per reader."""
    import threading

    biden = make_person("Joseph R. Biden, Jr.", "Biden", "US")
    for day in range(1, 21):
        summit(datetime.date(2023, 6, day), biden)
    assert FacetBacklog.objects.count() >= 20
    start = threading.Barrier(6)
    failures = []

    def reader():
        try:
            start.wait()
            facets.bring_up_to_date()
            # And refreshes of the same readouts at once, as two writers' readers might.
            facets.refresh(Readout.objects.values_list("pk", flat=True))
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures
    assert not FacetBacklog.objects.exists()
    assert_counts_are_what_the_filters_give()
    assert facets.listed_count() == 20


def test_a_readout_moved_to_another_meeting_leaves_its_old_meeting_counted():
    old, new = (
        make_meeting(date=datetime.date(2020, 1, 2)),
        make_meeting(date=datetime.date(2021, 1, 2)),
    )
    moved = make_readout(old, title="Moved")
    make_readout(old, title="Left behind", language="ja")
    make_readout(new, title="Already there")
    assert facets.meetings_per_month() == {
        datetime.date(2020, 1, 1): 1,
        datetime.date(2021, 1, 1): 1,
    }

    moved.meeting = new
    moved.save()

    assert facets.meetings_per_month() == {
        datetime.date(2020, 1, 1): 1,
        datetime.date(2021, 1, 1): 1,
    }
    assert_counts_are_what_the_filters_give()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_planner_knows_how_many_readouts_a_busy_value_has():
    """Facet and value are not independent: "US" is only ever a country. Planned
    as if they were, a busy value looked a few times rarer than it is (and its
    readouts' other facets were counted one index probe each)."""
    rows = [ReadoutFacet(readout_id=n, facet="country", value="US") for n in range(1500)]
    rows += [ReadoutFacet(readout_id=n, facet="country", value="GB") for n in range(500)]
    rows += [ReadoutFacet(readout_id=n, facet="year", value=str(n % 20)) for n in range(2000)]
    rows += [ReadoutFacet(readout_id=n, facet="all", value="") for n in range(2000)]
    for row in rows:
        row.year = 2000 + row.readout_id % 20
    ReadoutFacet.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE readouts_readoutfacet")
    plan = ReadoutFacet.objects.filter(facet="country", value="US").explain(format="json")

    estimated = json.loads(plan)[0]["Plan"]["Plan Rows"]
    assert 1200 <= estimated <= 1800, estimated


def test_the_busiest_values_are_those_describe_would_show(django_assert_num_queries):
    """Ties at the cut are broken as Python sorts the values, on both databases;
    a kept value is read whatever its rank, and each facet knows how many it has."""
    counts = {"B": 5, "a": 5, "C": 4, "b": 4, "Z": 4, "é": 3, "D": 1, "E": 0}
    FacetTotal.objects.bulk_create(
        [FacetTotal(facet="country", value=value, count=count) for value, count in counts.items()]
        + [FacetTotal(facet="year", value=str(year), count=1) for year in range(2000, 2012)]
    )
    with django_assert_num_queries(1):
        read = facets.totals(["country", "year", "kind"], top=3, keep={"country": ["D", "E"]})

    busiest = sorted(read["country"], key=lambda value: (-read["country"][value], value))
    assert busiest[:3] == ["B", "a", "C"]
    assert read["country"]["D"] == 1 and "E" not in read["country"]  # no readout takes E
    assert (read["country"].every, read["year"].every, read["kind"].every) == (7, 12, 0)
    described = facets.describe({"year": read["year"]}, top=3)["year"]
    assert [row["value"] for row in described] == [2000, 2001, 2002] and described.values == 12
    if connection.vendor == "postgresql":
        # Only what a list shows is read: not every value of every facet.
        assert set(read["country"]) == {"B", "a", "C", "D"} and len(read["year"]) == 3


def test_one_value_s_total_is_read_alone(django_assert_num_queries):
    FacetTotal.objects.bulk_create(
        [FacetTotal(facet="person", value=str(pk), count=pk) for pk in range(1, 50)]
    )
    with django_assert_num_queries(1) as captured:
        assert facets.total("person", "7") == 7
    assert "'7'" in captured.captured_queries[0]["sql"]
    assert facets.total("person", "70") == 0


def test_the_values_of_every_facet_are_labelled_in_one_query(django_assert_num_queries):
    """As each object names itself, a topic with its parent, an occasion with its year."""
    korea = make_topic("Korean Peninsula")
    abductions = make_topic("Abductions", parent=korea)
    asean = make_occasion("ASEAN-related Summit Meetings", datetime.date(2022, 11, 11))
    biden = make_person()
    kishida_term = Administration.objects.get(ordinal=100)
    mofa = Issuer.objects.get(slug="mofa")
    shown = {
        "administration": ["100"],
        "country": ["US", "KR"],
        "person": [str(biden.pk)],
        "issuer": [str(mofa.pk)],
        "topic": [str(abductions.pk), str(korea.pk)],
        "occasion": [str(asean.pk)],
        "kind": ["summit_meeting"],
        "year": ["2022"],
    }
    with django_assert_num_queries(1):
        words = facets.vocabularies(shown)

    assert words == {
        "administration": {"100": (100, str(kishida_term))},
        "country": {"US": ("US", "United States"), "KR": ("KR", "Korea (South)")},
        "person": {str(biden.pk): (biden.slug, "Joseph R. Biden, Jr.")},
        "issuer": {str(mofa.pk): ("mofa", mofa.name)},
        "topic": {
            str(abductions.pk): ("abductions", "Korean Peninsula > Abductions"),
            str(korea.pk): ("korean-peninsula", "Korean Peninsula"),
        },
        "occasion": {str(asean.pk): (asean.slug, "ASEAN-related Summit Meetings (2022)")},
        "kind": {"summit_meeting": ("summit_meeting", "Summit meeting")},
        "year": {"2022": (2022, "2022")},
    }
    assert str(kishida_term) == "100th prime minister (KISHIDA Fumio)"


def test_the_migration_writes_each_meeting_s_topics_as_facet_rows_do(people):
    security = make_topic("Security")
    korea = make_topic("North Korea", parent=security)
    first = summit(datetime.date(2022, 11, 13), people["biden"], [korea])
    translation = make_readout(first.meeting, title="Translation", language="ja")
    translation.points.first().topics.add(make_topic("Energy"), korea)
    second = summit(datetime.date(2023, 5, 18), people["yoon"], [security])
    summit(datetime.date(2023, 6, 1), people["yoon"], [security], Readout.Status.DRAFT)
    facets.bring_up_to_date()
    written = importlib.import_module("readouts.migrations.0016_meeting_topic_facet_rows")
    with connection.cursor() as cursor:
        for statement in written.FORGET:
            cursor.execute(statement)
        assert not ReadoutFacet.objects.filter(facet=facets.MEETING_TOPIC).exists()
        cursor.execute(written.MEETING_TOPICS)
        cursor.execute(written.THEIR_TOTALS)

    assert set(
        ReadoutFacet.objects.filter(facet=facets.MEETING_TOPIC).values_list("readout_id", "value")
    ) == {
        (first.pk, str(korea.pk)),
        (first.pk, str(Topic.objects.get(name="Energy").pk)),
        (second.pk, str(security.pk)),
    }
    assert_counts_are_what_the_filters_give()
