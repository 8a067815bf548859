"""Each meeting's topics as facet rows, on the readout that carries its month.

The charts count meetings per month by topic from these rows (facets.MEETING_TOPIC),
as they count them by country, rather than grouping every point's topics
with its readout and meeting: 850 ms a page on the benchmark archive. Here
they are written for the readouts already listed, as `facets.facet_rows`
writes them: the topics a point of any listed readout of the meeting is
tagged with, not their parents. Undone, the rows and their totals go.
"""

from django.db import migrations

MEETING_TOPICS = """
    INSERT INTO readouts_readoutfacet (readout_id, facet, value, year)
    SELECT DISTINCT month.readout_id, 'meeting_topic', CAST(tagged.topic_id AS TEXT), month.year
    FROM readouts_readoutfacet month
    JOIN readouts_readout first ON first.id = month.readout_id
    JOIN readouts_readout listed
        ON listed.meeting_id = first.meeting_id AND listed.status = 'published'
    JOIN readouts_point point ON point.readout_id = listed.id
    JOIN readouts_point_topics tagged ON tagged.point_id = point.id
    WHERE month.facet = 'meeting_month'
"""

THEIR_TOTALS = """
    INSERT INTO readouts_facettotal (facet, value, count)
    SELECT facet, value, COUNT(*) FROM readouts_readoutfacet
    WHERE facet = 'meeting_topic'
    GROUP BY facet, value
"""

FORGET = [
    "DELETE FROM readouts_facettotal WHERE facet = 'meeting_topic'",
    "DELETE FROM readouts_readoutfacet WHERE facet = 'meeting_topic'",
]


class Migration(migrations.Migration):
    dependencies = [("readouts", "0015_compact_facet_rows")]

    operations = [migrations.RunSQL([MEETING_TOPICS, THEIR_TOTALS], FORGET)]
