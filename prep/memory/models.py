"""Per-user FSRS parameters: the set in use for each kind of review, every version a user
has adopted, and each optimisation run (with its progress, shown while it runs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    FLASHCARDS = "flashcards", "Flashcards"
    DRILLS = "drills", "Problem re-solves"


class MemoryProfile(models.Model):
    """What one user's scheduler uses for one kind: ``parameters`` null means the FSRS
    defaults (version 0)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memory_profiles"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    parameters = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    # Consent to re-optimise every night (adopted only when strictly better on held-out reviews).
    nightly = models.BooleanField(default=False)
    # Usable reviews at the last finished optimisation: it is offered again as history grows.
    reviews_at_last_run = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="memory_profile_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} v{self.version}"


class ParameterVersion(models.Model):
    """A parameter set the user adopted (or went back to): the history they can return to."""

    class Origin(models.TextChoices):
        OPTIMISED = "optimised", "Optimised"
        NIGHTLY = "nightly", "Optimised overnight"
        RESTORED = "restored", "Went back"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memory_versions"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    number = models.PositiveIntegerField()
    parameters = models.JSONField(null=True, blank=True)  # null: the FSRS defaults
    origin = models.CharField(max_length=10, choices=Origin.choices)
    # How the set scored against the one it replaced (empty for a restore).
    metrics = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "number"], name="memory_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} v{self.number}"


class Optimisation(models.Model):
    """One optimiser run, queued by a request and carried out by a Celery task."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memory_runs"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=200, default="Waiting for a worker")
    nightly = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    test_reviews = models.PositiveIntegerField(default=0)
    current = models.JSONField(null=True, blank=True)  # the parameters compared against
    current_version = models.PositiveIntegerField(default=0)
    candidate = models.JSONField(null=True, blank=True)
    logloss_current = models.FloatField(null=True, blank=True)
    rmse_current = models.FloatField(null=True, blank=True)
    logloss_candidate = models.FloatField(null=True, blank=True)
    rmse_candidate = models.FloatField(null=True, blank=True)
    message = models.TextField(blank=True)
    adopted = models.ForeignKey(
        ParameterVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(status__in=["queued", "running"]),
                name="memory_one_run_at_a_time",
            ),
        ]
        indexes = [models.Index(fields=["user", "kind", "-created_at"], name="memory_run_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.status} {self.progress}%"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def better(self) -> bool:
        return (
            self.status == self.Status.DONE
            and self.logloss_candidate is not None
            and self.logloss_current is not None
            and self.logloss_candidate < self.logloss_current
        )
