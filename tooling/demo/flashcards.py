"""Demo history for ``seed_demo``: a user who has studied the starter deck for a while."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from prep.flashcards import selectors, services
from prep.flashcards.selectors import Scope

RATINGS = (1, 2, 3, 4)
WEIGHTS = (0.10, 0.12, 0.68, 0.10)


def seed_history(user, *, days: int, rng: random.Random, per_day: int = 30) -> str:
    """Review the starter deck through the real service on each of the last ``days`` days
    (an evening session of at most ``per_day`` cards, some days skipped)."""
    profile = getattr(user, "profile", None)
    tz = profile.tzinfo if profile is not None else dt.UTC
    study = services.study_settings_get(user)
    now = timezone.now()
    start = now - dt.timedelta(days=days)
    services.states_enrol(user=user, now=start)
    scope = Scope()
    reviews = 0
    for back in range(days, 0, -1):
        if rng.random() < 0.15:  # some days off
            continue
        local_day = (now - dt.timedelta(days=back)).astimezone(tz).date()
        clock = dt.datetime.combine(local_day, dt.time(19, rng.randint(0, 59)), tzinfo=tz)
        clock = clock.astimezone(dt.UTC)
        day = selectors.day_bounds(tz, clock)
        for _ in range(per_day):
            _, state = selectors.queue(user, scope, study=study, now=clock, day=day)
            if state is None:
                break
            shown_at = max(clock, state.due) if state.state in (1, 3) else clock
            answered = shown_at + dt.timedelta(seconds=rng.randint(6, 40))
            services.card_review(
                user=user,
                state_id=state.pk,
                seq=state.reps,
                rating=rng.choices(RATINGS, WEIGHTS)[0],
                reviewed_at=shown_at,
                now=answered,
                study=study,
            )
            reviews += 1
            clock = answered
    return f"{reviews} reviews over {days} days"
