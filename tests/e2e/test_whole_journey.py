"""The whole journey, in real Chromium, acting only through the UI as two new users would.

Ria signs up as a research scientist, onboards and sees her plan; she reviews five cards,
logs a drill attempt and publishes availability. Ben signs up and books an ML system design
mock with her (swapping halves). Both consent to recording; Ria makes an API token and the
mock is replayed through the reference client ``prep-capture`` with pinned framing. Once the
mock is over both give rubric feedback; Ria opens the transcript (pins, rubric coverage), makes
a card from a moment and finds it under Flashcards; her dashboard shows the plan work done
from activity and readiness moved. A screenshot of each step lands in test-artifacts/.

The only steps outside the UI: Ben's email is marked verified (booking a peer needs it and
the test cannot read his inbox), the overlay is played by ``prep-capture`` (a subprocess)
plus the capture API for pins, and the clock is moved past the end of the mock.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import zoneinfo
from pathlib import Path

import django.utils.timezone
import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from prep.capture import client as prep_capture
from tests.e2e.conftest import follow, shot

pytestmark = pytest.mark.e2e

VTT = Path(__file__).resolve().parent / "fixtures" / "whole_journey_mock.vtt"
PASSWORD = "a-long-pass-phrase-9"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AREAS = ("coding", "ml_fundamentals", "ml_system_design")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
SCORES_BY_RIA = {  # Ria on Ben
    "framing": "3",
    "metrics": "3",
    "data": "2",
    "model": "3",
    "serving": "3",
    "monitoring": "2",
    "iteration": "2",
}
SCORES_BY_BEN = {  # Ben on Ria
    "framing": "4",
    "metrics": "3",
    "data": "3",
    "model": "3",
    "serving": "4",
    "monitoring": "2",
    "iteration": "3",
}


def watch_csp(page, who: str, violations: list[str]) -> None:
    """test_csp_walk.watch_csp, with who saw it and on which page."""
    page.on(
        "console",
        lambda msg: (
            violations.append(f"{who} on {page.url}: {msg.text}")
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )


def nav(page, name: str) -> None:
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name=name))


def sign_up_and_onboard(page, server: str, email: str, *, role: str, timezone: str) -> None:
    page.goto(server)
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/onboarding/$"))
    page.get_by_role("radio", name=re.compile(role)).check()
    page.get_by_label("Timezone").fill(timezone)
    page.get_by_label("Display name").fill(email.split("@")[0])  # what peers see
    page.get_by_label("Hours per week").fill("10")
    for day in WEEKDAYS:
        page.get_by_label(day).check()
    page.get_by_role("button", name="Build my plan").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def readiness(page) -> dict[str, int]:
    box = page.get_by_test_id("readiness")
    return {a: int(box.get_by_test_id(f"readiness-{a}").inner_text()) for a in AREAS}


def plan_done_percent(page, area: str) -> int:
    text = page.get_by_test_id("readiness").locator(f'li[data-area="{area}"]').inner_text()
    return int(re.search(r"plan done (\d+)%", text).group(1))


def the_mock_slot(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """A one-hour slot starting 40-45 minutes from now (booking needs 30 minutes' notice);
    a window cannot cross midnight, so late in the day it moves to tomorrow at 01:00."""
    start = (now + dt.timedelta(minutes=45)).replace(second=0, microsecond=0)
    start -= dt.timedelta(minutes=start.minute % 5)
    end = start + dt.timedelta(hours=1)
    if end.date() != start.date() or end.time() == dt.time(0):
        start = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(1), tzinfo=dt.UTC)
        end = start + dt.timedelta(hours=1)
    return start, end


def prep_capture_cmd() -> list[str]:
    script = Path(sys.executable).with_name("prep-capture")
    return [str(script)] if script.exists() else [sys.executable, "-m", "prep.capture.client"]


def run_prep_capture(*args: str) -> dict:
    done = subprocess.run(
        [*prep_capture_cmd(), *args, "--json", "--quiet", "--retries", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def give_feedback(page, booking_url: str, other: str, scores: dict[str, str], notes: str):
    page.goto(booking_url)
    page.get_by_role("link", name=f"Give {other} feedback").click()
    for dimension, score in scores.items():
        page.locator(f"#dim-{dimension} input[value='{score}']").check()
    page.get_by_label("Overall notes").fill(notes)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Feedback saved.")).to_be_visible()


def test_the_whole_journey(page, new_context, live_server, monkeypatch):
    server = live_server.url
    real_now = django.utils.timezone.now
    violations: list[str] = []  # Content-Security-Policy violations, both users, all steps
    watch_csp(page, "ria", violations)

    # 1. Ria signs up as a research scientist, onboards (every weekday, UTC), sees her plan.
    sign_up_and_onboard(page, server, "ria@example.com", role="Research scientist", timezone="UTC")
    expect(page.get_by_test_id("role-name")).to_have_text("Research scientist")
    before = readiness(page)
    plan_done_before = plan_done_percent(page, "ml_system_design")
    nav(page, "Plan")
    expect(page.get_by_test_id("plan-item").first).to_be_visible()
    page.get_by_role("link", name="Whole plan").click()
    expect(page.locator('[data-module="mlsd-peer-mock-1"]')).to_have_count(1)
    expect(page.locator('[data-module="mlsd-peer-mock-1"]')).to_have_attribute(
        "data-status", "pending"
    )
    shot(page, "journey-01-plan")

    # 2a. Five flashcards: space reveals, a number rates; the next arrives without a reload.
    nav(page, "Flashcards")
    follow(page, page.get_by_role("link", name="Review all decks"))  # keys need its script
    new_count = page.get_by_test_id("count-new")
    fresh = int(new_count.inner_text())
    for reviewed in range(1, 6):
        expect(page.get_by_test_id("back")).to_be_hidden()
        page.keyboard.press("Space")
        expect(page.get_by_test_id("back")).to_be_visible()
        page.keyboard.press("3" if reviewed % 2 else "4")
        expect(new_count).to_have_text(str(fresh - reviewed))
    shot(page, "journey-02-flashcards")

    # 2b. A timed drill attempt, logged.
    nav(page, "Drills")
    page.get_by_label("Search").fill("Two Sum")
    # Wait for the filtered list to be swapped in: a click on the unfiltered list can land
    # on a link htmx is replacing, and the navigation is lost.
    expect(page).to_have_url(re.compile(r"q=Two"))
    page.locator("#results").get_by_role("link", name="Two Sum", exact=True).click()
    expect(page).to_have_url(re.compile(r"/drills/problems/\d+/"))
    page.get_by_role("button", name="Start timer").click()
    expect(page.get_by_test_id("timer")).to_be_visible()
    page.get_by_label("Solved clean").check()
    page.locator('input[name="confidence"][value="4"]').check()
    page.get_by_label("Notes").fill("Hash map of complements, one pass.")
    page.get_by_role("button", name="Log attempt").click()
    expect(page.get_by_text(re.compile(r"Logged: solved clean in \d+ min\."))).to_be_visible()
    shot(page, "journey-03-drill")

    # 2c. Availability: a one-off ML system design window, swapping halves on request.
    start, end = the_mock_slot(real_now().astimezone(dt.UTC))
    nav(page, "Booking")
    page.get_by_role("link", name="Publish availability").first.click()
    page.get_by_label("Mock kind").select_option("ml_system_design")
    page.get_by_label("Once, on a date").check()
    page.get_by_label(re.compile(r"^Date")).fill(start.date().isoformat())
    page.get_by_label("From", exact=True).fill(f"{start:%H:%M}")
    page.get_by_label("To", exact=True).fill(f"{end:%H:%M}")
    page.get_by_label("Mock length").select_option("60")
    page.get_by_label(re.compile("^Swap halves")).check()
    page.get_by_role("button", name="Publish window").click()
    expect(page.get_by_text("Availability published")).to_be_visible()
    shot(page, "journey-04-availability")

    # 3. Ben, in another browser, signs up and onboards; his email gets verified; he books.
    ben_context = new_context()
    ben = ben_context.new_page()
    watch_csp(ben, "ben", violations)
    sign_up_and_onboard(
        ben, server, "ben@example.com", role="ML engineer", timezone="Europe/Berlin"
    )
    # The one setup step outside the UI (Ben signed up through it a moment ago): the link in
    # the verification email, which the test cannot open, would do exactly this.
    assert EmailAddress.objects.filter(email="ben@example.com").update(verified=True) == 1
    nav(ben, "Booking")
    ben.get_by_role("link", name="Find a peer").first.click()
    ben.get_by_label("Mock kind").select_option("ml_system_design")
    local = start.astimezone(BERLIN)
    book = ben.get_by_role(
        "link",
        name=re.compile(
            rf"^Book ML system design with .+ on {local:%a} {local.day} {local:%b, %H:%M}$"
        ),
    )
    expect(book).to_be_visible()
    book.click()
    ben.get_by_label("Swap halves: I interview my peer too").check()
    ben.get_by_role("button", name="Book this mock").click()
    expect(ben.get_by_test_id("booking-status")).to_have_text("Booked")
    booking_url = ben.url
    booking_id = int(re.search(r"/booking/(\d+)/$", booking_url).group(1))
    shot(ben, "journey-05-booked")

    # 4a. Both consent to recording, from the booking page.
    ben.get_by_role("link", name="Consent to recording").click()
    ben.get_by_role("button", name="I consent to recording").click()
    expect(ben.get_by_test_id("consent-mine")).to_contain_text("Consented")
    nav(page, "Booking")
    page.get_by_test_id("upcoming-list").get_by_role(
        "link", name=re.compile("ML system design with")
    ).click()
    expect(page).to_have_url(re.compile(rf"/booking/{booking_id}/$"))
    page.get_by_role("link", name="Consent to recording").click()
    expect(page.get_by_test_id("consent-peer")).to_contain_text("Consented")
    page.get_by_role("button", name="I consent to recording").click()
    expect(page.get_by_test_id("consent-mine")).to_contain_text("Consented")
    shot(page, "journey-06-consent")

    # 4b. Ria's API token for the overlay, shown once: Settings → API tokens.
    nav(page, "Settings")
    page.get_by_role("link", name="API tokens for the capture overlay").click()
    page.get_by_label("Name").fill("Overlay on my laptop")
    follow(page, page.get_by_role("button", name="Create token"))
    if "reauthenticate" in page.url:
        # Making a token needs a sign-in within 5 minutes; on a slow machine Ria signed up
        # longer ago than that, and is asked for her password first.
        page.get_by_label("Password").fill(PASSWORD)
        follow(page, page.get_by_role("button", name="Confirm"))
        page.get_by_label("Name").fill("Overlay on my laptop")
        follow(page, page.get_by_role("button", name="Create token"))
    token = page.get_by_test_id("token-plaintext").inner_text().strip()
    assert token.startswith("prep_")
    shot(page, "journey-07-token")

    # 4c. The overlay, played by prep-capture: the conversation, then framing pinned and
    # phases marked through the API while the session is open (the client has no pins), then
    # a second run resumes the same session, finds everything in and ends it.
    question = "Design the ranking of a news feed for a social app"
    sent = run_prep_capture(
        str(VTT),
        "--server",
        server,
        "--token",
        token,
        "--booking",
        str(booking_id),
        "--kind",
        "ml_system_design",
        "--title",
        "Feed ranking mock with Ben",
        "--question",
        question,
        "--no-end",
    )
    session_id = sent["session"]
    assert sent["new"] == 6 and sent["last_contiguous_seq"] == 5
    api = prep_capture.Client(server, token, retries=2)
    for kind, text, at_ms in [
        ("assumption", "10M daily active users", 16400),
        ("constraint", "Feed served in under 100 ms", 18000),
        ("metric", "NDCG offline, click-through online", 22400),
    ]:
        api.request(
            "POST", f"/sessions/{session_id}/pins", {"kind": kind, "text": text, "at_ms": at_ms}
        )
    for phase, at_ms in [("framing", 0), ("metrics", 22400), ("data", 34400), ("serving", 46400)]:
        api.request("POST", f"/sessions/{session_id}/phases", {"phase": phase, "at_ms": at_ms})
    ended = run_prep_capture(
        str(VTT), "--server", server, "--token", token, "--session", str(session_id)
    )
    assert ended["session"] == session_id and ended["new"] == 0

    # 5. The mock must be over before feedback. The live server runs in a thread of this
    # process, and booking decides "over" (Booking.is_over) and "feedback open" (half_at)
    # from django.utils.timezone.now(); so from here on that clock runs one minute past the
    # mock's end. Nothing else is faked: the shift is the smallest that makes the mock over.
    shift = end + dt.timedelta(minutes=1) - real_now()
    monkeypatch.setattr(django.utils.timezone, "now", lambda: real_now() + shift)

    give_feedback(
        page,
        f"{server}/booking/{booking_id}/",
        "ben",
        SCORES_BY_RIA,
        "Clear framing and metrics; never reached monitoring.",
    )
    expect(page.get_by_text("ben has not given feedback yet.")).to_be_visible()
    shot(page, "journey-08-feedback-ria")
    give_feedback(
        ben, booking_url, "ria", SCORES_BY_BEN, "Strong serving answer; iterate on monitoring."
    )
    expect(ben.get_by_role("heading", name="ria's feedback on you")).to_be_visible()
    shot(ben, "journey-09-feedback-ben")
    page.reload()
    expect(page.get_by_role("heading", name="ben's feedback on you")).to_be_visible()
    ben_context.close()

    # 6. The transcript: pinned framing, rubric coverage with the feedback beside it.
    nav(page, "Transcripts")
    page.get_by_role("link", name="Feed ranking mock with Ben").click()
    expect(page.get_by_test_id("status")).to_have_text("Ready")
    expect(page.get_by_test_id("question")).to_have_text(question)
    framing = page.locator("section[aria-labelledby=framing-h]")
    expect(framing).to_contain_text("10M daily active users")
    expect(framing).to_contain_text("Feed served in under 100 ms")
    expect(framing).to_contain_text("NDCG offline, click-through online")
    coverage = page.get_by_test_id("coverage")
    for dimension in ("framing", "metrics", "data", "serving"):
        expect(coverage.locator(f'tr[data-dimension="{dimension}"]')).to_contain_text("covered")
    expect(page.get_by_test_id("untouched")).to_contain_text("Iteration")
    expect(coverage.locator('tr[data-dimension="framing"]')).to_contain_text("ria on ben")

    # Make a card from a moment: highlight the serving answer (htmx swaps it in place), then
    # "Make a card". The screenshot comes after the swap: Playwright's full-page screenshot
    # leaves style="" on inputs and textareas, and htmx's settle step copies the old
    # element's style attribute onto the new one, which the CSP (no inline style) blocks.
    moment = page.locator("#seq-5")
    expect(moment).to_contain_text("feature store")
    moment.get_by_role("button", name="Highlight").click()
    expect(page.locator("#seq-5")).to_have_class(re.compile("tx-seg--highlight"))
    shot(page, "journey-10-transcript")
    page.locator("#seq-5").get_by_role("link", name="Make a card").click()
    expect(page.get_by_label("Front")).to_have_value(
        "How would you design the ranking of a news feed for a social app?"
    )
    page.get_by_label("Back").fill("Features from a feature store, embeddings precomputed: p99.")
    page.get_by_role("button", name="Add card").click()
    nav(page, "Flashcards")
    page.get_by_role("link", name="Browse").first.click()
    page.get_by_label("Search").fill("news feed")
    page.get_by_label("Search").press("Enter")
    expect(
        page.get_by_text("How would you design the ranking of a news feed for a social app?").first
    ).to_be_visible()
    shot(page, "journey-11-card")

    # 7. The plan's peer mock completed from activity; readiness moved on the dashboard.
    nav(page, "Plan")
    page.get_by_role("link", name="Whole plan").click()
    peer_mock = page.locator('[data-module="mlsd-peer-mock-1"]').first
    expect(peer_mock).to_have_attribute("data-status", "done")
    expect(peer_mock).to_contain_text("Done (from activity)")
    nav(page, "Dashboard")
    after = readiness(page)
    assert plan_done_percent(page, "ml_system_design") > plan_done_before
    assert after["coding"] > before["coding"]
    assert after["ml_system_design"] > before["ml_system_design"]
    assert after["ml_fundamentals"] >= before["ml_fundamentals"]
    shot(page, "journey-12-dashboard")

    assert violations == []
