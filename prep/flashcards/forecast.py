"""The review load the plan must leave room for: cards due per day, in minutes.

Reported to the curriculum with ``curriculum.plans.reserve_minutes`` (source
``flashcards:forecast``), so a heavy review day gets less new work. Minutes come from the
user's own average answer time (the last 200 reviews), 10 s per card until there is one.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg

from curriculum import plans
from prep.lib.forecast import FORECAST_DAYS, minutes_by_day

from .models import CardState, ReviewLog

SOURCE = "flashcards:forecast"
DEFAULT_SECONDS = 10.0


def seconds_per_review(user) -> float:
    recent = ReviewLog.objects.filter(user=user, duration_ms__gt=0).order_by("-reviewed_at")[:200]
    avg = ReviewLog.objects.filter(pk__in=recent.values("pk")).aggregate(a=Avg("duration_ms"))["a"]
    return min(120.0, avg / 1000) if avg else DEFAULT_SECONDS


def review_load(user, *, tz, now: dt.datetime) -> dict[dt.date, int]:
    horizon = now + dt.timedelta(days=FORECAST_DAYS + 1)
    dues = CardState.objects.filter(
        user=user, suspended=False, due__lt=horizon, state__in=(1, 2, 3)
    ).values_list("due", flat=True)
    return minutes_by_day(dues, tz=tz, now=now, seconds_each=seconds_per_review(user))


def review_load_reserve(
    user, *, tz, now: dt.datetime, cap: int | None = None
) -> dict[dt.date, int]:
    """Reserve the forecast; ``cap`` bounds the minutes reserved on any one day."""
    load = review_load(user, tz=tz, now=now)
    if cap is not None:
        load = {day: min(minutes, cap) for day, minutes in load.items()}
    plans.reserve_minutes(user, source=SOURCE, minutes_by_day=load)
    return load
