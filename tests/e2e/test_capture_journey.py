"""Capture journey: make a token, start a capture, watch the overlay's transcript arrive live."""

from __future__ import annotations

import re
import threading

import pytest
from playwright.sync_api import expect

from prep.capture import client as prep_capture
from tests.e2e.conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.urls("tests.capture.urls")]


def _overlay(server: str, token: str, session_id: int, done: threading.Event, errors: list):
    """The desktop overlay, played by the reference client: framing, a phase, then speech."""
    try:
        api = prep_capture.Client(server, token)
        path = f"/sessions/{session_id}"
        api.request(
            "POST", f"{path}/pins", {"kind": "assumption", "text": "10M daily users", "at_ms": 4000}
        )
        api.request(
            "POST", f"{path}/pins", {"kind": "constraint", "text": "p99 under 50 ms", "at_ms": 6000}
        )
        api.request("POST", f"{path}/phases", {"phase": "framing", "at_ms": 0})
        api.send(
            session_id,
            [
                {
                    "seq": 1,
                    "speaker": "Candidate",
                    "text": "I would start from the goal.",
                    "start_ms": 3000,
                    "end_ms": 5000,
                    "final": True,
                },
                {
                    "seq": 0,
                    "speaker": "Interviewer",
                    "text": "Design a feed ranking system.",
                    "start_ms": 0,
                    "end_ms": 2500,
                    "final": True,
                },
                {
                    "seq": 2,
                    "speaker": "Candidate",
                    "text": "Then the metr",
                    "start_ms": 5200,
                    "end_ms": 6000,
                    "final": False,
                },
            ],
        )
        api.request("POST", f"{path}/phases", {"phase": "metrics", "at_ms": 5200})
    except Exception as exc:  # noqa: BLE001 - surfaced by the test
        errors.append(exc)
    finally:
        done.set()


def test_capture_a_mock_and_watch_it_live(page, live_server, login, alice, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    alice.set_password("correct-horse-battery-staple")
    alice.save()
    login(alice)

    # A personal token for the overlay, shown once.
    page.get_by_role("link", name="Transcripts").click()
    page.get_by_role("link", name="Capture a mock").click()
    page.get_by_role("link", name="API tokens").first.click()
    page.get_by_label("Name").fill("Overlay on my laptop")
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_test_id("token-plaintext").inner_text().strip()
    assert token.startswith("prep_")
    shot(page, "capture-token")

    # Start a capture from the web.
    page.get_by_role("link", name="Transcripts").click()
    page.get_by_role("link", name="Capture a mock").click()
    page.get_by_label("Title").fill("Feed ranking with Bob")
    page.get_by_label("Question").fill("Design the ranking of a social news feed")
    page.get_by_role("button", name="Start capture").click()
    expect(page).to_have_url(re.compile(r"/capture/sessions/\d+/$"))
    expect(page.get_by_test_id("live-waiting")).to_be_visible()
    session_id = int(page.get_by_test_id("session-id").inner_text())

    # The overlay sends; the page shows it without a reload.
    done, errors = threading.Event(), []
    threading.Thread(
        target=_overlay, args=(live_server.url, token, session_id, done, errors), daemon=True
    ).start()
    assert done.wait(30) and not errors, errors
    segments = page.get_by_test_id("live-segments")
    expect(segments.get_by_text("Design a feed ranking system.")).to_be_visible(timeout=10_000)
    expect(segments.get_by_text("I would start from the goal.")).to_be_visible()
    expect(page.get_by_text("Then the metr")).to_be_visible()  # the interim tail
    expect(page.get_by_test_id("live-phase")).to_have_text("metrics")
    expect(page.get_by_text("p99 under 50 ms")).to_be_visible()
    expect(page.get_by_test_id("live-counts")).to_have_text("3 (2 final)")
    expect(page.get_by_test_id("live-question")).to_have_text(
        "Design the ranking of a social news feed"
    )
    # Finals appear in seq order even though seq 1 arrived first.
    lines = segments.locator("li .live-seg__text").all_inner_texts()
    assert lines == ["Design a feed ranking system.", "I would start from the goal."]
    shot(page, "capture-live")

    # End the capture: polling stops and the transcript is processed.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End capture").click()
    expect(page.get_by_test_id("live-status")).to_contain_text("Ended")
    shot(page, "capture-ended")
