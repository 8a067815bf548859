"""The readouts' updated_at index served only the API's Last-Modified, which is gone.

A list's latest change was read from the index's end; conditional GET now
rests on the ETag alone (readouts/api.py), and every save wrote the index.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("readouts", "0011_facet_total_rank_index")]

    operations = [migrations.RemoveIndex(model_name="readout", name="readout_updated_idx")]
