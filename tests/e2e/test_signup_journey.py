import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e


def test_sign_up_onboard_as_ml_engineer_and_see_the_role(page, live_server):
    page.goto(live_server.url)
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill("nina@example.com")
    page.get_by_label("Password", exact=True).fill("a-long-pass-phrase-9")
    page.get_by_label(re.compile("Password \\(again\\)")).fill("a-long-pass-phrase-9")
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(re.compile(r"/onboarding/$"))
    expect(page.get_by_role("heading", name="Set up your plan")).to_be_visible()
    # The timezone is pre-filled from the browser.
    expect(page.get_by_label("Timezone")).not_to_have_value("")
    page.get_by_role("radio", name=re.compile("ML engineer")).check()
    page.get_by_label("Hours per week").fill("12")
    for day in ("Monday", "Wednesday", "Friday"):
        page.get_by_label(day).check()
    shot(page, "signup-onboarding")
    page.get_by_role("button", name="Build my plan").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_test_id("role-name")).to_have_text("ML engineer")
    # Email verification is asked for later, from a banner.
    expect(page.get_by_text("verify your email", exact=False).first).to_be_visible()
    shot(page, "signup-dashboard")
