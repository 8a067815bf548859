"""The FilterSets share what never changes between requests, and nothing else."""

import datetime

import pytest
from django.http import QueryDict

from readouts.filters import PointFilter, ReadoutFilter
from readouts.models import Readout
from tests.builders import make_meeting, make_participation, make_person, make_readout

pytestmark = pytest.mark.django_db


def test_a_filterset_s_form_is_made_once_for_its_class():
    first, second = ReadoutFilter(QueryDict("year=2022")), ReadoutFilter(QueryDict("year=2023"))
    assert type(first.form) is type(second.form)
    assert type(PointFilter(QueryDict()).form) is not type(first.form)
    # Each request still has a form of its own, with its own data.
    assert first.form is not second.form
    assert first.is_valid() and second.is_valid()
    assert (first.form.cleaned_data["year"], second.form.cleaned_data["year"]) == (2022, 2023)


def test_forms_share_their_class_s_fields_and_still_clean_their_own_data():
    first, second = ReadoutFilter(QueryDict("country=US")), ReadoutFilter(QueryDict("country=XX"))
    # Not deep-copied for each form: no form changes its fields.
    assert first.form.fields["country"] is second.form.fields["country"]
    assert first.form.fields is not second.form.fields
    make_readout(make_meeting())
    assert first.is_valid() and [c.code for c in first.form.cleaned_data["country"]] == ["US"]
    assert not second.is_valid() and "country" in second.form.errors
    assert "country" not in ReadoutFilter(QueryDict("country=US")).form.errors


def test_fields_are_labelled_from_the_model_where_the_filter_does_not_say():
    fields = ReadoutFilter(QueryDict()).form.fields
    assert fields["language"].label == "Language"  # from Readout.language
    assert fields["kind"].label == "Kind of meeting"  # the filter's own


def test_each_filterset_has_filters_of_its_own():
    korea = make_person("YOON Suk Yeol", "Yoon", country="KR")
    us = make_person()
    with_korea, with_us = make_meeting(), make_meeting()
    make_participation(with_korea, korea, "President", "counterpart")
    make_participation(with_us, us, "President", "counterpart")
    seoul = make_readout(with_korea, title="Japan-ROK Summit Meeting")
    make_readout(with_us)

    korean = ReadoutFilter(QueryDict("country=KR"), queryset=Readout.objects.listed())
    everything = ReadoutFilter(QueryDict(), queryset=Readout.objects.listed())
    assert korean.filters["country"] is not everything.filters["country"]
    assert korean.filters["country"].parent is korean
    assert everything.filters["country"].parent is everything
    assert not hasattr(ReadoutFilter.base_filters["country"], "parent")

    assert korean.is_valid() and everything.is_valid()
    assert list(korean.qs) == [seoul]
    assert everything.qs.count() == 2


def test_a_persons_readouts_are_sought_between_the_dates_of_their_meetings():
    # Their years in office, which PostgreSQL could not know: listing a prime
    # minister of 2001-2006 newest first, it read every later meeting first.
    koizumi = make_person("KOIZUMI Junichiro", "Koizumi", country="JP", slug="koizumi")
    first, last = (
        make_meeting(date=datetime.date(2003, 5, 1)),
        make_meeting(date=datetime.date(2005, 6, 1)),
    )
    for meeting in (first, last):
        make_participation(meeting, koizumi, "Prime Minister", "japan")
    readouts = [make_readout(meeting) for meeting in (first, last)]
    make_readout(make_meeting(date=datetime.date(2024, 1, 1)))

    filtered = ReadoutFilter(QueryDict("person=koizumi"), queryset=Readout.objects.listed())
    assert filtered.is_valid()
    assert sorted(filtered.qs, key=lambda readout: readout.pk) == readouts
    sql = str(filtered.qs.query)
    assert "BETWEEN" in sql and "2003-05-01" in sql and "2005-06-01" in sql, sql


def test_a_person_without_meetings_has_no_readouts():
    make_readout(make_meeting())
    make_person("Nobody", "Nobody", slug="met-nobody")
    filtered = ReadoutFilter(QueryDict("person=met-nobody"), queryset=Readout.objects.listed())
    assert filtered.is_valid()
    assert list(filtered.qs) == []
