"""Drills in real Chromium, acting only through the UI once the user exists."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prep.accounts.planning import sync_plan
from tests.e2e.conftest import follow, shot
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def learner(db):
    user = UserFactory(email="dana@example.com", profile__role="mle")
    sync_plan(profile=user.profile, now=timezone.now())
    return user


def test_filter_time_fail_resolve_and_move_the_plan(page, live_server, login, learner):
    login(learner)
    follow(page, page.get_by_role("link", name="Drills").first)
    expect(page.get_by_role("heading", name="Coding drills")).to_be_visible()

    # Filter to medium sliding-window problems: htmx swaps the list, the URL keeps the filter.
    page.get_by_label("Pattern").select_option("sliding_window")
    expect(page).to_have_url(re.compile(r"pattern=sliding_window"))
    page.get_by_label("Difficulty").select_option("medium")
    expect(page).to_have_url(re.compile(r"pattern=sliding_window.*difficulty=medium"))
    results = page.locator("#results")
    expect(
        results.get_by_role("link", name="Longest Repeating Character Replacement")
    ).to_be_visible()
    expect(results.get_by_role("link", name="Minimum Window Substring")).to_have_count(0)
    expect(results.get_by_role("link", name="Two Sum", exact=True)).to_have_count(0)
    shot(page, "drills-filtered")

    # Coverage before: the plan's sliding-window module has nothing yet.
    page.get_by_role("link", name="Coverage").click()
    module = page.get_by_test_id("plan-modules").locator('[data-module="coding-sliding-window"]')
    expect(module).to_contain_text("0 / 3")
    page.go_back()
    expect(page).to_have_url(re.compile(r"pattern=sliding_window.*difficulty=medium"))
    page.wait_for_load_state("load")  # htmx restores the list from its history first

    # Start a timer, reload: the clock keeps its server-side start.
    page.locator("#results").get_by_role(
        "link", name="Longest Repeating Character Replacement"
    ).click()
    expect(page).to_have_url(re.compile(r"/drills/problems/\d+/"))
    page.get_by_role("button", name="Start timer").click()
    timer = page.get_by_test_id("timer")
    expect(timer).to_be_visible()
    started = timer.get_attribute("data-started")
    expect(timer).to_have_text(re.compile(r"^\d\d:\d\d$"))
    page.reload()
    expect(page.get_by_test_id("timer")).to_have_attribute("data-started", started)

    # Log a failed attempt with the timer's minutes.
    page.get_by_label("Not solved").check()
    page.locator('input[name="confidence"][value="2"]').check()
    page.get_by_label("Notes").fill("Forgot to shrink the window by the max frequency.")
    page.get_by_role("button", name="Log attempt").click()
    expect(
        page.get_by_text(re.compile(r"Logged: not solved in \d+ min\. Re-solve due"))
    ).to_be_visible()
    expect(page.get_by_test_id("timer")).to_have_count(0)
    shot(page, "drills-logged")

    # The re-solve list has it, with its due date (tomorrow: a failure comes back in a day).
    page.get_by_role("link", name="Re-solves").click()
    row = page.get_by_role("row", name=re.compile("Longest Repeating Character Replacement"))
    expect(row).to_be_visible()
    expect(row).to_contain_text("Not solved")
    expect(row.locator("time")).to_have_text(re.compile(r"^\w{3} \d{1,2} \w{3} \d{4}$"))
    shot(page, "drills-resolve")

    # Solve another medium sliding-window problem cleanly, minutes typed.
    follow(page, page.get_by_role("link", name="Problems"))
    page.get_by_label("Search").fill("without repeating")
    link = page.locator("#results").get_by_role(
        "link", name="Longest Substring Without Repeating Characters"
    )
    expect(link).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=without"))
    link.click()
    page.get_by_label("Minutes").fill("24")
    page.get_by_label("Solved clean").check()
    page.get_by_label("Solution code").fill(
        "def lengthOfLongestSubstring(s):\n    seen, left, best = {}, 0, 0\n    return best\n"
    )
    page.get_by_role("button", name="Log attempt").click()
    expect(page.get_by_text("Logged: solved clean in 24 min.")).to_be_visible()

    # The plan's coding item moved.
    page.get_by_role("link", name="Coverage").click()
    module = page.get_by_test_id("plan-modules").locator('[data-module="coding-sliding-window"]')
    expect(module).to_contain_text("1 / 3")
    expect(page.get_by_test_id("solved-total")).to_have_text("1")
    expect(page.get_by_test_id("coverage-chart")).to_be_visible()
    shot(page, "drills-coverage")

    # The stored code is shown highlighted.
    page.get_by_role("link", name="History").click()
    page.get_by_role("row", name=re.compile("Longest Substring")).get_by_role("link").first.click()
    expect(page.get_by_test_id("code").locator(".highlight .k").first).to_have_text("def")
