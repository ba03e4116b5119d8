"""The overlay page and its session-authenticated actions (pins, undo, next phase, speech)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from prep.capture.models import CaptureSession
from prep.transcripts.models import Pin, Segment

from .conftest import API, seg

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def owner(client, alice):
    client.force_login(alice)
    return client


def test_the_overlay_shows_the_context_and_the_last_lines(owner, api, session_id):
    api.post(f"{API}/{session_id}/pins", {"kind": "constraint", "text": "p99 < 50ms", "at_ms": 1})
    api.post(f"{API}/{session_id}/phases", {"phase": "framing", "at_ms": 0})
    api.segments(session_id, [seg(0, "first line"), seg(1, "being sai", final=False)])
    page = owner.get(f"/capture/sessions/{session_id}/overlay/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Design a news feed ranking system" in html
    assert "p99 &lt; 50ms" in html and "first line" in html and "being sai" in html
    config = page.context["config"]
    assert config["after"] == 3  # a pin, a phase mark, a batch of segments
    assert config["order"][:2] == ["framing", "metrics"]
    assert config["planned"]["framing"] > 0
    assert config["nextSeq"] == 2
    assert "<script>" not in html  # CSP: no inline script (the config is a JSON data block)


def test_the_overlay_and_its_actions_are_404_for_anyone_else(client, charlie, session_id):
    client.force_login(charlie)
    base = f"/capture/sessions/{session_id}"
    assert client.get(f"{base}/overlay/").status_code == 404
    for action in ("overlay/pin/", "overlay/undo/", "overlay/next-phase/", "speech/"):
        assert _post(client, f"{base}/{action}", {}).status_code == 404, action


def test_pin_typed_text_then_undo_the_last_pin(owner, session_id):
    base = f"/capture/sessions/{session_id}/overlay"
    first = _post(owner, f"{base}/pin/", {"kind": "assumption", "text": "10M users"})
    second = _post(owner, f"{base}/pin/", {"kind": "decision", "text": "two towers"})
    assert first.status_code == second.status_code == 201
    undone = _post(owner, f"{base}/undo/", {})
    assert undone.json()["text"] == "two towers"
    assert list(Pin.objects.values_list("text", flat=True)) == ["10M users"]
    _post(owner, f"{base}/undo/", {})
    assert _post(owner, f"{base}/undo/", {}).status_code == 409


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "vibe", "text": "x"}, 422),
        ({"kind": "metric", "text": "  "}, 422),
        ({"kind": "metric", "text": "x" * 2001}, 422),
        ({"kind": "metric", "text": "a\x00b"}, 422),
        ({"kind": "metric", "text": 5}, 422),
    ],
)
def test_bad_pins_are_refused_as_json(owner, session_id, body, status):
    response = _post(owner, f"/capture/sessions/{session_id}/overlay/pin/", body)
    assert response.status_code == status
    assert "detail" in response.json()


def test_a_body_that_is_not_json_is_400(owner, session_id):
    response = owner.post(
        f"/capture/sessions/{session_id}/overlay/pin/", data="{", content_type="application/json"
    )
    assert response.status_code == 400


def test_next_phase_walks_the_rubric_in_order(owner, session_id):
    url = f"/capture/sessions/{session_id}/overlay/next-phase/"
    walked = [_post(owner, url, {}).json().get("phase") for _ in range(7)]
    assert walked == ["framing", "metrics", "data", "model", "serving", "monitoring", "iteration"]
    assert _post(owner, url, {}).status_code == 409  # the last phase


def test_the_actions_need_the_csrf_token(alice, session_id):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    response = _post(strict, f"/capture/sessions/{session_id}/speech/", {"segments": []})
    assert response.status_code == 403


def test_speech_interim_then_final_is_stored_once_under_my_label(owner, session_id):
    url = f"/capture/sessions/{session_id}/speech/"
    interim = {"seq": 0, "text": "I would", "start_ms": 100, "end_ms": 900, "final": False}
    final = {"seq": 0, "text": "I would start", "start_ms": 100, "end_ms": 1500, "final": True}
    assert _post(owner, url, {"segments": [interim]}).json()["new"] == 1
    assert _post(owner, url, {"segments": [final]}).json()["replaced"] == 1
    resent = _post(owner, url, {"segments": [interim, final]}).json()
    assert (resent["new"], resent["stale"], resent["duplicate"]) == (0, 1, 1)
    assert list(Segment.objects.values_list("seq", "speaker", "text", "final")) == [
        (0, "Me", "I would start", True)
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"segments": []},
        {"segments": [{"seq": -1, "text": "x", "start_ms": 0, "end_ms": 1, "final": True}]},
        {"segments": [{"seq": 0, "text": "x", "start_ms": 5, "end_ms": 1, "final": True}]},
        {"segments": [{"seq": 0, "text": "\x00", "start_ms": 0, "end_ms": 1, "final": True}]},
        {"segments": "nope"},
        {},
    ],
)
def test_bad_speech_batches_are_422(owner, session_id, body):
    response = _post(owner, f"/capture/sessions/{session_id}/speech/", body)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_speech_into_an_ended_session_is_409(owner, api, session_id):
    api.post(f"{API}/{session_id}/end")
    body = {"segments": [{"seq": 0, "text": "late", "start_ms": 0, "end_ms": 1, "final": True}]}
    assert _post(owner, f"/capture/sessions/{session_id}/speech/", body).status_code == 409


def test_recording_a_booking_from_the_browser_still_needs_both_consents(
    owner, alice, bob, api, peer_booking
):
    from prep.capture import services

    booking = peer_booking(alice, bob)
    for person in (alice, bob):
        services.capture_consent_give(user=person, booking=booking)
    created = api.create(booking=booking.pk, speakers={"Alice": "host", "Bob": "guest"})
    session_id = created.json()["id"]
    url = f"/capture/sessions/{session_id}/speech/"
    body = {"segments": [{"seq": 0, "text": "hi", "start_ms": 0, "end_ms": 1, "final": True}]}
    assert _post(owner, url, body).status_code == 200
    assert Segment.objects.get().speaker == "Alice"  # the label mapped to alice (the host)
    services.capture_consent_withdraw(user=bob, booking=booking)
    body["segments"][0]["seq"] = 1
    assert _post(owner, url, body).status_code == 409
    assert CaptureSession.objects.get(pk=session_id).transcript.segment_count == 1


def test_the_protocol_page_documents_the_stream(client):
    page = client.get("/capture/overlay-protocol/")
    assert page.status_code == 200
    text = page.content.decode()
    for needle in ("Last-Event-ID", "text/event-stream", "If-None-Match", "stale", "429"):
        assert needle in text


def test_the_overlay_page_runs_the_same_queries_at_two_sizes(
    owner, api, session_id, django_assert_num_queries
):
    from tests.budget import SESSION

    url = f"/capture/sessions/{session_id}/overlay/"
    api.segments(session_id, [seg(i) for i in range(5)])
    api.post(f"{API}/{session_id}/pins", {"kind": "metric", "text": "CTR", "at_ms": 1})
    owner.get(url)
    # user; the session with its transcript and cursor; the rubric's phases; the rubric's
    # planned minutes; the last lines
    with django_assert_num_queries(SESSION + 5):
        owner.get(url)
    for start in range(5, 500, 100):
        api.segments(session_id, [seg(i) for i in range(start, start + 100)])
    for i in range(20):
        api.post(f"{API}/{session_id}/pins", {"kind": "decision", "text": f"d{i}", "at_ms": i})
    with django_assert_num_queries(SESSION + 5):
        response = owner.get(url)
    assert response.context["config"]["nextSeq"] == 505
    assert len(response.context["lines"]) == 6
