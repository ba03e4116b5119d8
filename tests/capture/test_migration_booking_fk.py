"""The migrations that turn the plain ``booking_id`` integers into foreign keys keep rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("capture", "0001_initial"),
    ("transcripts", "0003_search_trigger"),
    ("booking", "0002_participant_no_overlap"),
]
AFTER = [
    ("capture", "0002_booking_foreign_keys"),
    ("transcripts", "0004_transcript_booking_foreign_key"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_rows_survive_and_dangling_ids_are_forgotten(catalogue):
    old = _migrate(BEFORE)
    User = old.get_model("auth", "User")
    Booking = old.get_model("booking", "Booking")
    Prompt = old.get_model("mocks", "Prompt")
    Transcript = old.get_model("transcripts", "Transcript")
    Session = old.get_model("capture", "CaptureSession")
    Consent = old.get_model("capture", "CaptureConsent")
    from django.utils import timezone

    host = User.objects.create(username="host", email="h@example.com")
    guest = User.objects.create(username="guest", email="g@example.com")
    now = timezone.now()
    booking = Booking.objects.create(
        host=host,
        guest=guest,
        kind="ml_system_design",
        prompt=Prompt.objects.filter(kind="ml_system_design").first(),
        starts_at=now,
        ends_at=now,
    )
    live = Transcript.objects.create(user=host, title="live", kind="coding", booking_id=booking.pk)
    gone = Transcript.objects.create(user=host, title="gone", kind="coding", booking_id=99999)
    Session.objects.create(user=host, transcript=live, booking_id=booking.pk)
    Session.objects.create(user=host, transcript=gone, booking_id=99999)
    Consent.objects.create(user=host, booking_id=booking.pk)
    Consent.objects.create(user=host, booking_id=99999)
    try:
        new = _migrate(AFTER)
        Transcript = new.get_model("transcripts", "Transcript")
        Session = new.get_model("capture", "CaptureSession")
        Consent = new.get_model("capture", "CaptureConsent")
        by_title = dict(Transcript.objects.values_list("title", "booking_id"))
        assert by_title == {"live": booking.pk, "gone": None}
        assert sorted(Session.objects.values_list("booking_id", flat=True), key=str) == sorted(
            [booking.pk, None], key=str
        )
        assert list(Consent.objects.values_list("booking_id", flat=True)) == [booking.pk]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
