"""The plan knows the review load: a heavy review day gets less new work."""

import datetime as dt

import pytest
from django.utils import timezone

from curriculum import plans
from curriculum.models import PlanItem
from prep.dashboard.load import review_load_sync
from prep.flashcards.forecast import review_load
from prep.flashcards.models import Card, CardState
from tests.curriculum.test_progress_seam import onboard
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def minutes_on(plan, day):
    return sum(PlanItem.objects.filter(plan=plan, date=day).values_list("minutes", flat=True))


def test_300_reviews_on_thursday_leave_less_new_work_than_wednesday():
    user = UserFactory(profile=None)
    onboard(user, weekly_hours=14)  # two hours a day, every day, four weeks
    plan = user.plan
    today = plans.local_today(plan)
    # Two consecutive days ("Wednesday" and "Thursday") that both hold a (nearly) full day of
    # new work, within the forecast's two weeks: modules do not always pack a day to the
    # minute, so "nearly" is at least 100 of the 120 minutes.
    wednesday = today + dt.timedelta(days=1)
    while not (
        minutes_on(plan, wednesday) >= 100
        and minutes_on(plan, wednesday + dt.timedelta(days=1)) >= 100
    ):
        wednesday += dt.timedelta(days=1)
        assert wednesday < today + dt.timedelta(days=13), "no two full days in a row soon"
    thursday = wednesday + dt.timedelta(days=1)

    cards = Card.objects.filter(owner__isnull=True)[:300]
    assert len(cards) >= 80
    due = dt.datetime.combine(thursday, dt.time(9), tzinfo=dt.UTC)
    # One state per catalogue card; one card can have one state, so the rest are own cards.
    CardState.objects.bulk_create(
        [
            CardState(user=user, card=card, deck=card.deck, state=CardState.State.REVIEW, due=due)
            for card in cards
        ]
    )
    extra = 300 - len(cards)
    clones = Card.objects.bulk_create(
        [Card(deck=cards[0].deck, owner=user, front=f"q{n}", back="a") for n in range(extra)]
    )
    CardState.objects.bulk_create(
        [
            CardState(user=user, card=c, deck=c.deck, state=CardState.State.REVIEW, due=due)
            for c in clones
        ]
    )
    now = timezone.now()
    assert review_load(user, tz=dt.UTC, now=now)[thursday] == 50  # 300 x 10 s

    assert review_load_sync(user, tz=dt.UTC, now=now, force=True)
    plan.refresh_from_db()
    assert minutes_on(plan, thursday) <= 120 - 50 < minutes_on(plan, wednesday)
    # Everything still fits before the interview.
    assert plan.unscheduled == []


def test_a_review_backlog_takes_at_most_half_a_day_per_source():
    from prep.drills.forecast import resolve_load_reserve

    user = UserFactory(profile=None)
    onboard(user, weekly_hours=14)  # two hours a day, every day, four weeks
    from curriculum.models import Reservation
    from prep.drills.models import Problem, ReviewState

    now = timezone.now()
    ReviewState.objects.bulk_create(
        [
            ReviewState(user=user, problem=p, due=now, last_outcome="failed")
            for p in Problem.objects.filter(owner__isnull=True)[:10]
        ]
    )
    assert resolve_load_reserve(user, tz=dt.UTC, now=now)[now.date()] == 250  # 10 x 25 min
    review_load_sync(user, tz=dt.UTC, now=now, force=True)
    assert (
        Reservation.objects.get(user=user, source="drills:resolves", date=now.date()).minutes == 60
    )
    assert minutes_on(user.plan, now.date()) > 0


def _full_day(plan, today):
    """A day soon that holds (nearly) a full day of new work."""
    day = today + dt.timedelta(days=1)
    while minutes_on(plan, day) < 100:
        day += dt.timedelta(days=1)
        assert day < today + dt.timedelta(days=13), "no full day soon"
    return day


def test_ml_coding_re_solves_due_reserve_plan_time_like_drills():
    from curriculum.models import Reservation
    from prep.judge.models import MLProblem, MLReviewState

    user = UserFactory(profile=None)
    onboard(user, weekly_hours=14)  # two hours a day, every day, four weeks
    plan = user.plan
    day = _full_day(plan, plans.local_today(plan))
    due = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    MLReviewState.objects.bulk_create(
        [
            MLReviewState(user=user, problem=p, due=due, last_outcome="failed")
            for p in MLProblem.objects.order_by("position")[:2]
        ]
    )
    assert review_load_sync(user, tz=dt.UTC, now=timezone.now(), force=True)
    reserved = Reservation.objects.get(user=user, source="judge:resolves", date=day)
    assert reserved.minutes == 60  # 2 x 30 min
    plan.refresh_from_db()
    assert minutes_on(plan, day) <= 120 - 60
    assert plan.unscheduled == []


def test_drills_and_ml_re_solves_share_half_a_day():
    from curriculum.models import Reservation
    from prep.drills.models import Problem, ReviewState
    from prep.judge.models import MLProblem, MLReviewState

    user = UserFactory(profile=None)
    onboard(user, weekly_hours=14)  # two hours a day: re-solves may take 60 minutes
    now = timezone.now()
    tomorrow = now + dt.timedelta(days=1)
    ReviewState.objects.bulk_create(  # 2 x 25 min today, 10 x 25 min tomorrow
        ReviewState(user=user, problem=p, due=now if i < 2 else tomorrow, last_outcome="failed")
        for i, p in enumerate(Problem.objects.filter(owner__isnull=True)[:12])
    )
    MLReviewState.objects.bulk_create(  # 1 x 30 min today, 1 x 30 min tomorrow
        MLReviewState(user=user, problem=p, due=due, last_outcome="failed")
        for p, due in zip(MLProblem.objects.order_by("position")[:2], (now, tomorrow), strict=True)
    )
    review_load_sync(user, tz=dt.UTC, now=now, force=True)

    def reserved(source, when):
        row = Reservation.objects.filter(user=user, source=source, date=when.date()).first()
        return row.minutes if row else 0

    assert (reserved("drills:resolves", now), reserved("judge:resolves", now)) == (50, 10)
    assert (reserved("drills:resolves", tomorrow), reserved("judge:resolves", tomorrow)) == (60, 0)
