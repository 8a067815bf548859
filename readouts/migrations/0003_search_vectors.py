"""PostgreSQL full-text and trigram search columns and indexes (nothing on SQLite).

The generated columns are not model fields, so the same models serve SQLite;
readouts/search.py is the code that reads them.
"""

from django.db import migrations

from readouts.database import on_postgresql

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE readouts_readout ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(lead, '')), 'B')
    ) STORED""",
    "CREATE INDEX readout_search_idx ON readouts_readout USING gin (search_vector)",
    """ALTER TABLE readouts_point ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(text, '')), 'B')
    ) STORED""",
    "CREATE INDEX point_search_idx ON readouts_point USING gin (search_vector)",
    # Japanese text: substring search served by trigram indexes.
    "CREATE INDEX point_text_trgm_idx ON readouts_point USING gin (text gin_trgm_ops)",
    "CREATE INDEX readout_title_trgm_idx ON readouts_readout USING gin (title gin_trgm_ops)",
    "CREATE INDEX readout_lead_trgm_idx ON readouts_readout USING gin (lead gin_trgm_ops)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS readout_lead_trgm_idx",
    "DROP INDEX IF EXISTS readout_title_trgm_idx",
    "DROP INDEX IF EXISTS point_text_trgm_idx",
    "ALTER TABLE readouts_point DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE readouts_readout DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("readouts", "0002_reference_data")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
