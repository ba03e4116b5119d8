"""The review load the plan must leave room for: cards due per day, in minutes.

Reported to the curriculum with ``curriculum.plans.reserve_minutes`` (source
``flashcards:forecast``), so a heavy review day gets less new work. Minutes come from the
user's own average answer time (the last 200 reviews), 10 s per card until there is one.

A review card is counted when the user's chosen desired retention and FSRS parameters make
it due (its last review plus the interval at which recall falls to that retention), so
choosing a higher retention reserves more time at once, before any rescheduling.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg

from curriculum import plans
from prep.lib.forecast import FORECAST_DAYS, minutes_by_day
from prep.memory.fit import interval_days
from prep.memory.models import Kind
from prep.memory.parameters import parameters_for

from .models import CardState, ReviewLog, StudySettings

SOURCE = "flashcards:forecast"
DEFAULT_SECONDS = 10.0


def seconds_per_review(user) -> float:
    recent = ReviewLog.objects.filter(user=user, duration_ms__gt=0).order_by("-reviewed_at")[:200]
    avg = ReviewLog.objects.filter(pk__in=recent.values("pk")).aggregate(a=Avg("duration_ms"))["a"]
    return min(120.0, avg / 1000) if avg else DEFAULT_SECONDS


def due_dates(
    user,
    *,
    now: dt.datetime,
    days: int = FORECAST_DAYS,
    deck=None,
    horizon=None,
    parameters=None,
) -> list[dt.datetime]:
    """When each scheduled card falls due under the user's retention and parameters."""
    horizon = horizon or now + dt.timedelta(days=days + 1)
    study = StudySettings.objects.filter(user=user).first()
    retention = study.desired_retention if study is not None else 0.9
    if parameters is None:
        parameters = parameters_for(user, Kind.FLASHCARDS)
    states = CardState.objects.filter(user=user, suspended=False, state__in=(1, 2, 3))
    if deck is not None:
        states = states.filter(deck=deck)
    rows = states.values_list("state", "due", "last_review", "stability")
    dues = []
    for state, due, last_review, stability in rows.iterator(chunk_size=5000):
        if state == CardState.State.REVIEW and stability and last_review is not None:
            due = last_review + dt.timedelta(days=interval_days(stability, retention, parameters))
        if due < horizon:
            dues.append(due)
    return dues


def review_load(user, *, tz, now: dt.datetime) -> dict[dt.date, int]:
    dues = due_dates(user, now=now)
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
