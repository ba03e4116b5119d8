"""Turn a due-date forecast into minutes per local day (shared by flashcards and drills)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from prep.lib.localtime import local_day

FORECAST_DAYS = 14


def minutes_by_day(
    dues: Iterable[dt.datetime],
    *,
    tz,
    now: dt.datetime,
    seconds_each: float,
    days: int = FORECAST_DAYS,
) -> dict[dt.date, int]:
    """Minutes of review per local day for the next ``days`` days (overdue counts today)."""
    today = local_day(tz, now).date
    last = today + dt.timedelta(days=days - 1)
    counts: Counter[dt.date] = Counter()
    for due in dues:
        day = max(today, due.astimezone(tz).date())
        if day <= last:
            counts[day] += 1
    return {day: round(n * seconds_each / 60) for day, n in sorted(counts.items()) if n}
