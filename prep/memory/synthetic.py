"""Simulated review histories from known FSRS parameters (for tests and ``make bench``).

A learner whose memory follows ``TRUE_PARAMETERS`` (different from the defaults) reviews
each card when the scheduler says so and recalls it with the probability FSRS predicts;
the optimiser should find parameters closer to theirs than the defaults are.
"""

from __future__ import annotations

import datetime as dt
import random

import fsrs

from .fit import DEFAULT_PARAMETERS, Review

# The defaults with slower forgetting after a first success, a harder "Hard", and a steeper
# forgetting curve: a learner the defaults describe badly.
TRUE_PARAMETERS: tuple[float, ...] = tuple(
    {0: 0.6, 1: 3.5, 2: 6.0, 3: 14.0, 8: 2.3, 20: 0.35}.get(i, w)
    for i, w in enumerate(DEFAULT_PARAMETERS)
)
START = dt.datetime(2026, 1, 1, 20, tzinfo=dt.UTC)


def histories(
    n_reviews: int,
    *,
    parameters=TRUE_PARAMETERS,
    retention: float = 0.85,
    seed: int = 7,
    days: int = 365,
) -> list[list[Review]]:
    """About ``n_reviews`` reviews over ``days`` days; cards are introduced evenly."""
    scheduler = fsrs.Scheduler(
        parameters=parameters,
        desired_retention=retention,
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
    )
    rng = random.Random(seed)
    end = START + dt.timedelta(days=days)
    out: list[list[Review]] = []
    total = 0
    card_id = 0
    while total < n_reviews:
        card_id += 1
        when = START + dt.timedelta(days=rng.randrange(days - 30), minutes=rng.randrange(180))
        card = fsrs.Card(card_id=card_id, due=when)
        history: list[Review] = []
        first = True
        while when < end and total < n_reviews:
            if first:
                rating = fsrs.Rating(rng.choices([1, 2, 3, 4], weights=[2, 1, 6, 1])[0])
                first = False
            else:
                recall = scheduler.get_card_retrievability(card, when)
                rating = (
                    fsrs.Rating(rng.choices([2, 3, 4], weights=[1, 8, 1])[0])
                    if rng.random() < recall
                    else fsrs.Rating.Again
                )
            card, _ = scheduler.review_card(card, rating, review_datetime=when)
            history.append((when.timestamp(), when.date().toordinal(), int(rating)))
            total += 1
            when = card.due + dt.timedelta(minutes=rng.randrange(120))
        out.append(history)
    return out
