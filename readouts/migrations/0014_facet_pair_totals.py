"""Pair totals: how many listed readouts take both of two facet values.

A list narrowed to one value (a person's page) counts its other facets from
these rows rather than grouping the facet rows of all its readouts. They are
counted here from the facet rows, as `facets.count_pairs` counts them.

On PostgreSQL the table leaves 30% of each page free (fillfactor 70):
a refresh adds to thousands of counts, and with room on the page PostgreSQL
rewrites a count in place without touching the index (a HOT update). For
2,000 new readouts the refresh took 4.2-4.8 s with the room, 6.3 s without.
"""

from django.db import migrations, models

from readouts.database import on_postgresql

FACETS = (
    "'year', 'administration', 'country', 'person', 'occasion', 'kind', 'topic',"
    " 'issuer', 'language', 'translation_status'"
)

COUNT_PAIRS = f"""
    INSERT INTO readouts_facetpairtotal (facet, value, other_facet, other_value, count)
    SELECT own.facet, own.value, other.facet, other.value, COUNT(*)
    FROM readouts_readoutfacet own
    JOIN readouts_readoutfacet other
        ON other.readout_id = own.readout_id AND other.facet <> own.facet
    WHERE own.facet IN ({FACETS}) AND other.facet IN ({FACETS})
    GROUP BY own.facet, own.value, other.facet, other.value
"""


class Migration(migrations.Migration):
    dependencies = [
        ("readouts", "0013_facet_rows_carry_the_year"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetPairTotal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("facet", models.CharField(max_length=24)),
                ("value", models.CharField(max_length=64)),
                ("other_facet", models.CharField(max_length=24)),
                ("other_value", models.CharField(max_length=64)),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("facet", "value", "other_facet", "other_value"),
                        name="facet_pair_total_once_per_pair",
                    )
                ],
            },
        ),
        migrations.RunPython(
            on_postgresql(["ALTER TABLE readouts_facetpairtotal SET (fillfactor = 70)"]),
            migrations.RunPython.noop,
        ),
        migrations.RunSQL(COUNT_PAIRS, migrations.RunSQL.noop),
    ]
