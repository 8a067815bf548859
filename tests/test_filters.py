"""The FilterSets share what never changes between requests, and nothing else."""

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
