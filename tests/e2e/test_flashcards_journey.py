"""Flashcards in real Chromium: keyboard review with htmx, undo, and the stats page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import follow, shot

pytestmark = pytest.mark.e2e


def test_review_with_the_keyboard_then_undo(page, live_server, login):
    login(role="mle")
    page.get_by_role("link", name="Flashcards").first.click()
    expect(page.get_by_role("heading", name="Flashcards")).to_be_visible()
    follow(page, page.get_by_role("link", name="Review all decks"))  # keys need its script
    expect(page).to_have_url(re.compile(r"/flashcards/review/$"))

    new_count = page.get_by_test_id("count-new")
    expect(new_count).to_have_text("20")  # the default new-card limit
    card = page.get_by_test_id("flashcard")
    first_card = card.get_attribute("data-card")
    back = page.get_by_test_id("back")
    expect(back).to_be_hidden()
    shot(page, "flashcards-front")

    page.keyboard.press("Space")
    expect(back).to_be_visible()
    expect(page.get_by_test_id("interval-3")).to_have_text("10m")
    shot(page, "flashcards-revealed")

    page.keyboard.press("3")
    # The next card arrives without a page load; the new-card count drops by one.
    expect(new_count).to_have_text("19")
    expect(card).not_to_have_attribute("data-card", first_card)
    expect(page.get_by_test_id("back")).to_be_hidden()
    expect(page.get_by_test_id("count-learning")).to_have_text("0")
    shot(page, "flashcards-next")

    page.keyboard.press("u")
    expect(new_count).to_have_text("20")
    expect(page.get_by_test_id("flashcard")).to_have_attribute("data-card", first_card)
    expect(page.get_by_test_id("notice")).to_contain_text("Undone")
    shot(page, "flashcards-undone")

    # Rate it again with the mouse this time, then see it on the stats page.
    page.get_by_text("Show answer").click()
    page.get_by_test_id("rate-4").click()
    expect(new_count).to_have_text("19")
    page.get_by_role("navigation", name="Flashcards").get_by_role("link", name="Stats").click()
    expect(page.get_by_test_id("chart-reviews")).to_be_visible()
    expect(page.get_by_test_id("chart-reviews")).to_contain_text("1 in all")
    shot(page, "flashcards-stats")
