"""The re-solve load the plan must leave room for, in minutes per day.

Reported with ``curriculum.plans.reserve_minutes`` (source ``drills:resolves``). A re-solve
takes the user's own median attempt time (25 minutes until they have attempts).
"""

from __future__ import annotations

import datetime as dt
import statistics

from curriculum import plans
from prep.lib.forecast import FORECAST_DAYS, minutes_by_day

from .models import Attempt, ReviewState

SOURCE = "drills:resolves"
DEFAULT_MINUTES = 25


def minutes_per_resolve(user) -> float:
    recent = list(
        Attempt.objects.filter(user=user)
        .order_by("-finished_at")
        .values_list("minutes", flat=True)[:50]
    )
    return float(statistics.median(recent)) if recent else float(DEFAULT_MINUTES)


def resolve_load(user, *, tz, now: dt.datetime) -> dict[dt.date, int]:
    horizon = now + dt.timedelta(days=FORECAST_DAYS + 1)
    dues = ReviewState.objects.filter(user=user, due__lt=horizon).values_list("due", flat=True)
    return minutes_by_day(dues, tz=tz, now=now, seconds_each=60 * minutes_per_resolve(user))


def resolve_load_reserve(
    user, *, tz, now: dt.datetime, cap: int | None = None
) -> dict[dt.date, int]:
    """Reserve the forecast; ``cap`` bounds the minutes reserved on any one day."""
    load = resolve_load(user, tz=tz, now=now)
    if cap is not None:
        load = {day: min(minutes, cap) for day, minutes in load.items()}
    plans.reserve_minutes(user, source=SOURCE, minutes_by_day=load)
    return load
