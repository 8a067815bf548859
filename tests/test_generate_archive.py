import json

import pytest
from django.core.management import CommandError, call_command

from readouts.models import Annotation, Meeting, Participation, Person, Point, Readout

MEETINGS = 40


def generate(seed=5, **options):
    call_command(
        "generate_archive", meetings=MEETINGS, seed=seed, batch_size=15, stdout=None, **options
    )


def snapshot():
    return {
        "readouts": list(
            Readout.objects.order_by("slug").values_list(
                "slug",
                "title",
                "lead",
                "status",
                "language",
                "translation_of__slug",
                "meeting__date",
                "meeting__start_time",
                "meeting__time_zone",
                "meeting__country",
                "meeting__kind",
            )
        ),
        "points": list(
            Point.objects.order_by("readout__slug", "position").values_list(
                "readout__slug", "label", "text", "key", "parent__key", "translates__key"
            )
        ),
        "participants": sorted(
            Participation.objects.values_list("meeting__readouts__slug", "person__name_form")
        ),
    }


@pytest.fixture
def archive(db):
    generate()


def test_generates_meetings_with_readouts_points_and_annotations(archive):
    assert Meeting.objects.count() == MEETINGS
    readouts = Readout.objects.count()
    # A Japanese original and its English translation, some meetings English only.
    assert MEETINGS < readouts <= 2 * MEETINGS
    assert Point.objects.count() >= 3 * readouts
    assert Point.objects.filter(parent__isnull=False).exists()
    assert Point.objects.filter(topics__isnull=False).exists()
    assert Annotation.objects.exists()


def test_translations_point_back_at_their_originals(archive):
    translation = Readout.objects.filter(translation_of__isnull=False).first()
    original = translation.translation_of
    assert (original.language, translation.language) == ("ja", "en")
    assert translation.meeting_id == original.meeting_id
    assert translation.translation_status == Readout.TranslationStatus.PROVISIONAL
    assert [p.translates_id for p in translation.points.all()] == [
        p.pk for p in original.points.all()
    ]


def test_japanese_side_is_the_prime_minister_in_office(archive):
    meeting = Meeting.objects.filter(kind=Meeting.Kind.SUMMIT_MEETING).first()
    japan = meeting.participations.get(side=Participation.Side.JAPAN)
    assert japan.person == meeting.administration.prime_minister


def test_same_seed_gives_the_same_archive(archive):
    first = snapshot()
    generate(clear=True)
    assert snapshot() == first


def test_another_seed_gives_another_archive(archive):
    first = snapshot()
    generate(seed=6, clear=True)
    assert snapshot() != first


def test_clear_removes_everything_generated(archive):
    call_command("generate_archive", meetings=0, clear=True)
    assert not Readout.objects.exists()
    assert not Meeting.objects.exists()
    assert not Point.objects.exists()
    assert not Person.objects.filter(slug__startswith="synthetic-").exists()


def test_refuses_to_add_to_existing_synthetic_data(archive):
    with pytest.raises(CommandError, match="--clear"):
        generate()


def test_drafts_are_generated_and_not_public(db):
    call_command("generate_archive", meetings=200, seed=1, stdout=None)
    drafts = Readout.objects.filter(status=Readout.Status.DRAFT)
    assert drafts.exists()
    assert not Readout.objects.public().filter(pk__in=drafts).exists()
    assert Readout.objects.public().count() < Readout.objects.count()


def test_everything_is_marked_synthetic(archive):
    readouts = Readout.objects.all()
    assert set(readouts.values_list("issuer__slug", flat=True)) == {"synthetic"}
    assert readouts.first().issuer.name == "Synthetic data (not a real readout)"
    assert all(
        title.startswith("[Synthetic]") for title in readouts.values_list("title", flat=True)
    )
    assert set(readouts.values_list("source_url", flat=True)) == {""}
    counterparts = Person.objects.filter(participations__side=Participation.Side.COUNTERPART)
    assert all(
        name.startswith("Synthetic ") for name in counterparts.values_list("name_form", flat=True)
    )


def test_the_benchmark_baseline_gives_the_api_lists_own_rows(archive, client, settings):
    """bench/baseline.py is only a fair yardstick while it answers what the API does."""
    from bench.baseline import page

    settings.ROOT_URLCONF = "bench.urls"
    api = client.get("/api/v1/readouts/").json()["results"]

    assert len(api) == 20
    assert json.loads(page("http://testserver"))["results"] == api
    assert client.get("/bench/api-baseline").json()["results"] == api


def test_comparing_two_checkouts_takes_each_side_s_median_round():
    """bench/compare.py: one slow round on a shared machine does not decide."""
    from bench.compare import summarize

    def rounds(*rates):
        return [{"requests_per_second": rate, "p95_ms": 1000 / rate} for rate in rates]

    summary = summarize({"before": rounds(10, 30, 12), "after": rounds(15, 14, 3)})
    assert summary["before"]["requests_per_second"] == 12
    assert summary["after"]["requests_per_second"] == 14
    assert summary["after"]["each_round"] == [15, 14, 3]
    assert summary["after_over_before"] == round(14 / 12, 3)
