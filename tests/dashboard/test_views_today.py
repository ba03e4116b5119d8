"""The dashboard: one today list, readiness per area, and a query count that does not grow."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prep.dashboard import readiness
from prep.dashboard.models import ReadinessSnapshot
from prep.lib.content import seeders
from tests.budget import SESSION
from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def user_with_history(days: int):
    user = UserFactory(profile=None)
    onboard(user, role="mle", days=28)
    rng = random.Random(days)
    for seeder in seeders():
        seeder.func(user, days=days, rng=rng)
    # Readiness history, one snapshot per area per day.
    today = timezone.now().date()
    ReadinessSnapshot.objects.bulk_create(
        [
            ReadinessSnapshot(
                user=user, date=today - dt.timedelta(days=n), area=area, score=n % 100
            )
            for n in range(1, days + 1)
            for area in ("coding", "ml_fundamentals", "ml_system_design", "behavioral")
        ]
    )
    return user


def count_queries(client, user) -> int:
    client.force_login(user)
    client.get(reverse("dashboard:today"))  # the first read of a day may stamp the plan
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard:today"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_runs_the_same_queries_at_10_and_60_days_of_history(client):
    small = count_queries(client, user_with_history(10))
    large = count_queries(client, user_with_history(60))
    assert small == large == DASHBOARD_QUERIES


# +2 for ML coding (issue 16): its due re-solves and its readiness line.
DASHBOARD_QUERIES = SESSION + 21


def test_today_list_shows_todays_plan_items_with_their_reason(client):
    user = UserFactory(profile=None)
    onboard(user, role="mle")
    client.force_login(user)
    html = client.get(reverse("dashboard:today")).content.decode()
    assert 'data-kind="plan"' in html
    assert "Planned for today" in html


def test_today_list_merges_cards_resolves_and_readiness(client):
    # With history, today's room may rightly go to the forecast review load, so plan items
    # are checked above on a fresh plan.
    user = user_with_history(10)
    client.force_login(user)
    html = client.get(reverse("dashboard:today")).content.decode()
    for kind in ("cards", "resolve"):
        assert f'data-kind="{kind}"' in html, kind
    assert 'data-testid="readiness"' in html


def test_readiness_rises_with_practice():
    user = UserFactory(profile=None)
    plan = onboard(user, role="mle")
    now = timezone.now()
    before = {a.area: a.score for a in readiness.readiness(user, role="mle", plan=plan, now=now)}
    assert set(before) == {
        "coding",
        "ml_coding",
        "ml_fundamentals",
        "ml_system_design",
        "behavioral",
    }
    rng = random.Random(1)
    for seeder in seeders():
        seeder.func(user, days=10, rng=rng)
    after = {a.area: a.score for a in readiness.readiness(user, role="mle", plan=plan, now=now)}
    assert after["coding"] > before["coding"]
    assert after["ml_fundamentals"] > before["ml_fundamentals"]
    assert all(0 <= v <= 100 for v in after.values())


def test_readiness_areas_follow_the_role():
    user = UserFactory(profile=None)
    plan = onboard(user, role="research")
    areas = [
        a.area for a in readiness.readiness(user, role="research", plan=plan, now=timezone.now())
    ]
    assert "research" in areas and "business_case" not in areas


def test_snapshot_is_one_row_per_area_per_day():
    user = UserFactory(profile=None)
    plan = onboard(user, role="applied")
    day = timezone.now().date()
    for _ in range(2):
        areas = readiness.readiness(user, role="applied", plan=plan, now=timezone.now())
        readiness.snapshot(user, day=day, areas=areas)
    assert (
        ReadinessSnapshot.objects.filter(user=user, date=day).count() == len(areas) == 6
    )  # incl. ml_coding
