"""booking_id on CaptureSession and CaptureConsent becomes a real foreign key to Booking.

Rows are kept: a session whose booking no longer exists keeps its recording with no booking
(as SET_NULL would have left it); a consent to a booking that no longer exists could never be
used again and is the one row dropped, since a consent means nothing without its booking.
"""

import django.db.models.deletion
from django.db import migrations, models


def drop_dangling(apps, schema_editor):
    Booking = apps.get_model("booking", "Booking")
    CaptureSession = apps.get_model("capture", "CaptureSession")
    CaptureConsent = apps.get_model("capture", "CaptureConsent")
    known = Booking.objects.values("pk")
    CaptureSession.objects.exclude(booking_id=None).exclude(booking_id__in=known).update(
        booking_id=None
    )
    CaptureConsent.objects.exclude(booking_id__in=known).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0002_participant_no_overlap"),
        ("capture", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_dangling, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="captureconsent", name="capture_consent_unique"),
        migrations.RenameField(
            model_name="capturesession", old_name="booking_id", new_name="booking"
        ),
        migrations.AlterField(
            model_name="capturesession",
            name="booking",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="capture_sessions",
                to="booking.booking",
            ),
        ),
        migrations.RenameField(
            model_name="captureconsent", old_name="booking_id", new_name="booking"
        ),
        migrations.AlterField(
            model_name="captureconsent",
            name="booking",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="capture_consents",
                to="booking.booking",
            ),
        ),
        migrations.AddConstraint(
            model_name="captureconsent",
            constraint=models.UniqueConstraint(
                fields=("booking", "user"), name="capture_consent_unique"
            ),
        ),
    ]
