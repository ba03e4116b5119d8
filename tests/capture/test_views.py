"""The web pages: API tokens, start a capture, the live page, consent, end."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from prep.accounts.models import ApiToken
from prep.accounts.tokens import api_token_authenticate, api_token_create
from prep.capture import services
from prep.capture.models import CaptureConsent, CaptureSession
from prep.transcripts import services as transcript_services
from prep.transcripts.services import SegmentIn
from tests.budget import SESSION
from tests.factories import fresh_login

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.capture.urls")]


def _session(user, **kw):
    kw = {"title": "Feed ranking", "kind": "ml_system_design", "question": "Design a feed", **kw}
    return services.capture_session_create(user=user, **kw)[0]


def _segments(session, seqs, *, final=True):
    transcript_services.segment_batch_ingest(
        transcript=session.transcript,
        segments=[
            SegmentIn(
                s, "Alice", f"line {s}" + ("" if final else " …"), s * 1000, s * 1000 + 500, final
            )
            for s in seqs
        ],
    )


# --- Tokens --------------------------------------------------------------------------------
def test_creating_a_token_shows_the_plaintext_once(alice_client, alice):
    fresh_login(alice_client, alice)
    url = reverse("accounts:api_tokens")
    response = alice_client.post(url, {"name": "Laptop overlay", "form_key": uuid.uuid4().hex})
    assert response.status_code == 302 and response["Location"] == url  # post/redirect/get
    response = alice_client.get(url)
    plaintext = response.context["plaintext"]
    assert plaintext.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    assert api_token_authenticate(plaintext).user == alice
    # A reload shows it no more and creates nothing.
    listing = alice_client.get(url)
    assert plaintext.encode() not in listing.content
    assert b"Laptop overlay" in listing.content
    assert ApiToken.objects.filter(user=alice).count() == 1


def test_the_same_token_form_sent_twice_creates_one_token(alice_client, alice):
    fresh_login(alice_client, alice)
    url = reverse("accounts:api_tokens")
    key = uuid.uuid4().hex  # unique per run: the claim lives in the (maybe shared) cache
    for _ in range(2):  # a double click, or the browser re-sending the POST
        alice_client.post(url, {"name": "Laptop overlay", "form_key": key})
    assert ApiToken.objects.filter(user=alice).count() == 1
    alice_client.post(url, {"name": "Desktop", "form_key": uuid.uuid4().hex})
    assert ApiToken.objects.filter(user=alice).count() == 2


def test_a_token_needs_a_name(alice_client, alice):
    fresh_login(alice_client, alice)
    response = alice_client.post(reverse("accounts:api_tokens"), {"name": ""})
    assert response.status_code == 422
    assert ApiToken.objects.count() == 0


def test_revoking_a_token(alice_client, alice):
    token, plaintext = api_token_create(user=alice, name="old")
    response = alice_client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api_token_authenticate(plaintext) is None


def test_charlie_cannot_revoke_alices_token(client, alice, charlie):
    token, plaintext = api_token_create(user=alice, name="mine")
    client.force_login(charlie)
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert api_token_authenticate(plaintext) is not None
    assert b"mine" not in client.get(reverse("accounts:api_tokens")).content


def test_token_pages_need_login(client):
    response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 302


# --- Start, live, end ------------------------------------------------------------------------
def test_starting_a_capture_from_the_web(alice_client, alice):
    response = alice_client.post(
        reverse("capture:start"),
        {"title": "Mock with Bob", "kind": "ml_system_design", "question": "Design search"},
    )
    session = CaptureSession.objects.get(user=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("capture:live", args=[session.pk])


def test_a_bad_start_rerenders_with_messages_and_saves_nothing(alice_client):
    response = alice_client.post(reverse("capture:start"), {"title": "", "kind": "poker"})
    assert response.status_code == 422
    assert b"This field is required" in response.content
    assert CaptureSession.objects.count() == 0


def test_starting_for_a_booking_without_consent_says_why(alice_client, alice, bob, peer_booking):
    booking = peer_booking(alice, bob)
    response = alice_client.post(
        reverse("capture:start"), {"title": "Peer", "kind": "coding", "booking": booking.pk}
    )
    assert response.status_code == 422
    assert b"consent" in response.content
    assert CaptureSession.objects.count() == 0


def test_the_index_lists_sessions_and_explains_the_overlay(alice_client, alice, charlie):
    _session(alice, title="Mine")
    _session(charlie, title="Theirs")
    response = alice_client.get(reverse("capture:index") + "?solo_mock=3&kind=coding")
    assert b"Mine" in response.content
    assert b"Theirs" not in response.content
    assert reverse("accounts:api_tokens").encode() in response.content
    assert b"Linked to your solo mock #3" in response.content


def test_the_live_page_shows_framing_phase_and_finals_in_order(alice_client, alice):
    session = _session(alice)
    transcript_services.pin_add(
        transcript=session.transcript, kind="constraint", text="p99 under 50 ms", at_ms=1
    )
    transcript_services.phase_mark(transcript=session.transcript, phase="metrics", at_ms=60_000)
    _segments(session, [0, 1, 3])  # seq 2 missing: 3 must wait
    response = alice_client.get(reverse("capture:live", args=[session.pk]))
    html = response.content.decode()
    assert "Design a feed" in html and "p99 under 50 ms" in html and "metrics" in html
    assert "line 0" in html and "line 1" in html and "line 3" not in html
    assert response.context["cursor"] == 1


def test_polling_returns_only_what_is_new_after_the_cursor(alice_client, alice):
    session = _session(alice)
    _segments(session, range(3))
    url = reverse("capture:live", args=[session.pk])
    _segments(session, [3, 4])
    _segments(session, [5], final=False)
    response = alice_client.get(url + "?after=2", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html  # the partial only
    assert "line 2" not in html
    assert "line 3" in html and "line 4" in html
    assert "line 5 …" in html  # the interim tail
    assert 'hx-swap-oob="beforeend:#segments"' in html
    assert "?after=4" in html  # the next cursor


@pytest.mark.parametrize("after", ["abc", "-99", "99999999999999999999", ""])
def test_a_bad_cursor_is_treated_as_the_start(alice_client, alice, after):
    session = _session(alice)
    _segments(session, [0])
    response = alice_client.get(
        reverse("capture:live", args=[session.pk]) + f"?after={after}",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200


def test_the_live_poll_runs_a_bounded_number_of_queries(
    alice_client, alice, django_assert_num_queries
):
    session = _session(alice)
    url = reverse("capture:live", args=[session.pk]) + "?after=-1"
    headers = {"HX-Request": "true"}
    _segments(session, range(5))
    alice_client.get(url, headers=headers)
    # the login session, user, profile; the capture session with its transcript; segments
    with django_assert_num_queries(SESSION + 3):
        alice_client.get(url, headers=headers)
    _segments(session, range(5, 400))
    with django_assert_num_queries(SESSION + 3):
        response = alice_client.get(url, headers=headers)
    assert response.context["cursor"] == 199  # one page at most


def test_ending_from_the_web_stops_listening(alice_client, alice):
    session = _session(alice)
    live = alice_client.get(reverse("capture:live", args=[session.pk])).content.decode()
    assert "data-live-url" in live and "data-capture-events" in live
    response = alice_client.post(reverse("capture:end", args=[session.pk]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "ended"
    page = alice_client.get(reverse("capture:live", args=[session.pk])).content.decode()
    assert "data-live-url" not in page and "data-capture-events" not in page
    assert "Ended" in page


@pytest.mark.parametrize(("name", "method"), [("capture:live", "get"), ("capture:end", "post")])
def test_another_users_session_pages_are_404(client, alice, charlie, name, method):
    session = _session(alice)
    client.force_login(charlie)
    response = getattr(client, method)(reverse(name, args=[session.pk]))
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.status == "active"


# --- Consent -----------------------------------------------------------------------------------
def test_both_people_consent_from_the_consent_page(client, alice, bob, peer_booking):
    booking = peer_booking(alice, bob)
    url = reverse("capture:consent", args=[booking.pk])
    client.force_login(alice)
    assert b"ML system design mock" in client.get(url).content
    client.post(url, {"action": "give"})
    client.force_login(bob)
    page = client.get(url)
    assert page.context["other_given"] and not page.context["mine"]
    client.post(url, {"action": "give"})
    page = client.get(url)
    assert page.context["ready"]
    assert services.consent_missing(booking=booking) == []
    client.post(url, {"action": "withdraw"})
    assert not CaptureConsent.objects.filter(user=bob).exists()


def test_the_consent_page_of_someone_elses_booking_is_404(
    client, alice, bob, charlie, peer_booking
):
    theirs = peer_booking(alice, bob)
    client.force_login(charlie)
    assert client.get(reverse("capture:consent", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("capture:consent", args=[theirs.pk])).status_code == 404
    assert CaptureConsent.objects.count() == 0


def test_the_api_docs_are_served_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/capture/sessions/{session_id}/segments" in schema["paths"]


def test_the_demo_seeder_builds_a_ready_captured_mock(alice):
    import random

    from tooling.demo.capture import seed

    summary = seed(alice, days=14, rng=random.Random(1))
    session = CaptureSession.objects.get(user=alice)
    assert "segments" in summary
    assert session.status == "ended"
    assert session.transcript.status == "ready"
    assert session.transcript.contiguous_seq == session.transcript.segment_count - 1
    assert session.transcript.pinned["constraint"][0]["text"] == "About 100 ms end to end"
