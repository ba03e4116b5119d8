import datetime as dt

from django.db import migrations, models

# prep.booking.services.FEEDBACK_REVEAL_AFTER when this migration was written.
REVEAL_AFTER = dt.timedelta(hours=48)


def backfill(apps, schema_editor):
    """Peer feedback given before this field existed is revealed as the booking page did."""
    RubricFeedback = apps.get_model("mocks", "RubricFeedback")
    Booking = apps.get_model("booking", "Booking")
    rows = RubricFeedback.objects.filter(context_key__startswith="booking:")
    ids = {int(key.split(":", 1)[1]) for key in rows.values_list("context_key", flat=True)}
    ends = dict(Booking.objects.filter(pk__in=ids).values_list("pk", "ends_at"))
    for feedback in rows:
        end = ends.get(int(feedback.context_key.split(":", 1)[1]))
        if end is not None:
            feedback.reveal_at = end + REVEAL_AFTER
            feedback.save(update_fields=["reveal_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("mocks", "0001_initial"),
        ("booking", "0002_participant_no_overlap"),
    ]

    operations = [
        migrations.AddField(
            model_name="rubricfeedback",
            name="reveal_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
