"""Give back the space the year's backfill (migration 0013) left in the facet rows.

Copying each row's year rewrote every row, and each rewrite left the old
version behind, in the table and in its indexes. For the benchmark archive's
1.4 million rows the table went from 93 to 186 MB and its two indexes from
124 to 270 MB, and the lists' index-only reads of them slowed. VACUUM FULL
writes them afresh: 4 s there. It runs outside a transaction, as VACUUM
must, on PostgreSQL only; SQLite gives the space back on its own VACUUM.
"""

from django.db import migrations

from readouts.database import on_postgresql


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("readouts", "0014_facet_pair_totals")]

    operations = [
        migrations.RunPython(
            on_postgresql(["VACUUM FULL ANALYZE readouts_readoutfacet"]),
            migrations.RunPython.noop,
        )
    ]
