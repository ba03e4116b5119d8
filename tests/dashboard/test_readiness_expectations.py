"""Issue 23: readiness and streaks that match what a person expects, with the rule stated."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from curriculum import plans, progress, selectors
from curriculum.models import PlanItem
from prep.dashboard import readiness
from prep.drills.models import Attempt, Problem
from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_solved_problem_is_a_small_step_not_39_percent(catalogue):
    user = UserFactory(profile=None)
    plan = onboard(user, role="mle")
    Attempt.objects.create(
        user=user,
        problem=Problem.objects.filter(owner__isnull=True).first(),
        finished_at=timezone.now(),
        minutes=20,
        outcome="clean",
    )
    coding = next(
        a
        for a in readiness.readiness(user, role="mle", plan=plan, now=timezone.now())
        if a.area == "coding"
    )
    parts = dict(coding.parts)
    assert parts["problems covered"] == 2  # 1 of 40 problems
    assert parts["recent outcomes"] == 5  # 1 of the last 20 attempts
    assert coding.score < 10, coding
    assert "40% of problems covered" in coding.formula and "last 20 attempts" in coding.formula


def test_the_dashboard_states_the_formula(client, catalogue):
    user = UserFactory(profile=None)
    onboard(user, role="mle")
    client.force_login(user)
    html = client.get(reverse("dashboard:today")).content.decode()
    assert 'data-testid="formula-coding"' in html
    assert "30% of plan done" in html


def test_a_busy_day_makes_a_streak_even_when_the_work_was_planned_for_later():
    user = UserFactory(profile=None)
    plan = onboard(user, role="mle")
    today = plans.local_today(plan)
    assert selectors.streak(plan, today=today) == 0
    # Work done today, though planned for later days (and a drill on top of it).
    for item in PlanItem.objects.filter(plan=plan, date__gt=today)[:3]:
        plans.item_complete(item=item)
    progress.record(
        user,
        key="drills:attempt:1",
        area="coding",
        kind="drill_solved",
        tags=("hashing", "medium"),
        occurred_at=timezone.now(),
    )
    assert selectors.streak(plan, today=today) == 1
    # Yesterday's activity carries on into today before anything is done today.
    assert selectors.streak(plan, today=today + dt.timedelta(days=1)) == 1


def test_a_missed_study_day_breaks_the_streak_and_a_rest_day_does_not():
    user = UserFactory(profile=None)
    plan = onboard(user, role="mle")  # every day is a study day
    plan.weekdays = [0, 1, 2, 3, 4]
    plan.save(update_fields=["weekdays"])
    today = plans.local_today(plan)
    progress.record(
        user,
        key="cards:1",
        area="ml_fundamentals",
        kind="card_reviewed",
        tags=(),
        occurred_at=timezone.now(),
    )
    # Two days on: broken if the day between was a study day, kept over a weekend.
    later = today + dt.timedelta(days=2)
    between = today + dt.timedelta(days=1)
    expected = 1 if between.weekday() >= 5 else 0
    assert selectors.streak(plan, today=later) == expected
