"""The user's latest review log by index: (user, id).

Undo reads ``ReviewLog.filter(user=...).order_by("-pk").first()``. With only the foreign
key's index on user, PostgreSQL chose to walk the primary key backwards and filter by user:
300 ms (490,000 rows read) for a user whose last rating is old, in the load test's data.
The (user, id) index answers it with one index probe and also serves the foreign key, so
the single-column index on user goes (created first, dropped second).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("flashcards", "0002_queue_partial_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reviewlog",
            index=models.Index(fields=["user", "id"], name="fc_log_user_latest"),
        ),
        migrations.AlterField(
            model_name="reviewlog",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="flashcard_reviews",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
