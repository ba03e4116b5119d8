"""PostgreSQL full-text search on segments: a trigger keeps ``search`` =
to_tsvector('english', text) on every insert and text change (so capture's raw inserts and
the bench's COPY fill it too), a GIN index on it, and existing rows backfilled.

Vendor-guarded: on SQLite the column stays NULL and search uses its icontains fallback.
"""

from django.db import migrations

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION transcripts_segment_search_update() RETURNS trigger AS $$
    BEGIN
      NEW.search := to_tsvector('english'::regconfig, coalesce(NEW.text, ''));
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS transcripts_segment_search ON transcripts_segment",
    """
    CREATE TRIGGER transcripts_segment_search
      BEFORE INSERT OR UPDATE OF text ON transcripts_segment
      FOR EACH ROW EXECUTE FUNCTION transcripts_segment_search_update()
    """,
    "UPDATE transcripts_segment SET search = to_tsvector('english'::regconfig, text)",
    "CREATE INDEX IF NOT EXISTS transcripts_segment_search_gin "
    "ON transcripts_segment USING gin (search)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS transcripts_segment_search_gin",
    "DROP TRIGGER IF EXISTS transcripts_segment_search ON transcripts_segment",
    "DROP FUNCTION IF EXISTS transcripts_segment_search_update()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("transcripts", "0002_review")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
