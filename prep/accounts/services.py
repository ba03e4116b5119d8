"""Account rules: profiles, onboarding and the welcome email."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import DEFAULT_PLAN_DAYS, Profile


def profile_get_or_create(*, user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, data: dict, now: dt.datetime | None = None) -> Profile:
    """Save onboarding/profile answers; a missing interview date means four weeks from today.

    Any change to what the plan is built from re-plans (done work is kept by the
    curriculum); the first save marks the user as onboarded.
    """
    now = now or timezone.now()
    for field in ("role", "weekly_hours", "weekdays", "timezone", "target_companies"):
        setattr(profile, field, data[field])
    profile.display_name = data.get("display_name", profile.display_name) or ""
    profile.interview_date = data.get("interview_date") or (
        profile.local_today(now) + dt.timedelta(days=DEFAULT_PLAN_DAYS)
    )
    if profile.onboarded_at is None:
        profile.onboarded_at = now
    profile.save()
    from . import planning

    planning.sync_plan(profile=profile, now=now)
    return profile


def user_signed_up(*, user) -> Profile:
    """A new account: create its profile and send the welcome email once committed."""
    profile = profile_get_or_create(user=user)
    from .tasks import send_welcome_email

    send_welcome_email.delay_on_commit(user.pk)
    return profile


def welcome_email_send(*, user_id: int) -> bool:
    """Send the welcome email at most once per user (claimed by a conditional update)."""
    claimed = Profile.objects.filter(user_id=user_id, welcome_email_sent_at=None).update(
        welcome_email_sent_at=timezone.now()
    )
    if claimed != 1:
        return False
    profile = Profile.objects.select_related("user").get(user_id=user_id)
    context = {"user": profile.user, "site_url": settings.SITE_URL}
    try:
        send_mail(
            subject="Welcome to Prep",
            message=render_to_string("accounts/email/welcome.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[profile.user.email],
        )
    except Exception:
        # Release the claim so a retry sends it.
        Profile.objects.filter(user_id=user_id).update(welcome_email_sent_at=None)
        raise
    return True
