"""Transcript.booking_id becomes a real foreign key to Booking (SET_NULL: a peer's transcript
outlives its booking). Rows are kept: a transcript whose booking no longer exists keeps its
text with no booking, as SET_NULL would have left it."""

import django.db.models.deletion
from django.db import migrations, models


def forget_dangling(apps, schema_editor):
    Booking = apps.get_model("booking", "Booking")
    Transcript = apps.get_model("transcripts", "Transcript")
    Transcript.objects.exclude(booking_id=None).exclude(
        booking_id__in=Booking.objects.values("pk")
    ).update(booking_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0002_participant_no_overlap"),
        ("transcripts", "0003_search_trigger"),
    ]

    operations = [
        migrations.RunPython(forget_dangling, migrations.RunPython.noop),
        migrations.RenameField(model_name="transcript", old_name="booking_id", new_name="booking"),
        migrations.AlterField(
            model_name="transcript",
            name="booking",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="transcripts",
                to="booking.booking",
            ),
        ),
    ]
