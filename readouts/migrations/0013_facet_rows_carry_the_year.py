"""Each facet row carries its readout's meeting year (ReadoutFacet.year).

A filtered list counts its years among the readouts the filters give. From
the rows alone that joined the filter's rows to every listed readout's year
row: on the benchmark archive, the years among the 8,077 readouts with the
United States took 27 ms, most of it reading 86,945 year rows. With the year
on the filter's own rows, in the index they are found by, it is those rows.

The year is copied from each readout's own year row: every readout with
rows has one, as its rows are always written whole.
"""

from django.db import migrations, models

BACKFILL = """
    UPDATE readouts_readoutfacet SET year = COALESCE((
        SELECT CAST(own.value AS INTEGER) FROM readouts_readoutfacet own
        WHERE own.readout_id = readouts_readoutfacet.readout_id AND own.facet = 'year'
    ), 0)
"""


class Migration(migrations.Migration):
    dependencies = [("readouts", "0012_drop_readout_updated_index")]

    operations = [
        migrations.RemoveIndex(model_name="readoutfacet", name="readout_facet_value_idx"),
        migrations.AddField(
            model_name="readoutfacet",
            name="year",
            field=models.SmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="readoutfacet",
            index=models.Index(
                fields=["facet", "value", "readout"],
                include=["year"],
                name="readout_facet_value_idx",
            ),
        ),
    ]
