"""Drills: the problem bank (global catalogue plus each user's custom problems),
attempts, running timers and the FSRS re-solve schedule."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class Outcome(models.TextChoices):
    CLEAN = "clean", "Solved clean"
    HINTS = "hints", "Solved with hints"
    FAILED = "failed", "Not solved"


SOLVED_OUTCOMES = (Outcome.CLEAN, Outcome.HINTS)


class Language(models.TextChoices):
    PYTHON = "python", "Python"
    JAVA = "java", "Java"
    CPP = "cpp", "C++"
    JAVASCRIPT = "javascript", "JavaScript"
    TYPESCRIPT = "typescript", "TypeScript"
    GO = "go", "Go"
    RUST = "rust", "Rust"
    KOTLIN = "kotlin", "Kotlin"
    CSHARP = "csharp", "C#"
    SWIFT = "swift", "Swift"
    SQL = "sql", "SQL"
    OTHER = "other", "Other"


class Pattern(models.Model):
    """An algorithmic pattern; its slug is the tag the curriculum's completion rules match."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class ProblemList(models.Model):
    """A public problem list (Blind 75, NeetCode 150, Grind 75)."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalogue plus the user's own custom problems."""
        return self.filter(Q(owner__isnull=True) | Q(owner=user))


class Problem(models.Model):
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=300, blank=True)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    premium = models.BooleanField(default=False)
    patterns = models.ManyToManyField(Pattern, related_name="problems")
    lists = models.ManyToManyField(ProblemList, related_name="problems", blank=True)
    # None for catalogue content; the author for a custom problem (visible to them only).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drill_problems",
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(owner__isnull=True), name="drills_catalogue_slug"
            ),
            models.UniqueConstraint(
                fields=["owner", "slug"], condition=Q(owner__isnull=False), name="drills_own_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_custom(self) -> bool:
        return self.owner_id is not None


class Attempt(models.Model):
    """One logged try at a problem."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drill_attempts"
    )
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField()
    minutes = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(600)])
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    confidence = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], default=3
    )
    language = models.CharField(max_length=20, choices=Language.choices, default=Language.PYTHON)
    notes = models.TextField(blank=True)
    code = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-finished_at", "-id"]
        indexes = [
            models.Index(fields=["user", "problem", "finished_at"], name="drills_att_user_prob"),
            models.Index(fields=["user", "-finished_at"], name="drills_att_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.problem} · {self.get_outcome_display()}"

    @property
    def solved(self) -> bool:
        return self.outcome in SOLVED_OUTCOMES


class Timer(models.Model):
    """A running timed attempt: the start time lives here, on the server."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drill_timers"
    )
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "problem"], name="drills_one_timer"),
        ]


class ReviewState(models.Model):
    """The FSRS card of a problem the user has not (yet) solved cleanly every time.

    Derived data: rebuilt from the user's attempts at the problem whenever they change.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drill_reviews"
    )
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="reviews")
    due = models.DateTimeField()
    card = models.JSONField(default=dict)
    reviews = models.PositiveIntegerField(default=0)
    last_outcome = models.CharField(max_length=10, choices=Outcome.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "problem"], name="drills_one_review"),
        ]
        indexes = [models.Index(fields=["user", "due"], name="drills_rev_user_due")]
