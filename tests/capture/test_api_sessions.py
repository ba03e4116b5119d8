"""Session creation, idempotency, consent, speakers and roles; pins, phases and context."""

from __future__ import annotations

import pytest

from prep.capture.models import CaptureConsent, CaptureSession, IdempotencyRecord
from prep.mocks.services import solo_mock_start
from prep.transcripts.models import PhaseMark, Pin
from tests.mocks.factories import prompt

from .conftest import API

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.capture.urls")]


def test_create_answers_201_with_the_session(api):
    response = api.create(
        question="Design a feed ranker", speakers={"Spk 1": "me", "Spk 2": "other"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "active"
    assert body["transcript_status"] == "recording"
    assert body["last_contiguous_seq"] == -1
    assert body["speakers"] == {"Spk 1": "me", "Spk 2": "other"}
    assert CaptureSession.objects.get(pk=body["id"]).transcript.question == "Design a feed ranker"


def test_an_idempotency_key_makes_a_retry_return_the_same_session(api):
    first = api.post(API, {"title": "T", "kind": "coding"}, headers={"Idempotency-Key": "k-1"})
    again = api.post(API, {"title": "T", "kind": "coding"}, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert CaptureSession.objects.count() == 1
    other = api.post(API, {"title": "T", "kind": "coding"}, headers={"Idempotency-Key": "k-2"})
    assert other.json()["id"] != first.json()["id"]


def test_the_same_key_with_a_different_body_is_refused(api):
    api.post(API, {"title": "T", "kind": "coding"}, headers={"Idempotency-Key": "k-1"})
    response = api.post(API, {"title": "U", "kind": "coding"}, headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["header", "Idempotency-Key"] and "Idempotency-Key" in error["msg"]
    assert CaptureSession.objects.count() == 1


def test_idempotency_keys_are_per_user(api, charlie_api):
    a = api.post(API, {"title": "T", "kind": "coding"}, headers={"Idempotency-Key": "same"})
    c = charlie_api.post(API, {"title": "T", "kind": "coding"}, headers={"Idempotency-Key": "same"})
    assert a.json()["id"] != c.json()["id"]
    assert IdempotencyRecord.objects.count() == 2


@pytest.mark.parametrize(
    "body",
    [
        {"title": "", "kind": "coding"},
        {"title": "T", "kind": "cooking"},
        {"title": "T"},
        {"title": "T", "kind": "coding", "speakers": {"A": "host"}},  # host is for bookings
        {"title": "T", "kind": "coding", "speakers": {"A": "boss"}},
        {"title": "T", "kind": "coding", "roles": {"me": "judge"}},
        {"title": "T", "kind": "coding", "roles": {"me": "candidate", "other": "candidate"}},
        {"title": "T", "kind": "coding", "question": "q" * 5001},
        {"title": "T", "kind": "coding", "booking": 1, "solo_mock": 1},
        {"title": "T" * 201, "kind": "coding"},
    ],
)
def test_bad_sessions_are_refused_with_422(api, body):
    response = api.post(API, body)
    assert response.status_code == 422, response.content
    assert CaptureSession.objects.count() == 0


def test_a_solo_mock_must_be_ones_own(api, charlie):
    theirs = solo_mock_start(user=charlie, prompt=prompt())
    response = api.create(solo_mock=theirs.pk)
    assert response.status_code == 404


def test_a_solo_mock_capture_links_it(api, alice):
    mine = solo_mock_start(user=alice, prompt=prompt())
    response = api.create(solo_mock=mine.pk, roles={"me": "candidate", "other": "interviewer"})
    assert response.status_code == 201
    assert response.json()["solo_mock"] == mine.pk


def test_a_booking_needs_both_peoples_consent(api, alice, bob, peer_booking):
    booking = peer_booking(alice, bob)
    body = {"booking": booking.pk, "speakers": {"A": "host", "B": "guest"}}
    refused = api.create(**body)
    assert refused.status_code == 409
    assert "consent" in refused.json()["detail"]
    CaptureConsent.objects.create(booking=booking, user=alice)
    assert api.create(**body).status_code == 409
    CaptureConsent.objects.create(booking=booking, user=bob)
    created = api.create(**body, roles={"host": "interviewer", "guest": "candidate"})
    assert created.status_code == 201
    assert created.json()["booking"] == booking.pk


def test_someone_elses_booking_is_404(api, bob, charlie, peer_booking):
    theirs = peer_booking(bob, charlie)
    assert api.create(booking=theirs.pk).status_code == 404
    assert api.create(booking=9999).status_code == 404


def test_pins_are_idempotent_and_feed_the_context(api, session_id):
    pin = {"kind": "assumption", "text": "100M daily users", "at_ms": 12_000}
    first = api.post(f"{API}/{session_id}/pins", pin)
    again = api.post(f"{API}/{session_id}/pins", pin)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    api.post(f"{API}/{session_id}/pins", {"kind": "constraint", "text": "p99 < 50ms", "at_ms": 5})
    assert Pin.objects.count() == 2
    context = api.get(f"{API}/{session_id}/context").json()
    assert context["question"] == "Design a news feed ranking system"
    assert [p["text"] for p in context["pins"]["assumption"]] == ["100M daily users"]
    assert [p["text"] for p in context["pins"]["constraint"]] == ["p99 < 50ms"]


def test_phases_set_the_current_phase_and_swap_exchanges_roles(api, alice, bob, peer_booking):
    booking = peer_booking(alice, bob)
    CaptureConsent.objects.create(booking=booking, user=alice)
    CaptureConsent.objects.create(booking=booking, user=bob)
    sid = api.create(
        booking=booking.pk,
        speakers={"A": "host", "B": "guest"},
        roles={"host": "interviewer", "guest": "candidate"},
    ).json()["id"]
    assert api.post(f"{API}/{sid}/phases", {"phase": "framing", "at_ms": 0}).status_code == 201
    assert api.post(f"{API}/{sid}/phases", {"phase": "framing", "at_ms": 0}).status_code == 200
    api.post(f"{API}/{sid}/phases", {"phase": "metrics", "at_ms": 300_000})
    context = api.get(f"{API}/{sid}/context").json()
    assert context["phase"] == "metrics"
    assert context["phase_started_ms"] == 300_000
    assert context["roles"] == {"host": "interviewer", "guest": "candidate"}
    api.post(f"{API}/{sid}/phases", {"phase": "swap", "at_ms": 1_800_000})
    context = api.get(f"{API}/{sid}/context").json()
    assert context["phase"] == "metrics"  # a swap is not a phase of the answer
    assert context["roles"] == {"host": "candidate", "guest": "interviewer"}
    assert [p["phase"] for p in context["phases"]] == ["framing", "metrics", "swap"]
    assert PhaseMark.objects.count() == 3


def test_a_late_phase_mark_for_an_earlier_time_keeps_the_latest_current(api, session_id):
    api.post(f"{API}/{session_id}/phases", {"phase": "data", "at_ms": 600_000})
    api.post(f"{API}/{session_id}/phases", {"phase": "framing", "at_ms": 0})
    context = api.get(f"{API}/{session_id}/context").json()
    assert context["phase"] == "data"
    assert [p["phase"] for p in context["phases"]] == ["framing", "data"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("pins", {"kind": "gossip", "text": "x", "at_ms": 0}),
        ("pins", {"kind": "note", "text": "", "at_ms": 0}),
        ("pins", {"kind": "note", "text": "x", "at_ms": -1}),
        ("phases", {"phase": "lunch", "at_ms": 0}),
        ("phases", {"phase": "Framing!", "at_ms": 0}),
        ("phases", {"phase": "framing"}),
    ],
)
def test_bad_pins_and_phases_are_422(api, session_id, path, body):
    response = api.post(f"{API}/{session_id}/{path}", body)
    assert response.status_code == 422, response.content
    assert Pin.objects.count() == PhaseMark.objects.count() == 0


def test_after_end_pins_and_phases_are_409_but_resends_200(api, session_id):
    pin = {"kind": "note", "text": "x", "at_ms": 1}
    api.post(f"{API}/{session_id}/pins", pin)
    api.post(f"{API}/{session_id}/end")
    assert api.post(f"{API}/{session_id}/pins", pin).status_code == 200
    new_pin = {**pin, "text": "y"}
    assert api.post(f"{API}/{session_id}/pins", new_pin).status_code == 409
    phase = {"phase": "framing", "at_ms": 0}
    assert api.post(f"{API}/{session_id}/phases", phase).status_code == 409


def test_context_runs_a_bounded_number_of_queries(api, session_id, django_assert_num_queries):
    url = f"{API}/{session_id}/context"
    api.get(url)  # last_used_at written now; later reads within the minute do not write

    def add(n, offset):
        for i in range(n):
            pin = {"kind": "note", "text": f"p{i}", "at_ms": offset + i}
            api.post(f"{API}/{session_id}/pins", pin)
            api.post(
                f"{API}/{session_id}/phases",
                {"phase": ["framing", "metrics", "data"][i % 3], "at_ms": offset + i},
            )

    add(2, 0)
    with django_assert_num_queries(2):  # the token, the session with its transcript
        small = api.get(url)
    add(40, 1000)
    with django_assert_num_queries(2):
        large = api.get(url)
    assert len(small.json()["pins"]["note"]) == 2
    assert len(large.json()["pins"]["note"]) == 42


def test_a_real_booking_is_found_through_the_booking_model(api, alice, bob, charlie):
    import datetime as dt

    from django.utils import timezone

    from prep.booking.models import Booking

    start = timezone.now() + dt.timedelta(days=1)
    booking = Booking.objects.create(
        host=alice,
        guest=bob,
        kind="ml_system_design",
        prompt=prompt(),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    body = {"booking": booking.pk, "speakers": {"A": "host", "B": "guest"}}
    assert api.create(**body).status_code == 409  # no consent yet
    for person in (alice, bob):
        CaptureConsent.objects.create(booking=booking, user=person)
    assert api.create(**body).status_code == 201
    booking.status = "cancelled"
    booking.save()
    assert api.create(**body).status_code == 404  # a cancelled booking is not recorded


def test_a_recording_outlives_its_deleted_booking(api, alice, bob, peer_booking):
    """Real foreign keys: deleting a booking keeps the capture and its transcript (SET_NULL)
    and drops the consents, which mean nothing without it."""
    from prep.capture.models import CaptureSession
    from prep.transcripts.models import Transcript

    booking = peer_booking(alice, bob)
    for person in (alice, bob):
        CaptureConsent.objects.create(booking=booking, user=person)
    sid = api.create(booking=booking.pk, speakers={"A": "host", "B": "guest"}).json()["id"]
    booking.delete()
    session = CaptureSession.objects.get(pk=sid)
    assert session.booking_id is None
    assert Transcript.objects.get(pk=session.transcript_id).booking_id is None
    assert not CaptureConsent.objects.exists()
