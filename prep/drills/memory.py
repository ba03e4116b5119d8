"""Problem re-solves as a source for the memory app (``prep.memory``): their own FSRS
parameters, fitted on the user's re-solve history, and rescheduling with them.

A problem's history is what ``services.review_rebuild`` replays: its attempts from the first
one not solved clean, rated by ``services.rating_for``. Registered from
``DrillsConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import fsrs

from prep.memory import fit
from prep.memory.models import Kind
from prep.memory.registry import Moves, Source, local_day, moves_between

from .models import Attempt, Outcome, ReviewState
from .services import rating_for, review_rebuild, scheduler_for

RETENTION = 0.9  # the scheduler's default; re-solves have no retention setting of their own


def _scheduled_attempts(user) -> dict[int, list[Attempt]]:
    by_problem: dict[int, list[Attempt]] = defaultdict(list)
    rows = (
        Attempt.objects.filter(user=user)
        .only("pk", "problem_id", "finished_at", "outcome", "confidence")
        .order_by("problem_id", "finished_at", "id")
    )
    for attempt in rows.iterator(chunk_size=5000):
        by_problem[attempt.problem_id].append(attempt)
    out = {}
    for problem_id, attempts in by_problem.items():
        start = next((i for i, a in enumerate(attempts) if a.outcome != Outcome.CLEAN), None)
        if start is not None:
            out[problem_id] = attempts[start:]
    return out


def histories(user, *, tz) -> list[list[fit.Review]]:
    return [
        [
            (a.finished_at.timestamp(), local_day(a.finished_at, tz), int(rating_for(a)))
            for a in attempts
        ]
        for attempts in _scheduled_attempts(user).values()
    ]


def usable_reviews(user) -> int:
    return sum(len(a) - 1 for a in _scheduled_attempts(user).values())


def retention(user) -> float:
    return RETENTION


def reschedule(user, *, parameters, tz, now: dt.datetime, apply: bool) -> Moves:
    """Replay every scheduled problem with ``parameters``; count how its due date moves."""
    scheduler = scheduler_for(parameters)
    states = {
        s.problem_id: s for s in ReviewState.objects.filter(user=user).select_related("problem")
    }
    pairs = []
    for problem_id, attempts in _scheduled_attempts(user).items():
        state = states.get(problem_id)
        if state is None:
            continue
        if apply:
            new = review_rebuild(
                user=user, problem=state.problem, attempts=attempts, scheduler=scheduler
            )
            pairs.append((state.due, new.due))
            continue
        card = fsrs.Card(card_id=problem_id, due=attempts[0].finished_at)
        for attempt in attempts:
            card, _ = scheduler.review_card(
                card, rating_for(attempt), review_datetime=attempt.finished_at
            )
        pairs.append((state.due, card.due))
    return moves_between(pairs, tz)


SOURCE = Source(
    kind=Kind.DRILLS,
    noun="problem",
    histories=histories,
    usable_reviews=usable_reviews,
    reschedule=reschedule,
    retention=retention,
)
