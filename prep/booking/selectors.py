"""Reads of the booking app; each does its own joins so page query counts stay flat."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from prep.mocks.models import RubricFeedback

from .models import Block, Booking, NoShow, Participant, Slot, Window
from .services import BOOK_NOTICE, HORIZON_DAYS, window_intervals


def _busy(user_ref) -> Exists:
    return Exists(
        Participant.objects.filter(
            user=user_ref,
            active=True,
            starts_at__lt=OuterRef("ends_at"),
            ends_at__gt=OuterRef("starts_at"),
        )
    )


def open_slots(
    *,
    user,
    kind: str | None = None,
    role: str | None = None,
    host=None,
    include_unlisted: bool = False,
    now: dt.datetime | None = None,
) -> QuerySet[Slot]:
    """Slots ``user`` could book, soonest first: not theirs, not from a peer either of them
    blocked, and clashing with no active booking of the host or of ``user``."""
    now = now or timezone.now()
    qs = (
        Slot.objects.filter(starts_at__gte=now + BOOK_NOTICE)
        .exclude(host=user)
        .exclude(host__in=Block.objects.filter(blocker=user).values("blocked"))
        .exclude(host__in=Block.objects.filter(blocked=user).values("blocker"))
        .filter(~_busy(OuterRef("host")), ~_busy(user.pk))
        .select_related("host", "host__profile")
        .order_by("starts_at", "id")
    )
    if not include_unlisted:
        qs = qs.filter(listed=True)
    if kind:
        qs = qs.filter(kind=kind)
    if role:
        qs = qs.filter(host__profile__role=role)
    if host is not None:
        qs = qs.filter(host=host)
    return qs


def match_for(*, user, kind: str, limit: int = 3, now: dt.datetime | None = None) -> list[Slot]:
    """The best slots for ``user``: inside their own published availability, peers of the
    same role type first, then soonest. Empty when nothing fits their availability."""
    now = now or timezone.now()
    free = []
    for window in Window.objects.filter(user=user):
        start = now.astimezone(window.tzinfo).date()
        # The window's whole span counts, not only its cut slots.
        spans = window_intervals(
            _whole(window), start=start, end=start + dt.timedelta(days=HORIZON_DAYS)
        )
        free.extend(spans)
    if not free:
        return []
    candidates = list(open_slots(user=user, kind=kind, now=now)[:500])
    fits = [s for s in candidates if any(a <= s.starts_at and s.ends_at <= b for a, b in free)]
    role = getattr(getattr(user, "profile", None), "role", "")
    fits.sort(key=lambda s: (s.host.profile.role != role, s.starts_at))
    return fits[:limit]


def _whole(window: Window) -> Window:
    """A copy of ``window`` cut as one slot spanning it (for matching)."""
    span = dt.datetime.combine(dt.date.min, window.end_time) - dt.datetime.combine(
        dt.date.min, window.start_time
    )
    return Window(
        kind=window.kind,
        weekday=window.weekday,
        date=window.date,
        start_time=window.start_time,
        end_time=window.end_time,
        timezone=window.timezone,
        minutes=int(span.total_seconds() // 60),
    )


def bookings_for(user) -> QuerySet[Booking]:
    return Booking.objects.for_user(user).select_related(
        "host", "guest", "host__profile", "guest__profile", "prompt"
    )


def upcoming_for(user, *, limit: int = 3, now: dt.datetime | None = None) -> list[Booking]:
    """The user's next active bookings (for the dashboard), soonest first."""
    now = now or timezone.now()
    return list(
        bookings_for(user).active().filter(ends_at__gt=now).order_by("starts_at", "id")[:limit]
    )


def upcoming_times_for(user, *, limit: int = 3, now: dt.datetime | None = None) -> list[Booking]:
    """The user's next active bookings, soonest first, with only their time and meeting link
    (the dashboard's queue shows no names): no joins."""
    now = now or timezone.now()
    return list(
        Booking.objects.for_user(user)
        .active()
        .filter(ends_at__gt=now)
        .order_by("starts_at", "id")
        .only("id", "starts_at", "meeting_url")[:limit]
    )


def past_for(user, *, limit: int = 20, now: dt.datetime | None = None) -> list[Booking]:
    """Bookings that ended or were cancelled, newest first, with whether ``user`` has
    given feedback."""
    now = now or timezone.now()
    given = RubricFeedback.objects.filter(
        author=user, context_key__startswith="booking:"
    ).values_list("context_key", flat=True)
    rows = list(
        bookings_for(user)
        .filter(Q(ends_at__lte=now) | Q(status=Booking.Status.CANCELLED))
        .order_by("-starts_at", "-id")[:limit]
    )
    keys = set(given)
    for booking in rows:
        booking.feedback_given = booking.key in keys
    return rows


def booking_detail(user, pk: int) -> Booking:
    """One booking of ``user`` with what its page needs (404 for anyone else's)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        bookings_for(user)
        .select_related("swap_prompt", "cancelled_by", "slot")
        .prefetch_related(Prefetch("no_shows", queryset=NoShow.objects.all())),
        pk=pk,
    )


def active_booking_for(*, user, booking_id: int) -> Booking | None:
    """The booked (not cancelled) booking ``booking_id`` if ``user`` takes part in it, else
    None (so callers answer 404): what capture asks before it records a peer mock."""
    return Booking.objects.for_user(user).active().filter(pk=booking_id).first()


def booking_feedback(booking: Booking, *, reader, now=None) -> list[RubricFeedback]:
    """The booking's feedback, each row marked ``visible`` for ``reader`` by the mocks app's
    reveal rule (``RubricFeedback.objects.with_visibility``)."""
    return list(
        RubricFeedback.objects.filter(context_key=booking.key)
        .with_visibility(reader, now=now)
        .select_related("author__profile", "subject__profile")
        .prefetch_related("scores")
    )


def windows_for(user) -> list[Window]:
    return list(Window.objects.filter(user=user).order_by("date", "weekday", "start_time", "id"))


def my_open_slots(user, *, limit: int = 20, now: dt.datetime | None = None) -> list[Slot]:
    now = now or timezone.now()
    booked = Booking.objects.filter(slot=OuterRef("pk"), status=Booking.Status.BOOKED)
    return list(
        Slot.objects.filter(host=user, starts_at__gt=now)
        .annotate(is_booked=Exists(booked))
        .order_by("starts_at", "id")[:limit]
    )


def blocks_for(user) -> list[Block]:
    return list(Block.objects.filter(blocker=user).select_related("blocked__profile"))
