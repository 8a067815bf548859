"""The one way tests build data: small make_* functions with sensible defaults."""

import datetime

from django.contrib.auth import get_user_model

from readouts import facets
from readouts.models import (
    Annotation,
    Country,
    Issuer,
    Meeting,
    Occasion,
    Participation,
    Person,
    Point,
    Readout,
    Topic,
)


def make_user(username, *groups, **fields):
    fields.setdefault("is_staff", True)
    user = get_user_model().objects.create_user(
        username=username, password="a-long-test-password", **fields
    )
    user.groups.add(*groups)
    return user


def make_person(name_form="Joseph R. Biden, Jr.", family_name="Biden", country="US", **fields):
    return Person.objects.create(
        name_form=name_form, family_name=family_name, country_id=country, **fields
    )


def make_meeting(date=datetime.date(2022, 11, 13), **fields):
    fields.setdefault("country_id", "KH")
    fields.setdefault("city", "Phnom Penh")
    return Meeting.objects.create(date=date, **fields)


def make_readout(
    meeting=None,
    title="Japan-U.S. Summit Meeting",
    status=Readout.Status.PUBLISHED,
    points=("The two leaders met.",),
    **fields,
):
    meeting = meeting or make_meeting()
    fields.setdefault("issuer", Issuer.objects.get(slug="kantei"))
    fields.setdefault("published_on", meeting.date)
    readout = Readout.objects.create(meeting=meeting, title=title, status=status, **fields)
    for number, text in enumerate(points, start=1):
        Point.objects.create(readout=readout, label=f"{number}.", position=number * 10, text=text)
    return readout


def make_participation(meeting, person, title, side, position=0):
    return Participation.objects.create(
        meeting=meeting,
        person=person,
        title=title,
        country=person.country,
        side=side,
        position=position,
    )


def make_annotation(readout, point, exact, author, **fields):
    fields.setdefault("kind", Annotation.Kind.CONTEXT)
    fields.setdefault("body", "A note.")
    return Annotation.objects.create(
        readout=readout, point=point, exact=exact, author=author, **fields
    )


def country(code):
    return Country.objects.get(code=code)


def make_topic(name, parent=None, **fields):
    return Topic.objects.create(name=name, parent=parent, **fields)


def make_occasion(name, started_on, **fields):
    return Occasion.objects.create(name=name, started_on=started_on, **fields)


def many_readouts(count):
    """`count` published readouts with participants, points and topics, for query counts."""
    topic = make_topic("Security")
    person = make_person("Anthony Albanese", "Albanese", country="AU")
    japan = make_person("KISHIDA Fumio", "KISHIDA", country="JP")
    for number in range(count):
        meeting = make_meeting(date=datetime.date(2022, 1, 1) + datetime.timedelta(days=number))
        make_participation(meeting, japan, "Prime Minister of Japan", "japan")
        make_participation(meeting, person, "Prime Minister of Australia", "counterpart", 1)
        readout = make_readout(
            meeting, title=f"Meeting number {number}", points=["Security was discussed.", "Trade."]
        )
        readout.points.first().topics.add(topic)
    # As the first read after a change would: the counts measured are a read's.
    facets.bring_up_to_date()
    return readout
