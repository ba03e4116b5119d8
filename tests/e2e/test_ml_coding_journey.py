"""ML coding in real Chromium: run the examples (wrong answer shown), fix, submit
(accepted), the plan item ticks itself, and a failed problem joins the re-solves."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prep.accounts.planning import sync_plan
from prep.judge import bank
from tests.e2e.conftest import follow, shot
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("real_sandbox")]

SOFTMAX_NO_SHIFT = (
    "import numpy as np\n\ndef softmax(x):\n"
    "    e = np.exp(np.asarray(x, dtype=float))\n"
    "    return e / e.sum(axis=-1, keepdims=True)\n"
)


@pytest.fixture
def learner(db):
    user = UserFactory(email="erin@example.com", profile__role="mle")
    sync_plan(profile=user.profile, now=timezone.now())
    return user


def open_problem(page, title):
    follow(page, page.get_by_role("link", name="ML coding").first)
    follow(page, page.get_by_role("link", name=title, exact=True))
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def set_code(page, code):
    page.locator("textarea[data-judge-editor]").fill(code)


def test_run_fix_submit_tick_the_plan_and_resolve_a_failure(page, live_server, login, learner):
    login(learner)
    open_problem(page, "Numerically stable softmax")

    # Run the examples with a softmax that overflows: the failing example is shown.
    set_code(page, SOFTMAX_NO_SHIFT)
    page.get_by_test_id("run").click()
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-verdict", "wrong_answer", timeout=30_000)
    expect(verdict).to_contain_text("Wrong answer on example 2.")
    expect(page.get_by_test_id("expected")).to_contain_text("0.731059")
    expect(page.get_by_test_id("actual")).to_contain_text("nan")
    shot(page, "ml-coding-wrong")

    # Fix it and submit with the keyboard (Ctrl+Enter): accepted.
    set_code(page, bank.by_slug("softmax-stable").reference)
    page.locator("textarea[data-judge-editor]").press("Control+Enter")
    expect(verdict).to_have_attribute("data-verdict", "accepted", timeout=30_000)
    expect(verdict).to_contain_text("tests passed")
    shot(page, "ml-coding-accepted")

    # Two more accepted problems complete the plan's "numerics from scratch" module.
    for title, slug in (
        ("Log-sum-exp and log-softmax", "log-sum-exp"),
        ("Linear regression by batch gradient descent", "linear-regression-gradient-descent"),
    ):
        open_problem(page, title)
        set_code(page, bank.by_slug(slug).reference)
        page.get_by_test_id("submit").click()
        expect(page.get_by_test_id("verdict")).to_have_attribute(
            "data-verdict", "accepted", timeout=30_000
        )

    # A failed Submit puts the problem on the re-solve schedule.
    open_problem(page, "K-means (Lloyd's algorithm) from given centroids")
    set_code(page, bank.by_slug("kmeans-lloyd").wrong)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute(
        "data-verdict", "wrong_answer", timeout=30_000
    )
    follow(page, page.get_by_role("link", name="ML coding").first)
    resolves = page.get_by_test_id("ml-resolves")
    expect(resolves).to_contain_text("K-means (Lloyd's algorithm) from given centroids")
    expect(resolves).to_contain_text("Not solved")
    shot(page, "ml-coding-resolves")

    # The plan item ticked itself.
    follow(page, page.get_by_role("link", name="Plan").first)
    follow(page, page.get_by_role("link", name="Whole plan"))
    item = page.locator('[data-module="ml-coding-numerics"]').first
    expect(item).to_have_attribute("data-status", "done")
    shot(page, "ml-coding-plan")
