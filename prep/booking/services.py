"""Every write of the booking app: availability, slots, bookings, feedback, no-shows,
blocks, notification preferences, invites and reminders.

The rules (each decided here, never in a view):

- A slot is cut from a window in the window's own timezone; stored in UTC.
- Booking needs a verified email; nobody books themselves, a blocked peer, a slot
  that starts in less than ``BOOK_NOTICE``, or a slot overlapping a booking either
  person already holds. The database has the last word: a slot holds one active booking
  (a unique constraint) and a person holds no overlapping active bookings (one
  ``Participant`` row each; an exclusion constraint on PostgreSQL, an IMMEDIATE
  transaction that re-checks on SQLite). The loser of a race gets ``SlotTaken``.
- A booking request with an idempotency key already used by that guest returns the
  first booking.
- Cancel and reschedule are open to both people until ``CANCEL_CUTOFF`` before the
  start; a booking made with less notice than that stays open to changes for
  ``SHORT_NOTICE_GRACE`` after it was made (never past its start), so a short-notice
  booking can still be undone (:func:`change_deadline`). Cancelling needs a reason. The
  freed slot opens again.
- Every change raises the invite's SEQUENCE and emails both people after commit.
- A booked mock is a fixed event in both plans; cancelling removes it.
- Feedback opens at half-time; each person sees the other's feedback once both have
  submitted, or ``FEEDBACK_REVEAL_AFTER`` after the end. Feedback about a candidate
  (the guest, and the host too when they swap) reports ``mock_completed`` for them.
- ``NO_SHOW_LIMIT`` no-shows within ``NO_SHOW_WINDOW`` limit a person to one upcoming
  booking at a time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from curriculum import plans, progress
from prep.accounts.people import DELETED_NAME, display_name
from prep.mocks import services as mock_services
from prep.mocks.models import AREA_BY_KIND, MockKind, Prompt, RubricFeedback, SoloMock

from . import invites
from .models import (
    REMINDER_OFFSETS,
    Block,
    Booking,
    BookingSettings,
    NoShow,
    Participant,
    Reminder,
    Slot,
    Window,
    safe_zone,
)

log = logging.getLogger(__name__)

HORIZON_DAYS = 28
BOOK_NOTICE = dt.timedelta(minutes=30)
CANCEL_CUTOFF = dt.timedelta(hours=2)
SHORT_NOTICE_GRACE = dt.timedelta(minutes=15)
FEEDBACK_REVEAL_AFTER = dt.timedelta(hours=48)
NO_SHOW_LIMIT = 2
NO_SHOW_WINDOW = dt.timedelta(days=60)
# Longer than a task may run (CELERY_TASK_TIME_LIMIT), so a live worker keeps its claim;
# a dead worker's claim expires and the next sweep (every minute) sends it.
REMINDER_LEASE = dt.timedelta(minutes=3)
SLOT_RESYNC_AFTER = dt.timedelta(hours=12)
MAX_WINDOWS = 50
UNSUBSCRIBE_SALT = "booking.unsubscribe"


class BookingError(ValueError):
    """A request the booking rules refuse; the message is shown to the user."""


class SlotTaken(BookingError):
    """Someone else got there first (or the time now clashes with another booking)."""


class SlotHeld(BookingError):
    """The person asking already holds this slot (a second submit of their own booking)."""

    def __init__(self, message: str, *, booking_id: int):
        super().__init__(message)
        self.booking_id = booking_id


# --------------------------------------------------------------------------- settings


def settings_for(user) -> BookingSettings:
    prefs, _ = BookingSettings.objects.get_or_create(user=user)
    return prefs


def settings_update(
    *, user, meeting_url: str, invite_emails: bool, reminder_emails: bool
) -> BookingSettings:
    prefs = settings_for(user)
    prefs.meeting_url = meeting_url
    prefs.invite_emails = invite_emails
    prefs.reminder_emails = reminder_emails
    prefs.save(update_fields=["meeting_url", "invite_emails", "reminder_emails"])
    return prefs


def invite_link_regenerate(*, user) -> BookingSettings:
    """A new private link; the old one stops working."""
    from .models import new_token

    prefs = settings_for(user)
    prefs.invite_token = new_token()
    prefs.save(update_fields=["invite_token"])
    return prefs


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def reminders_unsubscribe(*, token: str):
    """Turn reminder emails off for the user the signed ``token`` names (one click)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise BookingError("This unsubscribe link is not valid.") from None
    prefs = BookingSettings.objects.filter(user_id=data.get("u")).first()
    if prefs is None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=data.get("u")).first()
        if user is None:
            raise BookingError("This unsubscribe link is not valid.")
        prefs = settings_for(user)
    if prefs.reminder_emails:
        prefs.reminder_emails = False
        prefs.save(update_fields=["reminder_emails"])
    return prefs.user


# --------------------------------------------------------------------------- availability


def _days(start: dt.date, end: dt.date):
    day = start
    while day < end:
        yield day
        day += dt.timedelta(days=1)


def window_intervals(
    window: Window, *, start: dt.date, end: dt.date
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The slots (UTC start, UTC end) ``window`` gives on local dates ``start`` ≤ d < ``end``.

    Wall-clock times are read in the window's timezone on each date, so a weekly 18:00
    stays 18:00 local on both sides of a daylight-saving change. A local time that does
    not exist that day (the spring-forward gap) is read with the offset before the change.
    """
    tz = window.tzinfo
    step = dt.timedelta(minutes=window.minutes)
    if window.is_weekly:
        days = [d for d in _days(start, end) if d.weekday() == window.weekday]
    else:
        days = [window.date] if start <= window.date < end else []
    out = []
    for day in days:
        begin = dt.datetime.combine(day, window.start_time, tzinfo=tz).astimezone(dt.UTC)
        finish = dt.datetime.combine(day, window.end_time, tzinfo=tz).astimezone(dt.UTC)
        at = begin
        while at + step <= finish:
            out.append((at, at + step))
            at += step
    return out


def _window_validate(
    *,
    kind: str,
    weekday: int | None,
    date: dt.date | None,
    start_time: dt.time,
    end_time: dt.time,
    minutes: int,
) -> None:
    if kind not in MockKind.values:
        raise BookingError(f"{kind!r} is not a mock kind.")
    if (weekday is None) == (date is None):
        raise BookingError("Choose either a weekday (every week) or a date (once).")
    if weekday is not None and not 0 <= weekday <= 6:
        raise BookingError("Choose a weekday.")
    if end_time <= start_time:
        raise BookingError("The window must end after it starts (on the same day).")
    length = dt.datetime.combine(dt.date.min, end_time) - dt.datetime.combine(
        dt.date.min, start_time
    )
    if length < dt.timedelta(minutes=minutes):
        raise BookingError(f"The window is shorter than one {minutes}-minute mock.")


@transaction.atomic
def window_create(
    *,
    user,
    kind: str,
    start_time: dt.time,
    end_time: dt.time,
    weekday: int | None = None,
    date: dt.date | None = None,
    minutes: int = 60,
    offers_swap: bool = True,
    listed: bool = True,
    timezone_name: str | None = None,
    now: dt.datetime | None = None,
) -> Window:
    """Publish a weekly or one-off window in the user's timezone; its slots open at once."""
    _window_validate(
        kind=kind,
        weekday=weekday,
        date=date,
        start_time=start_time,
        end_time=end_time,
        minutes=minutes,
    )
    now = now or timezone.now()
    tz_name = timezone_name or user.profile.timezone
    if date is not None and date < now.astimezone(safe_zone(tz_name)).date():
        raise BookingError("That date has passed.")
    if Window.objects.filter(user=user).count() >= MAX_WINDOWS:
        raise BookingError(f"You can publish at most {MAX_WINDOWS} windows.")
    window = Window.objects.create(
        user=user,
        kind=kind,
        weekday=weekday,
        date=date,
        start_time=start_time,
        end_time=end_time,
        timezone=tz_name,
        minutes=minutes,
        offers_swap=offers_swap,
        listed=listed,
    )
    slots_sync(user=user, now=now)
    return window


@transaction.atomic
def window_delete(*, window: Window, now: dt.datetime | None = None) -> None:
    """Withdraw a window: its open slots go; booked ones stay booked."""
    user = window.user
    window.delete()
    slots_sync(user=user, now=now)


@transaction.atomic
def slots_sync(*, user, now: dt.datetime | None = None) -> int:
    """Make the user's future slots match their windows over the next ``HORIZON_DAYS``.

    Open slots no longer given by a window are removed; a slot with an active booking
    is never touched. Returns how many slots were created.
    """
    now = now or timezone.now()
    windows = list(Window.objects.filter(user=user))
    desired: dict[tuple[str, dt.datetime], tuple[dt.datetime, Window]] = {}
    for window in windows:
        start = now.astimezone(window.tzinfo).date()
        for begin, finish in window_intervals(
            window, start=start, end=start + dt.timedelta(days=HORIZON_DAYS)
        ):
            if begin > now:
                desired.setdefault((window.kind, begin), (finish, window))
    booked = Booking.objects.filter(slot=OuterRef("pk"), status=Booking.Status.BOOKED)
    existing = {
        (slot.kind, slot.starts_at): slot
        for slot in Slot.objects.filter(host=user, starts_at__gt=now).annotate(
            is_booked=Exists(booked)
        )
    }
    stale = [s.pk for key, s in existing.items() if key not in desired and not s.is_booked]
    if stale:
        Slot.objects.filter(pk__in=stale).delete()
    changed = []
    for key, slot in existing.items():
        if key in desired:
            finish, window = desired[key]
            fields = {
                "ends_at": finish,
                "window_id": window.pk,
                "offers_swap": window.offers_swap,
                "listed": window.listed,
            }
            if any(getattr(slot, k) != v for k, v in fields.items()) and not slot.is_booked:
                for k, v in fields.items():
                    setattr(slot, k, v)
                changed.append(slot)
    if changed:
        Slot.objects.bulk_update(changed, ["ends_at", "window", "offers_swap", "listed"])
    new = [
        Slot(
            host=user,
            window=window,
            kind=kind,
            starts_at=begin,
            ends_at=finish,
            offers_swap=window.offers_swap,
            listed=window.listed,
        )
        for (kind, begin), (finish, window) in desired.items()
        if (kind, begin) not in existing
    ]
    Slot.objects.bulk_create(new, ignore_conflicts=True)
    BookingSettings.objects.update_or_create(user=user, defaults={"slots_synced_at": now})
    return len(new)


def slots_refresh_if_stale(*, user, now: dt.datetime | None = None) -> bool:
    """Extend the user's slots over the horizon when the last sync is old (no beat needed)."""
    now = now or timezone.now()
    prefs = settings_for(user)
    if prefs.slots_synced_at and now - prefs.slots_synced_at < SLOT_RESYNC_AFTER:
        return False
    if not Window.objects.filter(user=user).exists():
        return False
    slots_sync(user=user, now=now)
    return True


def slots_sync_all(*, now: dt.datetime | None = None) -> int:
    """The nightly sweep: every user with windows gets their horizon extended."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=Window.objects.values("user_id").distinct())
    return sum(slots_sync(user=u, now=now) for u in users)


# --------------------------------------------------------------------------- booking rules


def email_verified(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def is_blocked_between(a, b) -> bool:
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


def no_show_count(user, *, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return NoShow.objects.filter(absent=user, created_at__gte=now - NO_SHOW_WINDOW).count()


def _overlapping(user_ids, starts_at, ends_at, *, exclude_booking: int | None = None):
    holds = Participant.objects.filter(
        user_id__in=user_ids, active=True, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_booking is not None:
        holds = holds.exclude(booking_id=exclude_booking)
    return holds


def _pick_prompts(kind: str, *, host, guest, swap: bool) -> tuple[Prompt, Prompt | None]:
    """A prompt neither person has met in a booking and the candidate has not run solo;
    the first of the bank when all have been used."""
    prompts = list(Prompt.objects.active().filter(kind=kind).order_by("position", "id"))
    if not prompts:
        raise BookingError("There is no prompt of this kind yet; ask the admin to load content.")
    used: set[int] = set()
    for a, b in Booking.objects.filter(
        Q(host__in=[host, guest]) | Q(guest__in=[host, guest])
    ).values_list("prompt_id", "swap_prompt_id"):
        used.update({a, b})
    seen_solo = set(
        SoloMock.objects.filter(user__in=[host, guest], kind=kind).values_list(
            "prompt_id", flat=True
        )
    )
    fresh = (
        [p for p in prompts if p.pk not in used and p.pk not in seen_solo]
        or [p for p in prompts if p.pk not in used]
        or prompts
    )
    first = fresh[0]
    if not swap:
        return first, None
    second = next((p for p in fresh[1:]), None) or next(
        (p for p in prompts if p.pk != first.pk), first
    )
    return first, second


def _event_kind(kind: str) -> str:
    return plans.PEER_MOCK_KIND if kind == MockKind.ML_SYSTEM_DESIGN else f"peer_mock:{kind}"


def _fix_in_plans(booking: Booking) -> None:
    url = reverse("booking:detail", args=[booking.pk])
    for user, other in ((booking.host, booking.guest), (booking.guest, booking.host)):
        plans.fix_event(
            user,
            key=booking.key,
            kind=_event_kind(booking.kind),
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            title=f"Peer mock ({booking.get_kind_display()}) with {display_name(other)}",
            url=url,
        )


def _send_invites_after_commit(booking: Booking, method: str) -> None:
    from .tasks import send_invites

    send_invites.delay_on_commit(booking.pk, method, booking.sequence)


def booking_create(
    *,
    guest,
    slot: Slot,
    want_swap: bool = False,
    idempotency_key: str = "",
    via_link: bool = False,
    now: dt.datetime | None = None,
) -> Booking:
    """Book ``slot`` for ``guest`` (see the module rules). Raises ``BookingError`` with a
    message for the user, ``SlotTaken`` when the slot or the time went to someone else."""
    now = now or timezone.now()
    key = (idempotency_key or "")[:64]
    if key:
        earlier = Booking.objects.filter(guest=guest, idempotency_key=key).first()
        if earlier is not None:
            return earlier
    if not email_verified(guest):
        raise BookingError("Verify your email address before booking a peer.")
    if slot.host_id == guest.pk:
        raise BookingError("This is one of your own slots.")
    if not slot.listed and not via_link:
        raise BookingError("This slot is only open through its host's private link.")
    if slot.starts_at < now + BOOK_NOTICE:
        raise BookingError("This slot starts too soon to book.")
    if is_blocked_between(guest, slot.host):
        raise BookingError("You cannot book this peer.")
    if (
        no_show_count(guest, now=now) >= NO_SHOW_LIMIT
        and Booking.objects.for_user(guest).active().filter(starts_at__gt=now).exists()
    ):
        raise BookingError("After repeated no-shows you can hold one upcoming booking at a time.")
    try:
        with transaction.atomic():
            # On SQLite this transaction is IMMEDIATE: the checks below and the inserts
            # run under the database's write lock. On PostgreSQL the constraints decide.
            holder = (
                Booking.objects.filter(slot=slot, status=Booking.Status.BOOKED)
                .values_list("pk", "guest_id")
                .first()
            )
            if holder is not None and holder[1] == guest.pk:
                raise SlotHeld(
                    "You already hold this slot: this is your booking.", booking_id=holder[0]
                )
            if holder is not None:
                raise SlotTaken("Just taken: someone booked this slot a moment ago.")
            busy = set(
                _overlapping([slot.host_id, guest.pk], slot.starts_at, slot.ends_at).values_list(
                    "user_id", flat=True
                )[:2]
            )
            if guest.pk in busy:
                raise SlotTaken("You already have a booking at that time.")
            if busy:
                raise SlotTaken("Just taken: the host is booked at that time now.")
            swap = bool(want_swap and slot.offers_swap)
            prompt, swap_prompt = _pick_prompts(slot.kind, host=slot.host, guest=guest, swap=swap)
            booking = Booking.objects.create(
                slot=slot,
                host=slot.host,
                guest=guest,
                kind=slot.kind,
                prompt=prompt,
                swap_prompt=swap_prompt,
                swap=swap,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                meeting_url=settings_for(slot.host).meeting_url,
                idempotency_key=key,
                created_at=now,
            )
            _participants_create(booking)
            _fix_in_plans(booking)
            _send_invites_after_commit(booking, invites.REQUEST)
    except (IntegrityError, OperationalError) as exc:
        if isinstance(exc, OperationalError) and not _lost_a_race(exc):
            raise
        if key:
            earlier = Booking.objects.filter(guest=guest, idempotency_key=key).first()
            if earlier is not None:
                return earlier
        raise SlotTaken("Just taken: someone booked this time a moment ago.") from exc
    return booking


def _lost_a_race(exc: OperationalError) -> bool:
    """A deadlock (PostgreSQL) or a write lock held too long (SQLite) between bookings."""
    text = str(exc).lower()
    return "deadlock" in text or "database is locked" in text


def _participants_create(booking: Booking) -> None:
    # Insert in user-id order so two racing bookings lock in the same order (no deadlock).
    rows = sorted([(booking.host_id, "host"), (booking.guest_id, "guest")])
    Participant.objects.bulk_create(
        Participant(
            booking=booking,
            user_id=user_id,
            role=role,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
        )
        for user_id, role in rows
    )


def change_deadline(booking: Booking) -> dt.datetime:
    """Until when either person may cancel or reschedule ``booking``: ``CANCEL_CUTOFF``
    before the start, or, for a booking made later than that, ``SHORT_NOTICE_GRACE`` after
    it was made (but not after the start)."""
    deadline = booking.starts_at - CANCEL_CUTOFF
    if booking.created_at and booking.created_at + SHORT_NOTICE_GRACE > deadline:
        deadline = min(booking.created_at + SHORT_NOTICE_GRACE, booking.starts_at)
    return deadline


CHANGE_RULE = (
    "You can cancel or reschedule until 2 hours before the start; a booking made with less "
    "notice than that can be changed in the first 15 minutes after it was made."
)


def _check_can_change(booking: Booking, by, now: dt.datetime) -> None:
    if by.pk not in (booking.host_id, booking.guest_id):
        raise BookingError("This is not your booking.")
    if not booking.is_active:
        raise BookingError("This booking is already cancelled.")
    if now > change_deadline(booking):
        raise BookingError(
            f"Changes to this booking are closed. {CHANGE_RULE} Report a no-show instead if "
            "your peer does not come."
        )


@transaction.atomic
def booking_cancel(*, booking: Booking, by, reason: str, now: dt.datetime | None = None) -> Booking:
    """Cancel (either person, until the cut-off, with a reason): the slot opens again,
    both plans drop the event, both people get a METHOD:CANCEL invite."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise BookingError("Say why you cancel; your peer will see it.")
    if len(reason) > 500:
        raise BookingError("Keep the reason under 500 characters.")
    # of=self: host and guest are nullable (SET_NULL), and PostgreSQL cannot lock the nullable
    # side of the outer join that select_related makes.
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("host", "guest")
        .get(pk=booking.pk)
    )
    _check_can_change(locked, by, now)
    locked.status = Booking.Status.CANCELLED
    locked.cancelled_at = now
    locked.cancelled_by = by
    locked.cancel_reason = reason
    locked.sequence += 1
    locked.save()
    locked.participants.update(active=False)
    for user in (locked.host, locked.guest):
        plans.unfix_event(user, key=locked.key)
    _send_invites_after_commit(locked, invites.CANCEL)
    return locked


ACCOUNT_DELETED_REASON = "The other person deleted their account."


def bookings_on_account_delete(*, user, now: dt.datetime | None = None) -> None:
    """Before ``user``'s account is deleted (a ``pre_delete`` signal, so the admin's delete
    does it too): each booking passes to the other person alone (host or guest becomes
    null), with that person's feedback and no-show reports. A booking still to come is
    cancelled for them — out of their plan and calendar feed, with a METHOD:CANCEL invite —
    whatever the cut-off; a past one stays in their plan as a mock "with a deleted account"
    whose link still opens the booking page."""
    now = now or timezone.now()
    for booking in Booking.objects.for_user(user).select_related("host", "guest"):
        other = booking.guest if booking.host_id == user.pk else booking.host
        if booking.is_active and booking.ends_at > now:
            booking.status = Booking.Status.CANCELLED
            booking.cancelled_at = now
            booking.cancelled_by = None
            booking.cancel_reason = ACCOUNT_DELETED_REASON
            booking.sequence += 1
            booking.save(
                update_fields=[
                    "status",
                    "cancelled_at",
                    "cancelled_by",
                    "cancel_reason",
                    "sequence",
                ]
            )
            booking.participants.update(active=False)
            if other is not None:
                plans.unfix_event(other, key=booking.key)
                _send_invites_after_commit(booking, invites.CANCEL)
        elif other is not None:
            plans.retitle_event(
                other,
                key=booking.key,
                title=f"Peer mock ({booking.get_kind_display()}) with {DELETED_NAME}",
            )


def booking_reschedule(
    *, booking: Booking, by, slot: Slot, now: dt.datetime | None = None
) -> Booking:
    """Move a booking to another open slot of the same host and kind (same rules as
    booking; the old slot opens again; SEQUENCE + 1)."""
    now = now or timezone.now()
    if slot.host_id != booking.host_id or slot.kind != booking.kind:
        raise BookingError("Pick another slot of the same host and mock kind.")
    if slot.pk == booking.slot_id:
        raise BookingError("That is the current time of the booking.")
    if slot.starts_at < now + BOOK_NOTICE:
        raise BookingError("This slot starts too soon to book.")
    try:
        with transaction.atomic():
            locked = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("host", "guest")
                .get(pk=booking.pk)
            )
            _check_can_change(locked, by, now)
            if Booking.objects.filter(slot=slot, status=Booking.Status.BOOKED).exists():
                raise SlotTaken("Just taken: someone booked that slot a moment ago.")
            if _overlapping(
                [locked.host_id, locked.guest_id],
                slot.starts_at,
                slot.ends_at,
                exclude_booking=locked.pk,
            ).exists():
                raise SlotTaken("One of you already has a booking at that time.")
            locked.slot = slot
            locked.starts_at, locked.ends_at = slot.starts_at, slot.ends_at
            locked.swap = locked.swap and slot.offers_swap
            if not locked.swap:
                locked.swap_prompt = None
            locked.sequence += 1
            locked.save()
            locked.participants.update(starts_at=slot.starts_at, ends_at=slot.ends_at)
            _fix_in_plans(locked)
            _send_invites_after_commit(locked, invites.REQUEST)
    except IntegrityError as exc:
        raise SlotTaken("Just taken: someone booked that time a moment ago.") from exc
    return locked


# --------------------------------------------------------------------------- after the session


def feedback_opens_at(booking: Booking) -> dt.datetime:
    return booking.half_at


def feedback_state(booking: Booking, user, *, feedback=None, now=None) -> dict:
    """What ``user`` may see of the booking's feedback: their own, and the other's once
    the mocks app's reveal rule says so (both have submitted, or ``FEEDBACK_REVEAL_AFTER``
    has passed since the end: the ``reveal_at`` stored with each feedback). ``feedback``:
    the rows of ``selectors.booking_feedback`` for ``user`` (loaded when not given)."""
    from .selectors import booking_feedback

    now = now or timezone.now()
    if feedback is None:
        feedback = booking_feedback(booking, reader=user, now=now)
    mine = next((f for f in feedback if f.author_id == user.pk), None)
    theirs = next((f for f in feedback if f.author_id != user.pk), None)
    reveal = theirs is not None and theirs.visible
    return {
        "open": booking.is_active and now >= feedback_opens_at(booking),
        "mine": mine,
        "theirs": theirs if reveal else None,
        "theirs_waiting": theirs is not None and not reveal,
        "reveal_at": booking.ends_at + FEEDBACK_REVEAL_AFTER,
    }


@transaction.atomic
def booking_feedback_submit(
    *,
    booking: Booking,
    author,
    scores: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
    notes: str = "",
    now: dt.datetime | None = None,
) -> RubricFeedback:
    """Rubric feedback from one person of the booking about the other (the mocks app's
    feedback, keyed ``booking:<id>``; giving it again replaces it). Feedback about a
    candidate reports ``mock_completed`` tagged with the kind and ``peer`` for them."""
    now = now or timezone.now()
    if author.pk not in (booking.host_id, booking.guest_id):
        raise BookingError("This is not your booking.")
    if not booking.is_active:
        raise BookingError("This booking was cancelled.")
    if now < feedback_opens_at(booking):
        raise BookingError("Feedback opens half-way through the session.")
    subject = booking.other(author)
    if subject is None:
        raise BookingError("The other person deleted their account.")
    if NoShow.objects.filter(booking=booking, absent=subject).exists():
        raise BookingError("You reported a no-show for this booking.")
    feedback = mock_services.feedback_submit(
        author=author,
        subject=subject,
        kind=booking.kind,
        scores=scores,
        comments=comments,
        notes=notes,
        context_key=booking.key,
        reveal_at=booking.ends_at + FEEDBACK_REVEAL_AFTER,
        now=now,
    )
    if subject.pk in booking.candidates():
        progress.record(
            subject,
            key=f"{booking.key}:{subject.pk}",
            area=AREA_BY_KIND[booking.kind],
            kind="mock_completed",
            tags=(booking.kind, "peer"),
            occurred_at=min(now, booking.ends_at),
        )
    return feedback


@transaction.atomic
def no_show_report(*, booking: Booking, reporter, now: dt.datetime | None = None) -> NoShow:
    """Report that the other person did not come (after the start, once per reporter)."""
    now = now or timezone.now()
    if reporter.pk not in (booking.host_id, booking.guest_id):
        raise BookingError("This is not your booking.")
    if not booking.is_active:
        raise BookingError("This booking was cancelled.")
    if now < booking.starts_at:
        raise BookingError("A no-show can be reported once the session has started.")
    absent = booking.other(reporter)
    if absent is None:
        raise BookingError("The other person deleted their account.")
    report, _ = NoShow.objects.get_or_create(
        booking=booking, reporter=reporter, defaults={"absent": absent, "created_at": now}
    )
    return report


def block_create(*, blocker, blocked) -> Block:
    """``blocker`` will never be booked by ``blocked`` (nor see their slots) again.
    Bookings already made stay; cancel them if needed."""
    if blocker.pk == blocked.pk:
        raise BookingError("You cannot block yourself.")
    block, _ = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    return block


def block_delete(*, block: Block) -> None:
    block.delete()


# --------------------------------------------------------------------------- emails


def _local(when: dt.datetime, user) -> str:
    tz = safe_zone(getattr(getattr(user, "profile", None), "timezone", "UTC"))
    return when.astimezone(tz).strftime("%A %-d %B %Y, %H:%M") + f" ({tz.key})"


def invites_send(*, booking_id: int, method: str, sequence: int) -> int:
    """Email both people the invite (.ics attached) for ``booking_id``; returns how many
    emails went out. A request superseded by a later change is not sent (the later one
    will be)."""
    booking = (
        Booking.objects.select_related(
            "host__profile", "guest__profile", "host__booking_settings", "guest__booking_settings"
        )
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or booking.sequence != sequence:
        return 0
    sent = 0
    for user in (booking.host, booking.guest):
        if user is None:  # a deleted account
            continue
        prefs = getattr(user, "booking_settings", None)
        if prefs is not None and not prefs.invite_emails:
            continue
        other = booking.other(user)
        context = {
            "booking": booking,
            "user": user,
            "other": display_name(other),
            "when": _local(booking.starts_at, user),
            "url": invites.booking_url(booking),
            "cancelled": method == invites.CANCEL,
            "rescheduled": booking.sequence > 0 and method == invites.REQUEST,
        }
        subject = render_to_string("booking/email/invite_subject.txt", context).strip()
        text = render_to_string("booking/email/invite.txt", context)
        message = EmailMultiAlternatives(
            subject=f"{django_settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
            body=text,
            to=[user.email],
        )
        body = invites.booking_calendar(booking, method=method, for_user=user)
        message.attach("invite.ics", body, f"text/calendar; method={method}; charset=utf-8")
        message.send()
        sent += 1
    return sent


def reminders_due(*, now: dt.datetime | None = None) -> list[int]:
    """Create the reminders now due (24 h and 1 h before each active booking, for each
    person who wants reminders) and return the ids of those not sent and not claimed."""
    now = now or timezone.now()
    hour = REMINDER_OFFSETS[Reminder.Kind.HOUR]
    rows = []
    for kind, offset in REMINDER_OFFSETS.items():
        due = Booking.objects.active().filter(starts_at__gt=now, starts_at__lte=now + offset)
        if kind == Reminder.Kind.DAY:
            # Not when the 1-hour reminder is already due, nor for a booking made later
            # than 24 h before its start (its invite has just arrived).
            due = due.filter(starts_at__gt=now + hour, created_at__lte=F("starts_at") - offset)
        for booking in due.select_related("host__booking_settings", "guest__booking_settings"):
            for user in (booking.host, booking.guest):
                if user is None:
                    continue
                prefs = getattr(user, "booking_settings", None)
                if prefs is not None and not prefs.reminder_emails:
                    continue
                rows.append(
                    Reminder(
                        booking=booking, recipient=user, kind=kind, starts_at=booking.starts_at
                    )
                )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        Reminder.objects.filter(
            sent_at=None,
            booking__status=Booking.Status.BOOKED,
            booking__starts_at=F("starts_at"),
            starts_at__gt=now,
        )
        .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        .order_by("starts_at", "id")
        .values_list("pk", flat=True)
    )


def reminder_send(*, reminder_id: int, now: dt.datetime | None = None) -> bool:
    """Claim the reminder with a lease, send it, record it sent. A reminder claimed by a
    worker that died before recording it is claimable again once the lease expires.
    Returns whether an email went out."""
    now = now or timezone.now()
    claimed = (
        Reminder.objects.filter(pk=reminder_id, sent_at=None)
        .filter(Q(claimed_until=None) | Q(claimed_until__lt=now))
        .update(claimed_until=now + REMINDER_LEASE, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return False
    reminder = Reminder.objects.select_related(
        "booking__host", "booking__guest", "recipient__profile", "recipient__booking_settings"
    ).get(pk=reminder_id)
    booking = reminder.booking
    prefs = getattr(reminder.recipient, "booking_settings", None)
    if (
        not booking.is_active
        or booking.starts_at != reminder.starts_at
        or booking.starts_at <= now
        or (prefs is not None and not prefs.reminder_emails)
    ):
        reminder.delete()  # nothing to remind of any more
        return False
    _reminder_email(reminder).send()
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
    return True


def _reminder_email(reminder: Reminder) -> EmailMultiAlternatives:
    booking, user = reminder.booking, reminder.recipient
    unsubscribe = django_settings.SITE_URL.rstrip("/") + reverse(
        "booking:unsubscribe", args=[unsubscribe_token(user)]
    )
    context = {
        "booking": booking,
        "user": user,
        "other": display_name(booking.other(user)),
        "when": _local(booking.starts_at, user),
        "url": invites.booking_url(booking),
        "lead": reminder.get_kind_display(),
        "unsubscribe": unsubscribe,
    }
    subject = render_to_string("booking/email/reminder_subject.txt", context).strip()
    return EmailMultiAlternatives(
        subject=f"{django_settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string("booking/email/reminder.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
