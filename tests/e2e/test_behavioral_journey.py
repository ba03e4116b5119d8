"""Study a worked design, write two STAR stories and see what is uncovered, then open a
target company's loop profile from the plan's week-4 company research."""

import re

import pytest
from playwright.sync_api import expect

from prep.accounts import services as account_services
from tests.e2e.conftest import follow, shot
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_worked_design_story_builder_and_company_profile(page, live_server, login):
    import datetime as dt

    from django.utils import timezone

    user = UserFactory(email="sam@example.com")
    account_services.profile_update(
        profile=account_services.profile_get_or_create(user=user),
        data={
            "role": "mle",
            "weekly_hours": 10,
            "weekdays": [0, 1, 2, 3, 4, 5, 6],
            "timezone": "UTC",
            "target_companies": "facebook, Acme Robotics",
            "interview_date": timezone.now().date() + dt.timedelta(days=28),
        },
    )
    login(user)

    # 1. Read a worked design, no mock needed.
    page.goto(f"{live_server.url}/mocks/")
    follow(page, page.get_by_role("link", name="Worked designs"))
    follow(page, page.get_by_role("link", name="An LLM assistant over internal documents (RAG)"))
    expect(page.get_by_role("heading", name="1. Framing")).to_be_visible()
    expect(page.get_by_role("heading", name="7. Iteration")).to_be_visible()
    expect(page.get_by_text("Time to first token under 2 s", exact=False)).to_be_visible()
    shot(page, "worked-design")

    # 2. Write two STAR stories; the competencies they prove leave the uncovered list.
    page.goto(f"{live_server.url}/behavioral/")
    uncovered = page.get_by_test_id("uncovered")
    expect(uncovered).to_contain_text("ML judgement")
    for title, competency in (
        ("The ranking model that broke", "ML judgement"),
        ("Arguing for recall over precision", "Conflict and disagreement"),
    ):
        page.get_by_label("Title").fill(title)
        page.get_by_label("Result").fill("Fixed in 6 hours; two later incidents caught early.")
        page.get_by_label(competency).check()
        follow(page, page.get_by_role("button", name="Save story"))
    expect(page.get_by_test_id("story")).to_have_count(2)
    uncovered = page.get_by_test_id("uncovered")
    expect(uncovered).not_to_contain_text("ML judgement")
    expect(uncovered).not_to_contain_text("Conflict and disagreement")
    expect(uncovered).to_contain_text("Failure and learning")
    shot(page, "story-builder")

    # 3. From the plan's week-4 company research, open a target company's profile.
    page.goto(f"{live_server.url}/plan/all/")
    item = page.locator('[data-module="company-research"]').first
    follow(page, item.get_by_role("link", name="Company research"))
    expect(page.get_by_test_id("targets")).to_contain_text("Acme Robotics — no profile yet")
    follow(page, page.get_by_role("link", name="facebook"))
    expect(page.get_by_role("heading", name="Meta", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"as of \d+ \w+ 20\d\d"))).to_be_visible()
    expect(page.get_by_text("unverified", exact=False).first).to_be_visible()
    shot(page, "company-profile")
