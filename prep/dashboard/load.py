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
    review_load_reserve(user, tz=tz, now=now)
    resolve_load_reserve(user, tz=tz, now=now)
    cache.set(key, True, timeout=36 * 3600)
    return True
