"""A solo ML system design mock, acting only through the UI."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import follow, shot

pytestmark = pytest.mark.e2e


def seconds(text: str) -> int:
    parts = [int(p) for p in text.strip().split(":")]
    total = 0
    for part in parts:
        total = total * 60 + part
    return total


def test_solo_design_mock_survives_a_reload_and_moves_the_plan(page, live_server, login, alice):
    login(alice)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mocks").click()
    page.get_by_role("link", name="ML system design").first.click()
    progress = page.get_by_test_id("progress-mlsd-solo-mock-1")
    expect(progress).to_have_text("0 / 1")

    page.get_by_role("link", name="Moderate harmful content on a social network").click()
    expect(page.get_by_test_id("notes-locked")).to_be_visible()
    page.get_by_label("Model").fill("12")
    follow(page, page.get_by_role("button", name="Start solo mock"))  # autosave is htmx

    expect(page.get_by_test_id("current-phase")).to_have_text("Framing")
    framing = page.get_by_label("Notes for Framing")
    framing.press_sequentially("Who reports content; 50M posts a day")
    expect(page.locator("#note-status-framing")).to_contain_text("Saved")
    follow(page, page.get_by_role("button", name="Next phase: Metrics"))

    expect(page.get_by_test_id("current-phase")).to_have_text("Metrics")
    page.get_by_label("Notes for Metrics").press_sequentially("Precision per policy; prevalence")
    expect(page.locator("#note-status-metrics")).to_contain_text("Saved")
    follow(page, page.get_by_role("button", name="Next phase: Data"))

    expect(page.get_by_test_id("current-phase")).to_have_text("Data")
    page.get_by_label("Notes for Data").press_sequentially("Reviewer labels, agreement")
    expect(page.locator("#note-status-data")).to_contain_text("Saved")
    page.wait_for_timeout(2100)
    before = seconds(page.get_by_test_id("phase-clock").inner_text())
    assert before >= 2
    shot(page, "mocks-before-reload")

    page.reload()
    expect(page.get_by_test_id("current-phase")).to_have_text("Data")
    assert seconds(page.get_by_test_id("phase-clock").inner_text()) >= before
    expect(page.get_by_label("Notes for Framing")).to_have_value(
        "Who reports content; 50M posts a day"
    )
    expect(page.get_by_label("Notes for Metrics")).to_have_value("Precision per policy; prevalence")
    expect(page.get_by_label("Notes for Data")).to_have_value("Reviewer labels, agreement")
    expect(page.get_by_text("12 min")).to_be_visible()
    shot(page, "mocks-after-reload")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End now and score").click()
    expect(page).to_have_url(re.compile(r"/mocks/solo/\d+/score/$"))
    expect(page.get_by_role("heading", name="What strong answers contain")).to_be_visible()

    # First a missing dimension: a clear message and nothing saved.
    page.get_by_role("button", name="Save scores").click()
    expect(page.get_by_text("Problem framing: give a score from 1 to 4.")).to_be_visible()

    for dimension, score in [
        ("framing", "3"),
        ("metrics", "3"),
        ("data", "2"),
        ("model", "3"),
        ("serving", "2"),
        ("monitoring", "1"),
        ("iteration", "2"),
    ]:
        page.locator(f"#dim-{dimension} input[value='{score}']").check()
    page.get_by_label("Policy-defined labels and annotator agreement").check()
    page.get_by_label("Overall notes").fill("Never got to monitoring.")
    shot(page, "mocks-score")
    page.get_by_role("button", name="Save scores").click()

    expect(page.get_by_text("Mock completed and scored.")).to_be_visible()
    expect(page.get_by_test_id("score-monitoring")).to_have_text("1 · Strong no hire")
    expect(page.get_by_role("heading", name=re.compile("Checklist: 1 of"))).to_be_visible()
    expect(page.get_by_test_id("progress-mlsd-solo-mock-1")).to_have_text("1 / 1")
    shot(page, "mocks-report")

    page.get_by_role("link", name="Score history").click()
    expect(page.get_by_test_id("history-table")).to_contain_text("Moderate harmful content")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mocks").click()
    expect(page.get_by_test_id("progress-mlsd-solo-mock-1")).to_have_text("1 / 1")
    expect(page.get_by_test_id("progress-mlsd-solo-mock-2")).to_have_text("1 / 2")
