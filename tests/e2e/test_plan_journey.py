import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e


def test_applied_scientist_with_18_days_gets_a_compressed_plan_and_edits_it(page, live_server):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-pass-phrase-9")
    page.get_by_label(re.compile("Password \\(again\\)")).fill("a-long-pass-phrase-9")
    page.get_by_role("button", name="Sign up").click()
    expect(page).to_have_url(re.compile(r"/onboarding/$"))

    page.get_by_role("radio", name=re.compile("Applied scientist")).check()
    # The browser's "today" is the page's timezone, which the form pre-fills.
    page.get_by_label("Timezone").fill("UTC")
    interview = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=18)
    page.get_by_label("Interview date").fill(interview.isoformat())
    page.get_by_label("Hours per week").fill("10")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.get_by_label(day).check()
    page.get_by_role("button", name="Build my plan").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # The whole plan still holds both peer ML system design mocks.
    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_role("link", name="Whole plan").click()
    expect(page.locator('[data-module="mlsd-peer-mock-1"]')).to_have_count(1)
    expect(page.locator('[data-module="mlsd-peer-mock-2"]')).to_have_count(1)
    shot(page, "plan-whole")

    # The week view shows what did not fit, with reasons.
    page.get_by_role("link", name="Week view").click()
    unscheduled = page.get_by_test_id("unscheduled")
    expect(unscheduled).to_contain_text("no room before the interview")
    shot(page, "plan-week")

    # Tick today's first item; it stays ticked after a reload.
    today = page.locator(".day--today")
    first = today.get_by_test_id("plan-item").first
    module = first.get_attribute("data-module")
    first.get_by_role("button", name=re.compile("^Mark .* done$")).click()
    expect(today.locator(f'[data-module="{module}"]').first).to_have_attribute(
        "data-status", "done"
    )
    page.reload()
    expect(
        page.locator(".day--today").locator(f'[data-module="{module}"]').first
    ).to_have_attribute("data-status", "done")

    # Mark tomorrow as a day off: its items move, and the plan says so.
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    if page.locator(f'[data-date="{tomorrow}"]').count() == 0:
        # Tomorrow is in next week (today is a Sunday): load that week before counting.
        # It is an htmx swap: wait for the pushed URL and the swapped-in day.
        page.get_by_role("link", name="Next week →").click()
        expect(page).to_have_url(re.compile(r"\?week="))
    day = page.locator(f'[data-date="{tomorrow}"]')
    expect(day.get_by_test_id("plan-item").first).to_be_visible()
    moved = day.get_by_test_id("plan-item").count()
    assert moved > 0
    day.get_by_role("button", name=re.compile("as a day off$")).click()
    expect(page.locator(f'[data-date="{tomorrow}"]').get_by_test_id("plan-item")).to_have_count(0)
    expect(page.get_by_test_id("plan-notice")).to_contain_text("is now a day off")
    shot(page, "plan-day-off")
