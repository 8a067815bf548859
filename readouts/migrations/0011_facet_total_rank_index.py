"""An index of the facet totals in each facet's order of business (PostgreSQL only).

The lists show each facet's thirty busiest values. Read in this order, they
are thirty index entries per facet, where sorting a facet's totals (2,887
people in the generated archive) cost more than the rest of the read. The
values are ordered as Python orders them (collation "C"), which SQLite has
no name for: there the totals are read whole and sorted in Python.
"""

from django.db import migrations

from readouts.database import on_postgresql

FORWARD = [
    "CREATE INDEX IF NOT EXISTS facet_total_rank_idx"
    ' ON readouts_facettotal (facet, count DESC, value COLLATE "C")',
]

BACKWARD = ["DROP INDEX IF EXISTS facet_total_rank_idx"]


class Migration(migrations.Migration):
    dependencies = [("readouts", "0010_facet_value_statistics")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
