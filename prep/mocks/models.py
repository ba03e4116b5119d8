"""Mocks: the prompt bank and rubrics (global catalogue), solo mocks and rubric feedback.

Prompts and rubrics are loaded from prep/mocks/content by ``manage.py load_content``;
a content update changes them in place by slug (or kind) and never touches a user's
mocks or feedback. A prompt that leaves the content is retired, not deleted.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class MockKind(models.TextChoices):
    ML_SYSTEM_DESIGN = "ml_system_design", "ML system design"
    CODING = "coding", "Coding"
    BEHAVIORAL = "behavioral", "Behavioural"
    RESEARCH_DISCUSSION = "research_discussion", "Research discussion"
    BUSINESS_CASE = "business_case", "Business case"


#: The curriculum area a completed mock of each kind counts towards (ARCHITECTURE.md, vocabulary).
AREA_BY_KIND = {
    MockKind.ML_SYSTEM_DESIGN: "ml_system_design",
    MockKind.CODING: "coding",
    MockKind.BEHAVIORAL: "behavioral",
    MockKind.RESEARCH_DISCUSSION: "research",
    MockKind.BUSINESS_CASE: "business_case",
}

SCORE_LABELS = {
    1: "Strong no hire",
    2: "Leaning no hire",
    3: "Leaning hire",
    4: "Strong hire",
}


class Rubric(models.Model):
    """One per mock kind: its phases (for the timer) and its dimensions with signals 1-4.

    ``phases``: [{slug, title, minutes, cue}], ``dimensions``: [{slug, title, question,
    signals: {"1": ..., "4": ...}}], both in order.
    """

    kind = models.CharField(max_length=30, choices=MockKind.choices, unique=True)
    title = models.CharField(max_length=100)
    phases = models.JSONField(default=list)
    dimensions = models.JSONField(default=list)
    content_version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.title} rubric"

    @property
    def dimension_slugs(self) -> list[str]:
        return [d["slug"] for d in self.dimensions]

    @property
    def default_minutes(self) -> dict[str, int]:
        return {p["slug"]: int(p["minutes"]) for p in self.phases}


class PromptQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)


class Prompt(models.Model):
    """A mock prompt. ``interviewer_notes`` and ``checklist`` stay hidden until a mock ends."""

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=30, choices=MockKind.choices)
    title = models.CharField(max_length=200)
    brief = models.TextField(help_text="What the candidate is told.")
    tags = models.JSONField(default=list, blank=True)
    interviewer_notes = models.JSONField(
        default=dict, help_text="{probe: [...], follow_ups: [...], strong_answer: [...]}"
    )
    checklist = models.JSONField(default=list, help_text="What a strong answer covers.")
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "position", "id"]
        indexes = [models.Index(fields=["kind", "position"])]

    def __str__(self) -> str:
        return self.title


class SoloMockQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class SoloMock(models.Model):
    """A mock the user runs alone: a phase timer, notes per phase, then a self-score.

    The timer's state lives here (``phase_index``, ``phase_started_at``, ``minutes``), so a
    reload, another tab or another device shows the same clock.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "In progress"
        SCORING = "scoring", "Self-scoring"
        COMPLETED = "completed", "Completed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="solo_mocks"
    )
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="solo_mocks")
    kind = models.CharField(max_length=30, choices=MockKind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    phases = models.JSONField(
        default=list, help_text="The phases walked, copied from the rubric at the start."
    )
    minutes = models.JSONField(default=dict, help_text="{phase slug: planned minutes}")
    phase_index = models.PositiveSmallIntegerField(default=0)
    phase_started_at = models.DateTimeField(default=timezone.now)
    phase_log = models.JSONField(
        default=list, help_text="[{phase, started_at, ended_at}] for the phases already left."
    )
    checklist_covered = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When the timer stopped.")
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = SoloMockQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["user", "status", "started_at"])]

    def __str__(self) -> str:
        return f"Solo mock {self.pk} on {self.prompt_id}"

    @property
    def progress_key(self) -> str:
        return f"mocks:solo:{self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def current_phase(self) -> dict | None:
        if self.is_running and self.phase_index < len(self.phases):
            return self.phases[self.phase_index]
        return None

    @property
    def is_last_phase(self) -> bool:
        return self.phase_index >= len(self.phases) - 1

    def planned_seconds(self, slug: str) -> int:
        return int(self.minutes.get(slug, 0)) * 60

    def phase_rows(self, now: dt.datetime | None = None) -> list[dict]:
        """Each phase with its planned and spent seconds and its state (done/current/next)."""
        spent: dict[str, int] = {}
        for entry in self.phase_log:
            start = dt.datetime.fromisoformat(entry["started_at"])
            end = dt.datetime.fromisoformat(entry["ended_at"])
            spent[entry["phase"]] = spent.get(entry["phase"], 0) + int(
                (end - start).total_seconds()
            )
        rows = []
        for index, phase in enumerate(self.phases):
            slug = phase["slug"]
            if self.is_running and index == self.phase_index:
                state = "current"
                seconds = int(((now or timezone.now()) - self.phase_started_at).total_seconds())
                seconds += spent.get(slug, 0)
            else:
                if slug in spent:
                    state = "done"
                else:
                    state = "next" if self.is_running else "skipped"
                seconds = spent.get(slug, 0)
            planned = self.planned_seconds(slug)
            rows.append(
                {
                    **phase,
                    "index": index,
                    "state": state,
                    "planned_minutes": int(self.minutes.get(slug, 0)),
                    "spent_seconds": max(seconds, 0),
                    "over": planned > 0 and seconds > planned,
                }
            )
        return rows


class PhaseNote(models.Model):
    """The notes a user types during one phase of a solo mock (autosaved)."""

    mock = models.ForeignKey(SoloMock, on_delete=models.CASCADE, related_name="notes")
    phase = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mock", "phase"], name="mocks_phase_note_unique")
        ]


class RubricFeedbackQuerySet(models.QuerySet):
    def visible_to(self, user, *, now: dt.datetime | None = None):
        """The feedback ``user`` may read (see ``feedback_visible_q``)."""
        return self.filter(feedback_visible_q(user, now=now))

    def exported_for(self, user):
        """What the data export carries (prep/accounts/data.py): what ``user`` may read."""
        return self.visible_to(user)

    def with_visibility(self, user, *, now: dt.datetime | None = None):
        """Each row annotated ``visible``: whether ``user`` may read it."""
        return self.annotate(
            visible=models.ExpressionWrapper(
                feedback_visible_q(user, now=now), output_field=models.BooleanField()
            )
        )


def feedback_visible_q(user, *, now: dt.datetime | None = None) -> models.Q:
    """THE reveal rule, the one place that decides who may read a feedback.

    Its author always may. Its subject may once ``reveal_at`` has passed (null: at once, as
    for a self-score), or as soon as they have given their own feedback under the same
    context key (both people of a booking have submitted). Nobody else ever may. Every page,
    fragment, export and score that shows feedback reads through this rule.
    """
    now = now or timezone.now()
    theirs_given = RubricFeedback.objects.filter(
        author=user, context_key=models.OuterRef("context_key")
    ).exclude(context_key="")
    revealed = (
        models.Q(reveal_at__isnull=True)
        | models.Q(reveal_at__lte=now)
        | models.Q(models.Exists(theirs_given))
    )
    return models.Q(author=user) | (models.Q(subject=user) & revealed)


class RubricFeedback(models.Model):
    """Rubric feedback from ``author`` about ``subject`` for one mock.

    One model for both uses: a solo self-score (author == subject, ``solo_mock`` set) and
    peer feedback after a booking (``context_key`` such as ``"booking:12"``). At most one
    feedback per author per solo mock and per author per context key; submitting again
    replaces the scores. Written only through ``services.feedback_submit``.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_given"
    )
    # null: the subject deleted their account; the author keeps what they wrote.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="feedback_received",
    )
    kind = models.CharField(max_length=30, choices=MockKind.choices)
    solo_mock = models.ForeignKey(
        SoloMock, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    context_key = models.CharField(
        max_length=100, blank=True, help_text='What else it is about, e.g. "booking:12".'
    )
    notes = models.TextField(blank=True)
    # When the subject may read it without having given their own (null: at once). Peer
    # feedback of a booking: the booking's end plus the booking app's reveal delay.
    reveal_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RubricFeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "solo_mock"],
                condition=models.Q(solo_mock__isnull=False),
                name="mocks_feedback_one_per_solo_mock",
            ),
            models.UniqueConstraint(
                fields=["author", "context_key"],
                condition=~models.Q(context_key=""),
                name="mocks_feedback_one_per_context",
            ),
        ]
        indexes = [models.Index(fields=["subject", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} feedback {self.pk}"

    @property
    def is_self_score(self) -> bool:
        return self.author_id == self.subject_id


class DimensionScore(models.Model):
    """One rubric dimension of a feedback: a score on the 1-4 scale and a comment."""

    feedback = models.ForeignKey(RubricFeedback, on_delete=models.CASCADE, related_name="scores")
    dimension = models.CharField(max_length=40)
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "dimension"], name="mocks_score_one_per_dimension"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=4), name="mocks_score_1_to_4"
            ),
        ]

    @property
    def label(self) -> str:
        return SCORE_LABELS.get(self.score, "")
