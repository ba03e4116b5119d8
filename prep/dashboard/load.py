"""Keep the plan's reserved review load current: once a day per user, and nightly for all.

Flashcards and drills each forecast their own load and report it through
``curriculum.plans.reserve_minutes``; this module only decides when to ask them.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache


def review_load_sync(user, *, tz, now: dt.datetime, force: bool = False) -> bool:
    from prep.drills.forecast import resolve_load_reserve
    from prep.flashcards.forecast import review_load_reserve

    day = now.astimezone(tz).date()
    key = f"dashboard:review-load:{user.pk}:{day.isoformat()}"
    if not force and cache.get(key):
        return False
    # Each source reserves at most half of a study day's room, so a review backlog slows new
    # work down without always stopping it.
    profile = getattr(user, "profile", None)
    cap = None
    if profile is not None and profile.weekdays:
        cap = max(1, profile.weekly_minutes // len(profile.weekdays) // 2)
    review_load_reserve(user, tz=tz, now=now, cap=cap)
    resolve_load_reserve(user, tz=tz, now=now, cap=cap)
    cache.set(key, True, timeout=36 * 3600)
    return True
