"""The admin change page of a readout costs the same number of queries however long it is."""

import pytest

from tests.builders import make_annotation, make_readout

pytestmark = pytest.mark.django_db


def readout_with(points, annotations, author):
    readout = make_readout(points=[f"Point number {n} of the readout." for n in range(points)])
    for point in list(readout.points.all())[:annotations]:
        make_annotation(readout, point, "number", author)
    return readout


def test_change_page_queries_do_not_grow_with_points_and_annotations(
    reviewer_client, reviewer, django_assert_max_num_queries
):
    small = readout_with(3, 1, reviewer)
    with django_assert_max_num_queries(60) as baseline:
        assert reviewer_client.get(f"/admin/readouts/readout/{small.pk}/change/").status_code == 200

    large = readout_with(30, 10, reviewer)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        assert reviewer_client.get(f"/admin/readouts/readout/{large.pk}/change/").status_code == 200
