"""Per-user FSRS parameters in real Chromium: a seeded review history, optimise, compare,
adopt, choose a desired retention while seeing its workload, then reschedule."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from prep.flashcards.memory import history_seed
from prep.memory import synthetic
from tests.e2e.conftest import follow, shot
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_optimise_compare_adopt_choose_retention_and_reschedule(page, live_server, login):
    user = UserFactory(profile__role="mle")
    history_seed(user, synthetic.histories(5000))  # about a year of reviews
    login(user)

    page.goto(f"{live_server.url}/flashcards/")
    follow(page, page.get_by_role("link", name="Memory model"))
    panel = page.get_by_test_id("memory-flashcards")
    expect(panel.get_by_test_id("version-flashcards")).to_have_text("the FSRS defaults")
    expect(page.get_by_test_id("memory-drills")).to_contain_text("needs at least 400 reviews")

    follow(page, panel.get_by_role("button", name="Optimise flashcards parameters"))
    run = page.get_by_test_id("run-flashcards")
    expect(run.get_by_test_id("run-progress")).to_have_text("100%")
    compare = page.get_by_test_id("compare-flashcards")
    expect(compare).to_be_visible()
    before = float(compare.get_by_test_id("logloss-before").inner_text())
    after = float(compare.get_by_test_id("logloss-after").inner_text())
    assert after < before
    expect(page.get_by_test_id("verdict-flashcards")).to_contain_text("predict your latest")
    shot(page, "memory-compare")

    follow(page, run.get_by_role("button", name="Adopt these parameters"))
    expect(panel.get_by_test_id("version-flashcards")).to_have_text("version 1")
    expect(page.get_by_test_id("versions-flashcards")).to_contain_text("Optimised")

    # Desired retention with its price: the workload follows the value being typed.
    page.goto(f"{live_server.url}/flashcards/settings/")
    expect(page.locator("html[data-ready]")).to_be_attached()
    workload = page.get_by_test_id("workload")
    expect(workload.get_by_test_id("workload-retention")).to_have_text("0.90")
    minutes_at_90 = float(workload.get_by_test_id("workload-minutes").inner_text())
    page.get_by_role("spinbutton", name="Desired retention").fill("0.95")
    expect(page.get_by_test_id("workload-retention")).to_have_text("0.95")
    minutes_at_95 = float(page.get_by_test_id("workload-minutes").inner_text())
    assert minutes_at_95 > minutes_at_90
    shot(page, "memory-workload")
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text("Review settings saved.")).to_be_visible()

    # Reschedule: preview how many cards move, then move them.
    page.goto(f"{live_server.url}/memory/#flashcards")
    expect(page.locator("html[data-ready]")).to_be_attached()
    panel.get_by_role("button", name="Preview rescheduling").click()
    preview = page.get_by_test_id("preview-flashcards")
    expect(preview).to_be_visible()
    earlier = int(preview.get_by_test_id("moves-earlier").inner_text())
    later = int(preview.get_by_test_id("moves-later").inner_text())
    assert earlier + later > 0
    shot(page, "memory-reschedule-preview")
    follow(page, preview.get_by_role("button", name=re.compile(r"^Reschedule \d+ cards$")))
    expect(page.get_by_text(f"Rescheduled: {earlier} earlier, {later} later")).to_be_visible()
    panel.get_by_role("button", name="Preview rescheduling").click()
    expect(page.get_by_test_id("moves-earlier")).to_have_text("0")
    expect(page.get_by_test_id("moves-later")).to_have_text("0")
