"""The live overlay in real Chromium: pushed events, a server-side disconnect, the keyboard,
the 320 × 240 layout, and speech capture driven by a scripted recogniser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from prep.accounts.tokens import api_token_create
from prep.capture import client as prep_capture
from prep.capture import services as capture_services
from prep.capture import stream
from prep.transcripts.models import Segment

pytestmark = pytest.mark.e2e

QUESTION = "Design the ranking of a social news feed"


@pytest.fixture
def live_session(alice):
    session, _ = capture_services.capture_session_create(
        user=alice, title="Feed ranking with Bob", kind="ml_system_design", question=QUESTION
    )
    return session


@pytest.fixture
def second_client(live_server, alice):
    """Another program writing to the session through the API (the desktop overlay)."""
    _, token = api_token_create(user=alice, name="desktop overlay")
    return prep_capture.Client(live_server.url, token, retries=2, backoff=0.05)


def _segment(seq, text, *, final=True, speaker="Candidate"):
    start = seq * 2000
    return {
        "seq": seq,
        "speaker": speaker,
        "text": text,
        "start_ms": start,
        "end_ms": start + 1500,
        "final": final,
    }


def _open_overlay(page, live_server, session):
    page.goto(f"{live_server.url}/capture/sessions/{session.pk}/overlay/")
    overlay = page.get_by_test_id("overlay")
    expect(overlay).to_have_attribute("data-ready", "")
    expect(overlay).to_have_attribute("data-stream-opens", "1")
    return overlay


def test_the_overlay_shows_another_clients_writes_live_and_resumes_after_a_disconnect(
    page, live_server, login, alice, live_session, second_client
):
    login(alice)
    overlay = _open_overlay(page, live_server, live_session)
    lines = page.get_by_test_id("ov-lines")
    sid = live_session.pk

    # Each write of the second client appears without a reload.
    second_client.send(sid, [_segment(0, "Design a feed ranker.", speaker="Interviewer")])
    expect(lines).to_contain_text("Design a feed ranker.")
    second_client.request(
        "POST", f"/sessions/{sid}/pins", {"kind": "constraint", "text": "p99 < 50 ms", "at_ms": 1}
    )
    expect(page.get_by_test_id("ov-pins")).to_contain_text("p99 < 50 ms")
    second_client.request("POST", f"/sessions/{sid}/phases", {"phase": "framing", "at_ms": 0})
    expect(page.get_by_test_id("ov-phase")).to_have_text("framing")
    expect(page.get_by_test_id("ov-uncovered")).to_contain_text("metrics")
    expect(overlay).to_have_attribute("data-last-event", "3")

    # The server drops the stream; writes land while the overlay is away.
    assert stream.disconnect(live_session.transcript_id) >= 1
    second_client.send(sid, [_segment(1, "I would start from the goal.")])
    second_client.send(sid, [_segment(2, "Then the metr", final=False)])
    second_client.send(sid, [_segment(2, "Then the metrics.")])

    # It reconnects by itself (Last-Event-ID) and catches up: nothing lost, nothing twice.
    expect(overlay).to_have_attribute("data-stream-opens", "2")
    expect(lines).to_contain_text("Then the metrics.")
    expect(overlay).to_have_attribute("data-last-event", "6")
    assert page.evaluate("window.prepOverlay.ids") == [1, 2, 3, 4, 5, 6]
    assert lines.locator("li .ov-line__text").all_inner_texts() == [
        "Design a feed ranker.",
        "I would start from the goal.",
        "Then the metrics.",
    ]
    assert page.get_by_test_id("ov-pins").locator("li").all_inner_texts() == ["p99 < 50 ms"]


def test_the_overlay_is_readable_at_320_by_240_and_works_from_the_keyboard(
    page, live_server, login, alice, live_session, second_client
):
    login(alice)
    page.set_viewport_size({"width": 320, "height": 240})
    second_client.send(live_session.pk, [_segment(0, "We have ten million daily users.")])
    _open_overlay(page, live_server, live_session)

    # Nothing is wider than the window; the question and the phase are in view.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    for test_id in ("ov-question", "ov-phase", "ov-keys"):
        box = page.get_by_test_id(test_id).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, test_id
    for test_id in ("ov-question", "ov-phase"):
        box = page.get_by_test_id(test_id).bounding_box()
        assert box["y"] + box["height"] <= 240, test_id

    # No mouse from here on.
    pins = page.get_by_test_id("ov-pins")
    page.keyboard.press("n")
    expect(page.get_by_test_id("ov-phase")).to_have_text("framing")
    page.keyboard.press("n")
    expect(page.get_by_test_id("ov-phase")).to_have_text("metrics")
    page.keyboard.press("a")  # the last line, as an assumption
    expect(pins.locator("[data-kind=assumption] li")).to_have_text(
        ["We have ten million daily users."]
    )
    page.keyboard.press("t")
    # Type only once the box has the focus: keys typed before would be shortcuts.
    expect(page.locator("#ov-text")).to_be_focused()
    page.keyboard.type("Latency under 50 ms")
    page.keyboard.press("Alt+c")
    expect(pins.locator("[data-kind=constraint] li")).to_have_text(["Latency under 50 ms"])
    expect(page.locator("#ov-text")).to_have_value("")
    page.keyboard.press("Escape")
    page.keyboard.press("u")  # undo the last pin
    expect(pins.locator("[data-kind=constraint]")).to_be_hidden()
    expect(pins.locator("[data-kind=assumption] li")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


SCRIPTED_RECOGNISER = """
(() => {
  // Stands in for the browser's speech engine: the test says what was heard, when.
  const live = [];
  class ScriptedRecognition {
    constructor() { this.continuous = false; this.interimResults = false; this.results = []; }
    start() { live.push(this); window.__recognitionStarts = (window.__recognitionStarts || 0) + 1; }
    stop() { const i = live.indexOf(this); if (i >= 0) live.splice(i, 1); setTimeout(() => this.onend && this.onend(), 0); }
    abort() { this.stop(); }
  }
  window.__hear = (index, text, isFinal) => {
    const rec = live[live.length - 1];
    const alternative = [{ transcript: text, confidence: 0.9 }];
    alternative.isFinal = isFinal;
    rec.results[index] = alternative;
    rec.onresult({ resultIndex: index, results: rec.results });
  };
  window.SpeechRecognition = ScriptedRecognition;
  window.webkitSpeechRecognition = ScriptedRecognition;
})();
"""


def test_speech_capture_stores_interim_then_final_exactly_once(
    page, live_server, login, alice, live_session
):
    page.add_init_script(SCRIPTED_RECOGNISER)
    login(alice)
    overlay = _open_overlay(page, live_server, live_session)
    expect(page.get_by_test_id("ov-speech")).to_contain_text("Speech capture off")

    page.keyboard.press("s")
    expect(overlay).to_have_attribute("data-speech", "on")
    page.evaluate("window.__hear(0, 'I would', false)")
    expect(overlay).to_have_attribute("data-posted", "1")
    expect(page.locator("[data-testid=ov-lines] li.ov-line--interim")).to_have_text(["Me I would"])
    page.evaluate("window.__hear(0, 'I would start from the goal', false)")
    expect(overlay).to_have_attribute("data-posted", "2")
    page.evaluate("window.__hear(0, 'I would start from the goal.', true)")
    expect(overlay).to_have_attribute("data-posted", "3")
    lines = page.get_by_test_id("ov-lines").locator("li")
    expect(lines).to_have_text(["Me I would start from the goal."])
    expect(page.locator("[data-testid=ov-lines] li.ov-line--interim")).to_have_count(0)
    page.keyboard.press("s")
    expect(overlay).to_have_attribute("data-speech", "off")

    stored = list(
        Segment.objects.filter(transcript_id=live_session.transcript_id).values_list(
            "seq", "speaker", "text", "final"
        )
    )
    assert stored == [(0, "Me", "I would start from the goal.", True)]


def test_without_speech_recognition_the_overlay_says_so(
    page, live_server, login, alice, live_session
):
    page.add_init_script(
        "delete window.SpeechRecognition; delete window.webkitSpeechRecognition;"
        "Object.defineProperty(window, 'webkitSpeechRecognition', {value: undefined});"
    )
    login(alice)
    _open_overlay(page, live_server, live_session)
    expect(page.get_by_test_id("ov-speech")).to_contain_text("not available in this browser")


PIP = "documentPictureInPicture.window"


def test_keep_on_top_moves_the_live_overlay_into_a_picture_in_picture_window(
    page, live_server, login, alice, live_session, second_client
):
    """Chromium's Document Picture-in-Picture window (headless opens it at its own size)."""
    login(alice)
    _open_overlay(page, live_server, live_session)
    page.get_by_role("button", name="Keep on top").click()
    page.wait_for_function(f"() => !!{PIP} && !!{PIP}.document.getElementById('overlay')")
    expect(page.get_by_test_id("overlay")).to_have_count(0)  # moved, not copied
    assert page.evaluate(f"{PIP}.document.styleSheets.length") >= 2  # prep.css, overlay.css

    # Still live in its new window.
    second_client.send(live_session.pk, [_segment(0, "Ranking for a news feed.")])
    page.wait_for_function(
        f"() => {PIP}.document.querySelector('[data-testid=ov-lines]').textContent"
        ".includes('Ranking for a news feed.')"
    )
    # Closing it puts the overlay back in the page.
    page.evaluate(f"{PIP}.close()")
    expect(page.get_by_test_id("ov-lines")).to_contain_text("Ranking for a news feed.")


def test_without_picture_in_picture_the_overlay_pops_out_into_a_small_window(
    page, live_server, login, alice, live_session
):
    page.add_init_script("delete window.documentPictureInPicture;")
    login(alice)
    _open_overlay(page, live_server, live_session)
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Pop out").click()
    popup = opened.value
    expect(popup.get_by_test_id("overlay")).to_be_visible()
    expect(popup.get_by_test_id("ov-question")).to_have_text(QUESTION)
    expect(popup.get_by_role("button", name="Pop out")).to_be_hidden()  # not from the popup
