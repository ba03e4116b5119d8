"""Drills and judged ML coding problems come back by one FSRS rule (``prep.memory.resolves``)
with the user's "problem re-solves" parameters: the same attempt history gets the same
card, whichever app it was practised in."""

from __future__ import annotations

import datetime as dt

import pytest

from prep.drills import services as drills
from prep.drills.models import Problem, ReviewState
from prep.judge import services as judge
from prep.judge.models import MLAttempt, MLProblem, MLReviewState
from prep.memory import services as memory
from prep.memory import synthetic
from prep.memory.models import MemoryProfile

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 18, 30, tzinfo=dt.UTC)
HISTORY = [  # (days after T0, outcome)
    (0, "clean"),
    (3, "failed"),
    (4, "hints"),
    (9, "clean"),
    (20, "failed"),
    (22, "clean"),
]


def practise(user, problem: Problem, ml_problem: MLProblem, history) -> None:
    """Log ``history`` as drill attempts of ``problem`` and as the daily attempts of
    ``ml_problem`` (each judged day's attempt counts at its last Submit)."""
    for days, outcome in history:
        at = T0 + dt.timedelta(days=days)
        drills.attempt_log(
            user=user, problem=problem, outcome=outcome, minutes=30, confidence=3, now=at
        )
        MLAttempt.objects.create(
            user=user,
            problem=ml_problem,
            day=at.date(),
            outcome=outcome,
            submissions=1,
            first_at=at,
            last_at=at,
        )
    judge.review_rebuild(user=user, problem=ml_problem)


def schedule(card: dict) -> dict:
    return {k: v for k, v in card.items() if k != "card_id"}


@pytest.mark.parametrize("own_parameters", [False, True])
def test_drills_and_ml_coding_schedule_the_same_history_identically(
    alice, catalogue, own_parameters
):
    if own_parameters:
        MemoryProfile.objects.create(
            user=alice, kind="drills", parameters=list(synthetic.TRUE_PARAMETERS), version=1
        )
    problem = Problem.objects.get(slug="two-sum", owner__isnull=True)
    ml_problem = MLProblem.objects.get(slug="softmax-stable")
    practise(alice, problem, ml_problem, HISTORY)

    drill = ReviewState.objects.get(user=alice, problem=problem)
    ml = MLReviewState.objects.get(user=alice, problem=ml_problem)
    assert (ml.due, ml.reviews, ml.last_outcome) == (drill.due, drill.reviews, drill.last_outcome)
    assert ml.reviews == 5  # from the first miss on
    assert schedule(ml.card) == schedule(drill.card)


def test_ml_re_solves_use_and_follow_the_users_re_solve_parameters(alice, bob, catalogue):
    ml_problem = MLProblem.objects.get(slug="softmax-stable")
    problem = Problem.objects.get(slug="two-sum", owner__isnull=True)
    for user in (alice, bob):
        practise(user, problem, ml_problem, [(0, "failed"), (1, "clean")])
    default_due = MLReviewState.objects.get(user=alice).due
    # Alice adopts re-solve parameters of her own: the memory app reschedules her judged
    # problems with them too (one kind, two sources), and counts them in its preview.
    MemoryProfile.objects.create(
        user=alice, kind="drills", parameters=list(synthetic.TRUE_PARAMETERS), version=1
    )
    preview = memory.reschedule(user=alice, kind="drills", apply=False)
    assert (preview.earlier, preview.later) == (0, 2)  # the drill and the ML problem
    assert MLReviewState.objects.get(user=alice).due == default_due
    memory.reschedule(user=alice, kind="drills", apply=True)
    assert MLReviewState.objects.get(user=alice).due > default_due
    assert MLReviewState.objects.get(user=alice).due == ReviewState.objects.get(user=alice).due
    assert MLReviewState.objects.get(user=bob).due == default_due
