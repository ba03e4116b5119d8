"""The re-solve schedule: FSRS, derived from the attempts."""

from __future__ import annotations

import datetime as dt

import fsrs
import pytest

from prep.drills import services
from prep.drills.models import Attempt, ReviewState

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def log(user, problem, outcome, when, confidence=3):
    return services.attempt_log(
        user=user, problem=problem, outcome=outcome, minutes=30, confidence=confidence, now=when
    )


@pytest.mark.parametrize(
    ("outcome", "confidence", "rating"),
    [
        ("failed", 3, fsrs.Rating.Again),
        ("hints", 3, fsrs.Rating.Hard),
        ("clean", 3, fsrs.Rating.Good),
        ("clean", 5, fsrs.Rating.Easy),
    ],
)
def test_outcome_maps_to_a_rating(outcome, confidence, rating):
    assert services.rating_for(Attempt(outcome=outcome, confidence=confidence)) == rating


def test_a_clean_solve_is_not_scheduled(alice, sliding):
    log(alice, sliding, "clean", T0)
    assert not ReviewState.objects.filter(user=alice).exists()


def test_a_failure_comes_back_the_next_day(alice, sliding):
    log(alice, sliding, "failed", T0)
    state = ReviewState.objects.get(user=alice, problem=sliding)
    assert state.due == T0 + dt.timedelta(days=1)
    assert state.last_outcome == "failed" and state.reviews == 1


def test_intervals_grow_with_clean_resolves_and_are_deterministic(alice, bob, sliding):
    dues = []
    for user in (alice, bob):
        log(user, sliding, "hints", T0)
        when = ReviewState.objects.get(user=user).due
        log(user, sliding, "clean", when)
        second = ReviewState.objects.get(user=user).due
        log(user, sliding, "clean", second)
        third = ReviewState.objects.get(user=user).due
        assert (second - when) < (third - second)
        dues.append((when, second, third))
    assert dues[0] == dues[1]  # no fuzz: the same history gives the same dates


def test_deleting_the_only_miss_unschedules(alice, sliding):
    miss = log(alice, sliding, "failed", T0)
    log(alice, sliding, "clean", T0 + dt.timedelta(days=1))
    assert ReviewState.objects.filter(user=alice).exists()
    services.attempt_delete(attempt=miss)
    assert not ReviewState.objects.filter(user=alice).exists()


def test_rebuild_equals_the_incremental_schedule(alice, sliding):
    log(alice, sliding, "failed", T0)
    log(alice, sliding, "hints", T0 + dt.timedelta(days=1))
    before = ReviewState.objects.get(user=alice)
    ReviewState.objects.all().delete()
    after = services.review_rebuild(user=alice, problem=sliding)
    assert (after.due, after.card, after.reviews) == (before.due, before.card, before.reviews)
