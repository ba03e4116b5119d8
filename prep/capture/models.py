"""Capture: the overlay's API edge. A capture session is a transcript being recorded.

The transcript itself (segments, pins, phases) lives in prep.transcripts and is written
through its services; capture keeps who may record what (sessions, consent) and the
idempotency records that make session creation safe to retry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaptureSessionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class CaptureSession(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Recording"
        ENDED = "ended", "Ended"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="capture_sessions"
    )
    transcript = models.OneToOneField(
        "transcripts.Transcript", on_delete=models.CASCADE, related_name="capture_session"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # SET_NULL: a recorded peer mock outlives its booking's deletion.
    booking = models.ForeignKey(
        "booking.Booking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="capture_sessions",
    )
    solo_mock = models.ForeignKey(
        "mocks.SoloMock",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="capture_sessions",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CaptureSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"Capture session {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class IdempotencyRecord(models.Model):
    """A session creation made with an ``Idempotency-Key``: a retry returns the same session."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_digest = models.CharField(max_length=64)
    session = models.ForeignKey(CaptureSession, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="capture_idempotency_unique"),
        ]


class CaptureConsent(models.Model):
    """One person's consent to record one peer booking (both are needed)."""

    # CASCADE: a consent is to record one booking and means nothing without it.
    booking = models.ForeignKey(
        "booking.Booking", on_delete=models.CASCADE, related_name="capture_consents"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="capture_consents"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "user"], name="capture_consent_unique"),
        ]
