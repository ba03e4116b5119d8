"""Transcript review in a real browser: upload a WebVTT file, open it, search a phrase and
land on the moment, highlight it, make a card from it, find the card in the flashcards."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e

VTT = Path(__file__).resolve().parents[1] / "transcripts" / "fixtures" / "fraud_mock.vtt"


def test_upload_search_highlight_and_make_a_card(page, live_server, login):
    login(role="mle")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Transcripts").click()
    page.get_by_role("link", name="Upload a transcript").click()
    page.get_by_label("Transcript file").set_input_files(str(VTT))
    page.get_by_label("Title").fill("Fraud detection mock")
    page.get_by_label("You were the").select_option("candidate")
    page.get_by_role("button", name="Upload").click()

    # The document: analysed, with coverage and the untouched dimension called out.
    expect(page.get_by_role("heading", name="Fraud detection mock")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Ready")
    expect(page.get_by_test_id("untouched")).to_contain_text("Iteration")
    expect(page.get_by_test_id("questions").get_by_role("listitem")).to_have_count(7)
    shot(page, "transcripts-document")

    # Search for a phrase from the transcripts list and land on the moment.
    page.get_by_role("link", name="Transcripts", exact=True).first.click()
    page.get_by_label("Search your transcripts").fill('"feature store"')
    page.get_by_role("button", name="Search").click()
    hit = page.get_by_test_id("results").get_by_role("link").first
    expect(page.get_by_test_id("results").locator("mark").first).to_have_text("feature")
    shot(page, "transcripts-search")
    hit.click()
    expect(page).to_have_url(re.compile(r"/transcripts/\d+/#seq-21$"))
    moment = page.locator("#seq-21")
    expect(moment).to_contain_text("online feature store")
    expect(moment).to_be_in_viewport()

    # Highlight it (htmx swaps the segment in place) and make a card from it.
    moment.get_by_role("button", name="Highlight").click()
    expect(page.locator("#seq-21")).to_have_class(re.compile("tx-seg--highlight"))
    page.locator("#seq-21").get_by_role("link", name="Make a card").click()
    expect(page.get_by_label("Front")).to_have_value("How fast does the decision need to be?")
    page.get_by_label("Back").fill("Counters in an online feature store; log served features.")
    shot(page, "transcripts-card-form")
    page.get_by_role("button", name="Add card").click()

    # The card is in the user's own deck: browse the flashcards and find it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Flashcards").click()
    page.get_by_role("link", name="Browse").first.click()
    page.get_by_label("Search").fill("How fast does the decision")
    page.get_by_label("Search").press("Enter")
    expect(page.get_by_text("How fast does the decision need to be?").first).to_be_visible()
    shot(page, "transcripts-card-found")
