import datetime
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from readouts.markdown import render_markdown
from readouts.models import Administration, Annotation, Meeting, Point, Readout
from tests.builders import make_annotation, make_meeting, make_readout, make_user

pytestmark = pytest.mark.django_db


def test_japan_time_is_derived_from_local_time_and_venue_zone():
    meeting = make_meeting(start_time=datetime.time(14, 55), time_zone="Asia/Phnom_Penh")

    assert meeting.starts_at.isoformat() == "2022-11-13T14:55:00+07:00"
    assert meeting.starts_at_japan_time.strftime("%H:%M") == "16:55"


def test_start_time_without_a_known_zone_has_no_japan_time():
    meeting = make_meeting(start_time=datetime.time(18, 50), time_zone="", country_id=None)
    assert meeting.start_time == datetime.time(18, 50)
    assert meeting.starts_at is None and meeting.starts_at_japan_time is None


def test_unknown_time_zone_is_a_validation_error():
    meeting = Meeting(date=datetime.date(2022, 11, 13), time_zone="Asia/Atlantis")
    with pytest.raises(ValidationError, match="IANA"):
        meeting.full_clean()


def test_meeting_belongs_to_the_administration_in_office_on_its_date():
    assert make_meeting(date=datetime.date(2022, 11, 13)).administration.ordinal == 101
    assert make_meeting(date=datetime.date(2019, 6, 28)).administration.ordinal == 98
    # On a handover day the incoming administration is the one in office.
    assert make_meeting(date=datetime.date(2024, 10, 1)).administration.ordinal == 102


def test_administration_lists_its_meetings_by_date():
    inside = make_meeting(date=datetime.date(2022, 11, 13))
    make_meeting(date=datetime.date(2016, 2, 15))

    assert list(Administration.objects.get(ordinal=101).meetings) == [inside]


def test_no_two_top_level_points_share_a_label():
    readout = make_readout(points=["First."])
    with pytest.raises(IntegrityError), transaction.atomic():
        Point.objects.create(readout=readout, label="1.", position=99, text="Again.")


def test_sub_point_labels_repeat_only_under_different_points():
    readout = make_readout(points=["One.", "Two."])
    one, two = readout.points.all()
    Point.objects.create(readout=readout, parent=one, label="(1)", position=11, text="a")
    Point.objects.create(readout=readout, parent=two, label="(1)", position=21, text="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        Point.objects.create(readout=readout, parent=two, label="(1)", position=22, text="c")


def test_unlabelled_paragraphs_may_repeat():
    readout = make_readout(points=[])
    Point.objects.create(readout=readout, label="", position=1, text="A paragraph.")
    Point.objects.create(readout=readout, label="", position=2, text="Another.")
    assert readout.points.count() == 2


def test_point_keys_survive_renumbering():
    readout = make_readout(points=["One.", "Two."])
    second = readout.points.get(label="2.")
    key = second.key
    second.label, second.position = "3.", 30
    second.save()
    second.refresh_from_db()
    assert second.key == key
    assert second.get_absolute_url().endswith(f"/points/{key}/")


def test_translation_must_be_of_the_same_meeting_in_another_language():
    original = make_readout(language="ja", translation_status="original", title="日米首脳会談")
    elsewhere = make_readout(meeting=make_meeting(date=datetime.date(2023, 5, 18)))
    translation = Readout(
        meeting=original.meeting,
        issuer=original.issuer,
        language="en",
        title="Japan-U.S. Summit Meeting",
        published_on=original.published_on,
        translation_status=Readout.TranslationStatus.PROVISIONAL,
        translation_of=original,
    )
    translation.clean()

    translation.translation_of = elsewhere
    with pytest.raises(ValidationError, match="same meeting"):
        translation.clean()

    translation.translation_of, translation.language = original, "ja"
    with pytest.raises(ValidationError, match="another language"):
        translation.clean()


def test_an_original_cannot_point_to_what_it_translates():
    original = make_readout(language="ja")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_readout(
            meeting=original.meeting, translation_of=original, translation_status="original"
        )


def test_annotation_quote_must_occur_in_its_point():
    author = make_user("annie")
    readout = make_readout(points=["continuing unilateral attemtps to change the status quo"])
    point = readout.points.get()
    good = Annotation(
        readout=readout,
        point=point,
        exact="attemtps",
        kind="correction",
        body="[sic]",
        author=author,
    )
    good.full_clean()

    bad = Annotation(
        readout=readout, point=point, exact="attempts", kind="correction", body="x", author=author
    )
    with pytest.raises(ValidationError, match="does not occur in point 1"):
        bad.full_clean()


def test_annotation_prefix_and_suffix_pick_the_right_occurrence():
    author = make_user("annie")
    readout = make_readout(points=["the U.S. and the U.S. again"])
    point = readout.points.get()
    annotation = make_annotation(readout, point, "U.S.", author, prefix="and the ", suffix=" again")
    assert annotation.locate() == len("the U.S. and the ")


def test_markdown_bodies_render_inert():
    html = render_markdown(
        "Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> *ok*"
    )
    tags = ElementCollector.collect(html)

    assert {tag for tag, _ in tags} <= {"p", "em", "a"}
    assert all(not name.startswith("on") for _, attrs in tags for name, _ in attrs)
    assert all("javascript" not in (value or "") for _, attrs in tags for _, value in attrs)
    assert "<em>ok</em>" in html


class ElementCollector(HTMLParser):
    @classmethod
    def collect(cls, html):
        parser = cls()
        parser.tags = []
        parser.feed(html)
        return parser.tags

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def test_no_index_is_the_leading_part_of_another():
    """Every index is written with every row: an index on a column that another
    index already begins with (a foreign key's, beside a unique constraint on it and
    more) costs each insert and serves no query the longer one cannot."""
    from django.apps import apps
    from django.db import connection

    partial = {
        rule.name
        for model in apps.get_app_config("readouts").get_models()
        for rule in [*model._meta.constraints, *model._meta.indexes]
        if getattr(rule, "condition", None) is not None
    }
    redundant = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("readouts").get_models():
            table = model._meta.db_table
            found = connection.introspection.get_constraints(cursor, table)
            btrees = {
                name: info["columns"]
                for name, info in found.items()
                if name not in partial
                and (info["unique"] or (info["index"] and info.get("type") == "idx"))
            }
            for name, columns in btrees.items():
                if found[name]["unique"]:
                    continue
                redundant += [
                    (table, name, other)
                    for other, longer in btrees.items()
                    if len(longer) > len(columns) and longer[: len(columns)] == columns
                ]
    assert redundant == []


def test_public_people_occasions_and_meetings_are_found_once_each_by_semi_joins():
    """Found by EXISTS rather than joined and made DISTINCT: joined, a prime
    minister's tens of thousands of participations were each read first."""
    from readouts.models import Occasion, Person
    from tests.builders import make_occasion, make_participation, make_person

    occasion = make_occasion("G7 Summit", datetime.date(2023, 5, 19))
    counterpart = make_person(slug="joseph-biden")
    for day in (19, 20):
        meeting = make_meeting(date=datetime.date(2023, 5, day), occasion=occasion)
        make_readout(meeting, slug=f"summit-{day}-en")
        make_readout(meeting, slug=f"summit-{day}-ja", language="ja")
        make_participation(meeting, counterpart, "President", "counterpart")
    unpublished = make_meeting(date=datetime.date(2023, 6, 1))
    make_readout(unpublished, slug="draft", status=Readout.Status.DRAFT)
    only_in_a_draft = make_person("Draft Only", "Only", slug="draft-only")
    make_participation(unpublished, only_in_a_draft, "Minister", "counterpart")

    people = list(Person.objects.public())
    assert people.count(counterpart) == 1 and only_in_a_draft not in people
    # Prime ministers, public whatever they met; one may have had several terms.
    abe = Administration.objects.get(ordinal=98).prime_minister
    assert Administration.objects.filter(prime_minister=abe).count() > 1
    assert people.count(abe) == 1
    assert list(Occasion.objects.public()) == [occasion]
    assert Meeting.objects.with_public_readouts().count() == 2
    for found in (Person.objects.public(), Occasion.objects.public()):
        sql = str(found.query)
        assert "EXISTS" in sql and "DISTINCT" not in sql
    assert "DISTINCT" not in str(Meeting.objects.with_public_readouts().query)
