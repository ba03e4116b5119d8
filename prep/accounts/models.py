from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from curriculum.roles import ROLE_CHOICES
from prep.lib.localtime import local_day, zone

WEEKDAY_CHOICES = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
DEFAULT_PLAN_DAYS = 28


class Profile(models.Model):
    """What the plan is built from: role type, dates, time and place."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # How peers see this person (never their email); empty: people.default_name.
    display_name = models.CharField(max_length=60, blank=True)
    role = models.CharField(max_length=20, choices=ROLE_CHOICES, blank=True)
    interview_date = models.DateField(null=True, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    # Available weekdays as a sorted list of ints, 0 = Monday.
    weekdays = models.JSONField(default=list, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    target_companies = models.CharField(max_length=300, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    welcome_email_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekly_hours__gte=1) & models.Q(weekly_hours__lte=80),
                name="profile_weekly_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def is_onboarded(self) -> bool:
        return self.onboarded_at is not None

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zone(self.timezone)

    def local_today(self, now: dt.datetime | None = None) -> dt.date:
        return local_day(self.tzinfo, now).date

    @property
    def weekly_minutes(self) -> int:
        return self.weekly_hours * 60

    @property
    def role_name(self) -> str:
        return self.get_role_display() if self.role else ""

    @property
    def weekday_names(self) -> list[str]:
        names = dict(WEEKDAY_CHOICES)
        return [names[d] for d in sorted(self.weekdays)]

    @property
    def company_list(self) -> list[str]:
        return [c.strip() for c in self.target_companies.split(",") if c.strip()]


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token for the capture overlay (see prep/accounts/tokens.py).

    ``scope`` limits what it may do: ``capture`` (the default: record mocks — every capture
    route and its event stream) or ``read`` (GET requests only). ``expires_at``: refused
    from then on (null: until revoked).

    The plaintext is shown once at creation; only ``prefix`` (for lookup) and an
    HMAC-SHA256 of the whole token keyed by SECRET_KEY are stored.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )

    class Scope(models.TextChoices):
        CAPTURE = "capture", "Capture (record mocks; the default)"
        READ = "read", "Read only"

    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.CAPTURE)
    expires_at = models.DateTimeField(null=True, blank=True)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        from django.utils import timezone

        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    def allows(self, method: str) -> bool:
        """Whether this token may make a request with HTTP ``method``."""
        return self.scope == self.Scope.CAPTURE or method in ("GET", "HEAD", "OPTIONS")
