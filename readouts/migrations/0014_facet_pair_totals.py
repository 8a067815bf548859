"""Pair totals: how many listed readouts take both of two facet values.

A list narrowed to one value (a person's page) counts its other facets from
these rows rather than grouping the facet rows of all its readouts. They are
counted here from the facet rows, as `facets.count_pairs` counts them.
"""

from django.db import migrations, models

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
        migrations.RunSQL(COUNT_PAIRS, migrations.RunSQL.noop),
    ]
