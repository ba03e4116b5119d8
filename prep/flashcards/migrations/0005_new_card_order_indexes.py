"""The next new card by index, in deck order.

When no card is due, the queue shows the user's first new card by position. On the queue
indexes ((user, state, due), (user, deck, state, due)) that read every new card of the
user's and sorted them: 3 ms for 2,500 new cards, on every answer of a session of new
cards. These partial indexes hold new, unsuspended cards in (position, id) order, so the
first is one index entry; the count of new cards (up to the daily limit) reads them too. A
rating turns a new card into a learning one, so ratings add no entry to them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("flashcards", "0004_index_introductions_drop_redundant"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="cardstate",
            index=models.Index(
                condition=models.Q(("state", 0), ("suspended", False)),
                fields=["user", "position", "id"],
                name="fc_new_order",
            ),
        ),
        migrations.AddIndex(
            model_name="cardstate",
            index=models.Index(
                condition=models.Q(("state", 0), ("suspended", False)),
                fields=["user", "deck", "position", "id"],
                name="fc_new_order_deck",
            ),
        ),
    ]
