"""Demo history for one user: availability, past peer mocks with feedback, one upcoming."""

from __future__ import annotations

import datetime as dt
import random

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from prep.booking import services
from prep.booking.models import Booking, Participant, Slot
from prep.mocks.models import Rubric

PEER_EMAIL = "peer@prep.local"


def _peer():
    from prep.accounts import services as account_services

    User = get_user_model()
    peer = User.objects.filter(email=PEER_EMAIL).first()
    if peer is None:
        peer = User.objects.create_user(username="peer", email=PEER_EMAIL, password=None)
        profile = account_services.profile_get_or_create(user=peer)
        profile.role, profile.timezone = "mle", "Europe/Berlin"
        profile.weekdays, profile.onboarded_at = [0, 1, 2, 3, 4], timezone.now()
        profile.save()
    EmailAddress.objects.get_or_create(
        user=peer, email=PEER_EMAIL, defaults={"verified": True, "primary": True}
    )
    services.settings_update(
        user=peer, meeting_url="https://meet.example.com/prep-peer", invite_emails=False,
        reminder_emails=False,
    )  # fmt: skip
    return peer


def _past_booking(user, peer, *, starts_at: dt.datetime, swap: bool) -> Booking:
    slot = Slot.objects.create(host=peer, kind="ml_system_design", starts_at=starts_at,
                               ends_at=starts_at + dt.timedelta(hours=1))  # fmt: skip
    prompt, swap_prompt = services._pick_prompts(
        "ml_system_design", host=peer, guest=user, swap=swap
    )
    booking = Booking.objects.create(
        slot=slot, host=peer, guest=user, kind=slot.kind, prompt=prompt,
        swap_prompt=swap_prompt, swap=swap, starts_at=slot.starts_at, ends_at=slot.ends_at,
        meeting_url="https://meet.example.com/prep-peer", created_at=starts_at - dt.timedelta(days=3),
    )  # fmt: skip
    services._participants_create(booking)
    return booking


def seed(user, *, days: int, rng: random.Random) -> str:
    """Weekly windows (Tue/Thu evenings), up to two past ML system design mocks with
    feedback both ways, and one upcoming booking with the demo peer."""
    rubric = Rubric.objects.filter(kind="ml_system_design").first()
    if rubric is None:
        return "no rubrics loaded (run load_content first)"
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    peer = _peer()
    for weekday in (1, 3):
        services.window_create(user=user, kind="ml_system_design", weekday=weekday,
                               start_time=dt.time(18), end_time=dt.time(21))  # fmt: skip
    services.window_create(user=peer, kind="ml_system_design", weekday=rng.randint(0, 4),
                           start_time=dt.time(17), end_time=dt.time(20))  # fmt: skip
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    made = 0
    for n, ago in enumerate(sorted({max(2, days // 2), max(1, days // 5)}, reverse=True)):
        # Each demo user meets the peer at a different hour, so the peer never overlaps.
        starts_at = now - dt.timedelta(days=ago, hours=1 + 2 * (user.pk % 10))
        booking = _past_booking(user, peer, starts_at=starts_at, swap=bool(n % 2))
        for author in (peer, user):
            scores = {
                d: min(4, max(1, 2 + n + rng.choice([-1, 0, 0, 1]))) for d in rubric.dimension_slugs
            }
            services.booking_feedback_submit(
                booking=booking, author=author, scores=scores,
                notes="Clear framing; go deeper on drift monitoring next time.",
                now=booking.ends_at + dt.timedelta(minutes=10),
            )  # fmt: skip
        made += 1
    upcoming = None
    slot = (
        Slot.objects.filter(host=peer, starts_at__gt=now + dt.timedelta(days=1))
        .exclude(bookings__status="booked")
        .order_by("starts_at")
        .first()
    )
    if (
        slot is not None
        and not Participant.objects.filter(
            user=user, active=True, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at
        ).exists()
    ):
        services.booking_create(guest=user, slot=slot, want_swap=True)
        upcoming = slot
    return f"2 windows, {made} past peer mocks with feedback, {'1' if upcoming else 'no'} upcoming"
