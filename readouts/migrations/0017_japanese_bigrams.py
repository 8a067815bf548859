"""Japanese search through character bigrams, in place of trigram indexes (PostgreSQL only).

Japanese has no spaces between words, so to_tsvector cannot split it. The
trigram indexes of 0003 served terms of three characters or more, and most
Japanese words are two (経済, 会談, 首脳): those read every text. Each text's
Japanese runs are now cut into overlapping pairs of characters, indexed as
the words of a "simple" tsvector. A term is looked up by its pairs, and each
text found is checked for the term itself (readouts/search.py). The vectors
rank Japanese results as the English ones are ranked.
"""

from django.db import migrations

from readouts.database import on_postgresql

# Hiragana, katakana, CJK ideographs and half-width katakana: search.JAPANESE.
KANA_AND_KANJI = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]"

FORWARD = [
    # Every pair of neighbouring Japanese characters, space-separated: the
    # pairs that start a run's odd characters, then those after one.
    rf"""CREATE FUNCTION readouts_bigrams(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT array_to_string(ARRAY(
            SELECT pair[1] FROM regexp_matches($1, '({KANA_AND_KANJI}{{2}})', 'g') AS pair
            UNION ALL
            SELECT pair[1] FROM regexp_matches($1, '(?<={KANA_AND_KANJI})({KANA_AND_KANJI}{{2}})', 'g') AS pair
        ), ' ')
    $$""",
    """ALTER TABLE readouts_readout ADD COLUMN bigram_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', readouts_bigrams(coalesce(title, ''))), 'A')
        || setweight(to_tsvector('simple', readouts_bigrams(coalesce(lead, ''))), 'B')
    ) STORED""",
    "CREATE INDEX readout_bigram_idx ON readouts_readout USING gin (bigram_vector)",
    """ALTER TABLE readouts_point ADD COLUMN bigram_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', readouts_bigrams(coalesce(text, ''))), 'B')
    ) STORED""",
    "CREATE INDEX point_bigram_idx ON readouts_point USING gin (bigram_vector)",
    "DROP INDEX IF EXISTS point_text_trgm_idx",
    "DROP INDEX IF EXISTS readout_title_trgm_idx",
    "DROP INDEX IF EXISTS readout_lead_trgm_idx",
]

BACKWARD = [
    "CREATE INDEX point_text_trgm_idx ON readouts_point USING gin (text gin_trgm_ops)",
    "CREATE INDEX readout_title_trgm_idx ON readouts_readout USING gin (title gin_trgm_ops)",
    "CREATE INDEX readout_lead_trgm_idx ON readouts_readout USING gin (lead gin_trgm_ops)",
    "ALTER TABLE readouts_point DROP COLUMN IF EXISTS bigram_vector",
    "ALTER TABLE readouts_readout DROP COLUMN IF EXISTS bigram_vector",
    "DROP FUNCTION IF EXISTS readouts_bigrams(text)",
]


class Migration(migrations.Migration):
    dependencies = [("readouts", "0016_meeting_topic_facet_rows")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
