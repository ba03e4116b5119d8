"""The one place accounts talks to the curriculum: keep the plan in step with the profile."""

from __future__ import annotations

import datetime as dt

from curriculum import plans

from .models import Profile


def sync_plan(*, profile: Profile, now: dt.datetime) -> None:
    """Create or re-plan the user's plan from the profile (done work is kept)."""
    plans.plan_configure(
        profile.user,
        role=profile.role,
        interview=profile.interview_date,
        weekly_minutes=profile.weekly_minutes,
        weekdays=list(profile.weekdays),
        timezone_name=profile.timezone,
        now=now,
    )
