"""Booking: availability windows, the slots they give, bookings and their participants.

Times are stored in UTC. A window keeps the wall-clock times and the timezone it was
published in, so its slots land at the same local time on both sides of a
daylight-saving change. Each booking has one ``Participant`` row per person (host and
guest): on PostgreSQL an exclusion constraint over those rows (created in migration 0002)
is what makes two overlapping active bookings for one person impossible.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_tz

from prep.lib.localtime import zone
from prep.mocks.models import MockKind, Prompt

#: Slot length offered by default for each mock kind (minutes).
DEFAULT_MINUTES = {
    MockKind.ML_SYSTEM_DESIGN: 60,
    MockKind.CODING: 45,
    MockKind.BEHAVIORAL: 45,
    MockKind.RESEARCH_DISCUSSION: 45,
    MockKind.BUSINESS_CASE: 45,
}
MINUTES_CHOICES = [(30, "30 minutes"), (45, "45 minutes"), (60, "60 minutes"),
                   (90, "90 minutes"), (120, "120 minutes")]  # fmt: skip


def new_token() -> str:
    return secrets.token_urlsafe(24)


safe_zone = zone  # the one timezone-name rule (prep.lib.localtime)


class BookingSettings(models.Model):
    """Per-user booking preferences: meeting link, emails, the private invite link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_settings"
    )
    meeting_url = models.URLField(
        blank=True, max_length=300, help_text="Your video-call link, shown to your guests."
    )
    invite_emails = models.BooleanField(default=True, help_text="Email me invites with a .ics.")
    reminder_emails = models.BooleanField(
        default=True, help_text="Email me reminders 24 hours and 1 hour before a mock."
    )
    invite_token = models.CharField(max_length=64, unique=True, default=new_token)
    slots_synced_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Booking settings of {self.user}"


class Window(models.Model):
    """Availability: a weekly window (``weekday`` set) or a one-off window (``date`` set),
    in wall-clock time of ``timezone``. Slots of ``minutes`` are cut from it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_windows"
    )
    kind = models.CharField(max_length=30, choices=MockKind.choices)
    weekday = models.PositiveSmallIntegerField(null=True, blank=True)  # 0 = Monday
    date = models.DateField(null=True, blank=True)
    start_time = models.TimeField()
    end_time = models.TimeField()
    timezone = models.CharField(max_length=64)
    minutes = models.PositiveSmallIntegerField(default=60)
    offers_swap = models.BooleanField(
        default=True, help_text="Swap halves: you interview your guest, then they interview you."
    )
    listed = models.BooleanField(
        default=True, help_text="Show these slots to everyone (otherwise only by your link)."
    )
    created_at = models.DateTimeField(default=dj_tz.now)

    class Meta:
        ordering = ["weekday", "date", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(weekday__isnull=False, date__isnull=True, weekday__lte=6))
                | models.Q(weekday__isnull=True, date__isnull=False),
                name="booking_window_weekly_or_once",
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="booking_window_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} window of {self.user_id}"

    @property
    def is_weekly(self) -> bool:
        return self.weekday is not None

    @property
    def weekday_name(self) -> str:
        names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        return names[self.weekday] if self.weekday is not None else ""

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return safe_zone(self.timezone)


class SlotQuerySet(models.QuerySet):
    def future(self, now: dt.datetime | None = None):
        return self.filter(starts_at__gt=now or dj_tz.now())


class Slot(models.Model):
    """A bookable interval of a host, cut from one of their windows."""

    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_slots"
    )
    window = models.ForeignKey(
        Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots"
    )
    kind = models.CharField(max_length=30, choices=MockKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    offers_swap = models.BooleanField(default=True)
    listed = models.BooleanField(default=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["host", "kind", "starts_at"], name="booking_slot_unique_per_host"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_slot_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["kind", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} slot {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class BookingQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(models.Q(host=user) | models.Q(guest=user))

    def active(self):
        return self.filter(status=Booking.Status.BOOKED)


class Booking(models.Model):
    """A slot booked by a guest. ``uid`` and ``sequence`` are the invite's iCalendar
    identity: the UID never changes, the sequence rises on every change."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    # A deleted account leaves its bookings to the other person (null here), with their
    # feedback and no-show reports (services.bookings_on_account_delete).
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="bookings_hosted",
    )
    guest = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="bookings_as_guest",
    )
    kind = models.CharField(max_length=30, choices=MockKind.choices)
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="+")
    swap_prompt = models.ForeignKey(
        Prompt, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    swap = models.BooleanField(default=False)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    meeting_url = models.URLField(blank=True, max_length=300)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    idempotency_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=dj_tz.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.CharField(max_length=500, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            # A slot holds at most one active booking.
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(status="booked"),
                name="booking_one_active_per_slot",
            ),
            models.UniqueConstraint(
                fields=["guest", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="booking_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(host=models.F("guest")), name="booking_not_with_self"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["host", "starts_at"]),
            models.Index(fields=["guest", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk}"

    @property
    def key(self) -> str:
        return f"booking:{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.BOOKED

    def is_over(self, now: dt.datetime | None = None) -> bool:
        return (now or dj_tz.now()) >= self.ends_at

    def other(self, user):
        return self.guest if user.pk == self.host_id else self.host

    def role_of(self, user) -> str:
        return "host" if user.pk == self.host_id else "guest"

    @property
    def orphaned(self) -> bool:
        """One of the two people deleted their account."""
        return self.host_id is None or self.guest_id is None

    @property
    def participant_ids(self) -> list[int]:
        return [self.host_id, self.guest_id]

    def candidates(self) -> list[int]:
        """Who is interviewed: the guest, and the host too when they swap halves."""
        return [self.guest_id, self.host_id] if self.swap else [self.guest_id]

    @property
    def half_at(self) -> dt.datetime:
        return self.starts_at + (self.ends_at - self.starts_at) / 2


class Participant(models.Model):
    """One person's hold on a time interval through a booking (host or guest)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_holds"
    )
    role = models.CharField(max_length=5, choices=[("host", "Host"), ("guest", "Guest")])
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "user"], name="booking_participant_once"),
        ]
        indexes = [models.Index(fields=["user", "active", "starts_at"])]


class Block(models.Model):
    """``blocker`` never wants to be booked by (or book with) ``blocked`` again."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_tz.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="booking_block_once")
        ]


class NoShow(models.Model):
    """``reporter`` says ``absent`` did not come to ``booking``."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="no_shows")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    absent = models.ForeignKey(  # null: the absent person deleted their account
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="booking_no_shows",
    )
    created_at = models.DateTimeField(default=dj_tz.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "reporter"], name="booking_no_show_once")
        ]


class Reminder(models.Model):
    """A reminder email for one recipient of one booking: claimed with a lease, then sent."""

    class Kind(models.TextChoices):
        DAY = "24h", "24 hours before"
        HOUR = "1h", "1 hour before"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=3, choices=Kind.choices)
    starts_at = models.DateTimeField(help_text="The booking start this reminder is about.")
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=dj_tz.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "recipient", "starts_at"], name="booking_reminder_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "claimed_until"])]


#: How long before offsets for each reminder kind.
REMINDER_OFFSETS = {
    Reminder.Kind.DAY: dt.timedelta(hours=24),
    Reminder.Kind.HOUR: dt.timedelta(hours=1),
}
