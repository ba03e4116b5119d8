"""A user's local day: the one place that turns a timezone name and an instant into the
user's date and its bounds. Everything "due today", "done today" or "tomorrow" asks here.

``prep.accounts.middleware.TimezoneMiddleware`` activates the profile's timezone for each
request, so views and templates can use ``django.utils.timezone.get_current_timezone()``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

UTC = zoneinfo.ZoneInfo("UTC")


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone called ``name``; UTC when it is empty or unknown (a bad profile value must
    never break a page)."""
    try:
        return zoneinfo.ZoneInfo(name) if name else UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return UTC


@dataclass(frozen=True)
class LocalDay:
    """One local day: its date, and the instants it starts (inclusive) and ends (exclusive)
    at, both in the day's own timezone (compare them with any aware datetime)."""

    date: dt.date
    start: dt.datetime
    end: dt.datetime


def local_day(tz: dt.tzinfo, now: dt.datetime | None = None) -> LocalDay:
    """The day in ``tz`` that contains ``now`` (default: the current time)."""
    from django.utils import timezone

    return day_of((now or timezone.now()).astimezone(tz).date(), tz)


def day_of(date: dt.date, tz: dt.tzinfo) -> LocalDay:
    """The local day ``date`` in ``tz``, with its bounds (23 or 25 hours on DST days)."""
    return LocalDay(
        date=date,
        start=dt.datetime.combine(date, dt.time.min, tzinfo=tz),
        end=dt.datetime.combine(date + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )
