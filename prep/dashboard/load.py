"""Keep the plan's reserved review load current: once a day per user (on the first thing
they do that day, ``services.dashboard_refresh``), and nightly for all (beat).

Flashcards, drills and the judge each forecast their own load and report it through
``curriculum.plans.reserve_minutes``; this module only decides when to ask them.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache

from prep.lib.localtime import local_day


def review_load_sync(user, *, tz, now: dt.datetime, force: bool = False) -> bool:
    from prep.drills.forecast import resolve_load_reserve
    from prep.flashcards.forecast import review_load_reserve
    from prep.judge.forecast import resolve_load_reserve as ml_resolve_load_reserve

    day = local_day(tz, now).date
    # The account's creation instant with its id: a reused id (SQLite) is another account.
    joined = int(user.date_joined.timestamp())
    key = f"dashboard:review-load:{user.pk}:{joined}:{day.isoformat()}"
    if not force and cache.get(key):
        return False
    # Flashcard reviews, and re-solves (drills and judged ML problems together), each reserve
    # at most half of a study day's room, so a review backlog slows new work down without
    # always stopping it.
    profile = getattr(user, "profile", None)
    cap = None
    if profile is not None and profile.weekdays:
        cap = max(1, profile.weekly_minutes // len(profile.weekdays) // 2)
    review_load_reserve(user, tz=tz, now=now, cap=cap)
    drills = resolve_load_reserve(user, tz=tz, now=now, cap=cap)
    ml_resolve_load_reserve(user, tz=tz, now=now, cap=cap, taken=drills)
    cache.set(key, True, timeout=36 * 3600)
    return True
