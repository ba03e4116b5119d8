"""Curriculum state: the catalogue of modules, each user's plan, and their progress."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


class ModuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)


class Module(models.Model):
    """A schedulable unit of the curriculum, loaded from curriculum/content (global)."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    kind = models.CharField(max_length=20)
    area = models.CharField(max_length=30)
    minutes = models.PositiveIntegerField()
    roles = models.JSONField(default=list)
    week = models.PositiveSmallIntegerField()
    priority = models.PositiveSmallIntegerField()
    prerequisites = models.JSONField(default=list)
    url_name = models.CharField(max_length=80)
    url_query = models.CharField(max_length=200, blank=True)
    completion = models.JSONField(default=dict)
    position = models.PositiveIntegerField(default=0)
    content_version = models.PositiveIntegerField(default=1)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.title

    @property
    def area_name(self) -> str:
        from curriculum.roles import AREA_NAMES

        return AREA_NAMES.get(self.area, self.area)

    @property
    def checklist_items(self) -> list[str]:
        if self.completion.get("type") == "checklist":
            return list(self.completion.get("items", []))
        return []


class ContentState(models.Model):
    """Which version (and checksum) of the curriculum content is loaded."""

    name = models.CharField(max_length=50, unique=True)
    version = models.PositiveIntegerField()
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Plan(models.Model):
    """A user's plan and the inputs it was built from (a copy, so curriculum needs no app)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan"
    )
    role = models.CharField(max_length=20)
    start = models.DateField()
    interview = models.DateField()
    weekly_minutes = models.PositiveIntegerField()
    weekdays = models.JSONField(default=list)
    timezone = models.CharField(max_length=64, default="UTC")
    planned_on = models.DateField(help_text="The local date the plan was last (re)built for.")
    rebuilt_at = models.DateTimeField(auto_now=True)
    content_checksum = models.CharField(max_length=64, blank=True)
    unscheduled = models.JSONField(default=list, blank=True)
    notice = models.JSONField(default=dict, blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    def __str__(self) -> str:
        return f"Plan of {self.user}"


class PlanItemQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class PlanItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "To do"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    minutes = models.PositiveIntegerField()
    session_index = models.PositiveSmallIntegerField(default=1)
    session_count = models.PositiveSmallIntegerField(default=1)
    week = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    done_at = models.DateTimeField(null=True, blank=True)
    auto_done = models.BooleanField(default=False, help_text="Completed by progress reports.")
    not_before = models.DateField(null=True, blank=True, help_text="Snoozed until.")

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["user", "date"]), models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return f"{self.module} on {self.date}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class DayOff(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="dayoff_unique_per_user")
        ]


class ChecklistTick(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    index = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "index"], name="checklist_tick_unique"
            )
        ]


class ProgressEvent(models.Model):
    """An activity reported by an app through curriculum.progress (idempotent by key)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=30)
    area = models.CharField(max_length=30)
    tags = models.JSONField(default=list)
    amount = models.IntegerField(default=1)
    occurred_at = models.DateTimeField()
    retracted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="progress_event_key_unique")
        ]
        indexes = [models.Index(fields=["user", "kind"])]


class ModuleProgress(models.Model):
    """How far a user's progress events take a module's completion rule."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    done = models.PositiveIntegerField(default=0)
    target = models.PositiveIntegerField(default=1)
    complete = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="module_progress_unique")
        ]

    @property
    def shown_done(self) -> int:
        """``done`` counts every matching report; shown capped at the target ("3 / 3")."""
        return min(self.done, self.target)


class FixedEvent(models.Model):
    """Something booked at a fixed time (a peer mock): never moved, reserved in the plan."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    url = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="fixed_event_key_unique")
        ]


class Reservation(models.Model):
    """Minutes an app reserves on a day (e.g. the forecast flashcard review load)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=50)
    date = models.DateField()
    minutes = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "source", "date"], name="reservation_unique")
        ]
