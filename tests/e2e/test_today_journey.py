"""Today in one list: due cards, a failed drill and a weak rubric dimension, with reasons."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from prep.drills import services as drill_services
from prep.drills.models import Problem, ReviewState
from prep.flashcards import services as card_services
from prep.flashcards.models import CardState
from prep.mocks import services as mock_services
from tests.curriculum.test_progress_seam import onboard
from tests.e2e.conftest import follow, shot
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

DESIGN_DIMENSIONS = ("framing", "metrics", "data", "model", "serving", "monitoring", "iteration")


@pytest.fixture
def learner():
    user = UserFactory(email="lena@example.com", profile=None)
    onboard(user, role="mle")
    now = timezone.now()
    # Three cards already learned and due again today.
    card_services.states_enrol(user=user, now=now)
    due = list(CardState.objects.filter(user=user).order_by("position")[:3])
    for state in due:
        state.state, state.stability, state.difficulty = CardState.State.REVIEW, 5.0, 5.0
        state.step, state.reps, state.last_review = None, 2, now - dt.timedelta(days=5)
        state.due = now - dt.timedelta(hours=1)
        state.save()
    # The rest stay new but are suspended, so "clearing the cards" means the three.
    CardState.objects.filter(user=user).exclude(pk__in=[s.pk for s in due]).update(suspended=True)
    # A drill failed yesterday, due for its re-solve today.
    problem = Problem.objects.get(slug="minimum-window-substring", owner__isnull=True)
    drill_services.attempt_log(user=user, problem=problem, outcome="failed", minutes=40)
    ReviewState.objects.filter(user=user, problem=problem).update(due=now - dt.timedelta(hours=2))
    # A solo design mock scored weak on monitoring.
    scores = {d: 3 for d in DESIGN_DIMENSIONS} | {"monitoring": 1}
    mock_services.feedback_submit(
        author=user, subject=user, kind="ml_system_design", scores=scores, context_key="e2e:1"
    )
    return user


def test_due_cards_a_failed_drill_and_a_weak_dimension_in_one_list(
    page, live_server, login, learner
):
    login(learner)
    today = page.get_by_test_id("today-list")
    cards = today.locator('[data-kind="cards"]')
    expect(cards).to_contain_text("3 flashcards due")
    expect(today.locator('[data-kind="resolve"]')).to_contain_text("Minimum Window Substring")
    weak = today.locator('[data-kind="weak"][data-dimension="monitoring"]')
    expect(weak).to_contain_text("Scored 1.0 of 4 on monitoring")
    before = int(page.get_by_test_id("readiness-ml_fundamentals").inner_text())
    shot(page, "today-before")

    # Clear the cards: reveal with space, rate Good with 3, three times.
    follow(page, cards.get_by_role("link"))  # the keyboard handler is a deferred script
    page.wait_for_url("**/flashcards/review/**")
    due = page.get_by_test_id("count-due")
    for left in (2, 1, 0):
        expect(page.get_by_test_id("back")).to_be_hidden()
        page.keyboard.press("Space")
        expect(page.get_by_test_id("back")).to_be_visible()
        page.keyboard.press("3")
        if left:
            expect(due).to_have_text(str(left))
    expect(page.get_by_test_id("flashcard")).to_have_count(0)
    page.get_by_role("link", name="Dashboard").click()

    today = page.get_by_test_id("today-list")
    expect(today.locator('[data-kind="cards"]')).to_have_count(0)
    expect(today.locator('[data-kind="resolve"]')).to_have_count(1)
    expect(today.locator('[data-kind="weak"][data-dimension="monitoring"]')).to_have_count(1)
    after = int(page.get_by_test_id("readiness-ml_fundamentals").inner_text())
    assert after > before
    expect(page.get_by_test_id("weakest-area")).to_have_text(re.compile(r"\w"))
    shot(page, "today-after")
