"""Search's GIN index leads with the segment's owner: GIN (user_id, search), btree_gin.

Every search is scoped to one user (``selectors.search_scope``: ``user_id = me``, plus the
few transcripts shared with them). On the text alone, the GIN index returned every match in
the table (a common word: a tenth of 1.7 million segments) and PostgreSQL intersected that
with the user's rows: ~60 ms a search. With the owner as a key of the same GIN index, the
scan skips through the word's posting list by the user's few thousand entries: ~0.5 ms, 16
buffers instead of 150. The old index goes (a GIN index on several columns serves a query
on any of them).

Built CONCURRENTLY (so not in a transaction): capture keeps inserting segments meanwhile.
Vendor-guarded (Django's BtreeGinExtension is not when migrating backwards, so the extension
is created here; going back leaves it installed): on SQLite search uses its icontains
fallback.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS transcripts_segment_user_search_gin "
    "ON transcripts_segment USING gin (user_id, search)",
    "DROP INDEX CONCURRENTLY IF EXISTS transcripts_segment_search_gin",
]
BACKWARD = [
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS transcripts_segment_search_gin "
    "ON transcripts_segment USING gin (search)",
    "DROP INDEX CONCURRENTLY IF EXISTS transcripts_segment_user_search_gin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("transcripts", "0006_transcript_events")]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
