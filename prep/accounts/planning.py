"""The one place accounts talks to the curriculum: keep the plan in step with the profile."""

from __future__ import annotations

import datetime as dt

from .models import Profile


def sync_plan(*, profile: Profile, now: dt.datetime) -> None:
    """Re-plan after a profile change (filled in once stored plans exist)."""
    return None
