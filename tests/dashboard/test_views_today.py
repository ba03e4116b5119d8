"""The dashboard: one today list, readiness per area, and a query count that does not grow."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prep.dashboard import readiness, services
from prep.dashboard.models import ReadinessSnapshot
from tests.budget import SESSION
from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory
from tooling.demo import seeders

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


# no write (the day's figures are stored by actions); + the next day with work;
# + 2 for ML coding (issue 16): its due re-solves and its readiness evidence;
# - 1 (issue 20): the drills re-solves and their count in one query;
# - 1 (issue 20): coding evidence (solved count and recent outcomes) in one query;
# - 1 (issue 20): retention and coverage in one statement;
# - 3 (issue 20): read once, shared by the today list and readiness: the cards' figures (due
# count included), the plan's pending items (due, and the next day with work), the rubric
# scores received (weak dimensions and recent scores: the reveal rule applied once);
# - 1 (issue 20): the email check comes with the user (prep.accounts.backends)
# - 2 (issue 20): drills' re-solves due and coding evidence in one statement, and ML coding's
# (prep.memory.resolves.figures);
# - 1 (issue 20): the module progress and checklist ticks of the items in one statement
DASHBOARD_QUERIES = SESSION + 11


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
    onboard(user, role="applied")
    now = timezone.now()
    for _ in range(2):
        areas = services.readiness_snapshot_store(user=user, now=now)
    day = user.profile.local_today(now)
    assert (
        ReadinessSnapshot.objects.filter(user=user, date=day).count() == len(areas) == 6
    )  # incl. ml_coding


def test_doing_something_stores_the_days_readiness_and_viewing_does_not(
    client, django_capture_on_commit_callbacks
):
    """The day's figures are written by what changes them (curriculum's progress_changed,
    after commit), never by a page view."""
    from curriculum import progress

    user = UserFactory(profile=None)
    with django_capture_on_commit_callbacks(execute=True):  # (the test's transaction never commits)
        onboard(user, role="mle")
    ReadinessSnapshot.objects.filter(user=user).delete()  # stored when the plan was made
    client.force_login(user)
    client.get(reverse("dashboard:today"))
    assert not ReadinessSnapshot.objects.filter(user=user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        progress.record(
            user,
            key="test:one",
            area="coding",
            kind="drill_attempted",
            occurred_at=timezone.now(),
        )
    day = user.profile.local_today()
    assert ReadinessSnapshot.objects.filter(user=user, date=day).count() == 5  # incl. ml_coding


def test_a_transaction_of_many_reports_announces_once_and_a_rolled_back_one_not_at_all(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    from curriculum import progress

    user = UserFactory(profile=None)
    with django_capture_on_commit_callbacks(execute=True):  # (the test's transaction never commits)
        onboard(user, role="mle")

    def report(n):
        progress.record(
            user, key=f"t:{n}", area="coding", kind="drill_attempted", occurred_at=timezone.now()
        )

    with django_capture_on_commit_callbacks(execute=True) as sends:
        with transaction.atomic():
            for n in range(5):
                report(n)
    assert len(sends) == 1
    with django_capture_on_commit_callbacks() as sends:
        try:
            with transaction.atomic():
                report(10)
                raise RuntimeError
        except RuntimeError:
            pass
        report(11)  # announced again: the rolled-back send was dropped with its transaction
    assert len(sends) == 1
