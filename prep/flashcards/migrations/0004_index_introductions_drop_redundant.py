"""The day's introductions by index; two indexes that others already cover go.

The review queue counts the new cards the user introduced today (the daily limit) on every
answer. On (user, reviewed_at) that read every rating of the day and filtered them by
``prev_state = 0``; a partial index of first ratings only (``fc_log_introduced``) holds
just those, so the count reads only what it counts. It also gives PostgreSQL a fair
estimate of that count without the day's start in hand, so the queue's prepared statement
can keep its generic plan instead of being planned again on every answer.

The single-column indexes on ``CardState.user`` and ``ReviewLog.card_state`` duplicate the
leading column of the (user, card) and (card_state, seq) unique constraints, which serve
those foreign keys as well; every rating updates a state (a new due date: every index of
the row gets an entry) and inserts a log, so each index less is one write less per rating.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("flashcards", "0003_review_log_user_latest"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reviewlog",
            index=models.Index(
                condition=models.Q(("prev_state", 0)),
                fields=["user", "reviewed_at"],
                name="fc_log_introduced",
            ),
        ),
        migrations.AlterField(
            model_name="cardstate",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="flashcard_states",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="reviewlog",
            name="card_state",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="logs",
                to="flashcards.cardstate",
            ),
        ),
    ]
