"""The dashboard's writes, none of them made by a page view: the day's readiness figures and
the reserved review load are refreshed when the user does something that changes them
(curriculum's ``progress_changed``, through ``tasks.dashboard_refresh``) and nightly by beat."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from curriculum.models import Plan
from prep.lib.localtime import local_day

from . import readiness
from .load import review_load_sync
from .models import ReadinessSnapshot


def readiness_snapshot_store(*, user, now: dt.datetime | None = None) -> list:
    """Store the user's readiness for their local today: one row per area, upserted in one
    query (so the chart has today's point). Returns the figures."""
    now = now or timezone.now()
    profile = user.profile
    plan = Plan.objects.filter(user=user).first()
    areas = readiness.readiness(user, role=profile.role, plan=plan, now=now)
    day = local_day(profile.tzinfo, now).date
    ReadinessSnapshot.objects.bulk_create(
        [ReadinessSnapshot(user=user, date=day, area=a.area, score=a.score) for a in areas],
        update_conflicts=True,
        unique_fields=["user", "date", "area"],
        update_fields=["score"],
    )
    return areas


def dashboard_refresh(*, user_id: int, now: dt.datetime | None = None) -> bool:
    """After the user did something: reserve the forecast review load (once a day) and store
    today's readiness. Idempotent; False for a user gone or not onboarded."""
    now = now or timezone.now()
    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first()
    profile = getattr(user, "profile", None) if user else None
    if profile is None or not profile.is_onboarded:
        return False
    review_load_sync(user, tz=profile.tzinfo, now=now)
    readiness_snapshot_store(user=user, now=now)
    return True
