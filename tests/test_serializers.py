"""Serializers make their fields from the model once per class, and share nothing else."""

import pytest
from django.contrib.auth.models import Group
from rest_framework import serializers

from readouts.models import Readout
from readouts.serializers import AnnotationSerializer, MeetingSerializer
from tests.builders import make_meeting, make_readout, make_user

pytestmark = pytest.mark.django_db


class Request:
    def __init__(self, user):
        self.user = user


def test_fields_are_made_from_the_model_once_per_class(monkeypatch):
    made = []
    build_field = serializers.ModelSerializer.build_field
    monkeypatch.setattr(
        serializers.ModelSerializer,
        "build_field",
        lambda self, name, *args: made.append(name) or build_field(self, name, *args),
    )
    monkeypatch.delattr(MeetingSerializer, "_made_fields", raising=False)  # as never used
    first, second = MeetingSerializer().fields, MeetingSerializer().fields
    assert "date" in made and made.count("date") == 1
    # Each serializer still binds fields of its own.
    assert first["date"] is not second["date"]
    assert first["date"].parent is not second["date"].parent


def test_a_serializer_s_change_to_its_fields_stays_its_own():
    make_readout(make_meeting(), status=Readout.Status.DRAFT)
    editor = make_user("editor", Group.objects.get(name="Editors"))
    visitor = make_user("visitor", is_staff=False)
    for_editor = AnnotationSerializer(context={"request": Request(editor)})
    for_visitor = AnnotationSerializer(context={"request": Request(visitor)})
    # Editors annotate the readouts they may see, drafts among them.
    assert for_editor.fields["readout"].queryset.count() == 1
    assert for_visitor.fields["readout"].queryset.count() == 0
