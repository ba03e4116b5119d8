"""The ML coding re-solve load the plan must leave room for, in minutes per day.

Reported with ``curriculum.plans.reserve_minutes`` (source ``judge:resolves``), beside
drills' re-solves (``drills:resolves``), by the dashboard's daily review-load sync. A judged
re-solve is reserved at 30 minutes: the judge knows when Submits were made, not when work
on a problem started, so there is no pace of the user's own to take.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from curriculum import plans
from prep.lib.forecast import FORECAST_DAYS, minutes_by_day

from .models import MLReviewState

SOURCE = "judge:resolves"
MINUTES_PER_RESOLVE = 30


def resolve_load(user, *, tz, now: dt.datetime) -> dict[dt.date, int]:
    horizon = now + dt.timedelta(days=FORECAST_DAYS + 1)
    dues = MLReviewState.objects.filter(user=user, due__lt=horizon).values_list("due", flat=True)
    return minutes_by_day(dues, tz=tz, now=now, seconds_each=60 * MINUTES_PER_RESOLVE)


def resolve_load_reserve(
    user,
    *,
    tz,
    now: dt.datetime,
    cap: int | None = None,
    taken: Mapping[dt.date, int] | None = None,
) -> dict[dt.date, int]:
    """Reserve the forecast. ``cap`` bounds the re-solve minutes of a day, shared with
    ``taken`` (what drills' re-solves already reserve that day): re-solves of both kinds
    together take at most ``cap``."""
    load = resolve_load(user, tz=tz, now=now)
    if cap is not None:
        taken = taken or {}
        load = {day: max(0, min(m, cap - taken.get(day, 0))) for day, m in load.items()}
    plans.reserve_minutes(user, source=SOURCE, minutes_by_day=load)
    return load
