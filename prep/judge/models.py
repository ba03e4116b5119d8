"""The judged ML coding bank (catalogue rows), submissions, daily attempts and re-solves."""

from django.conf import settings
from django.db import models

from prep.drills.models import Outcome


class Kind(models.TextChoices):
    PYTHON = "python", "Python / NumPy"
    SQL = "sql", "SQL"


class MLProblem(models.Model):
    """A judged problem (catalogue content from ``prep/judge/content``; the runnable spec
    is read from the same files by ``prep.judge.bank`` at judge time)."""

    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    difficulty = models.CharField(max_length=10)
    tags = models.JSONField(default=list)
    roles = models.JSONField(default=list)
    statement = models.TextField()
    starter = models.TextField()
    schema = models.TextField(blank=True)
    examples = models.JSONField(default=list)  # [{"show": …, "expected": …}] for the page
    hints = models.JSONField(default=list)
    editorial = models.TextField()
    sources = models.JSONField(default=list)
    version = models.CharField(max_length=32)
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"


class Submission(models.Model):
    """One Run (public examples) or Submit (everything) of some code, and its verdict."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ml_submissions"
    )
    problem = models.ForeignKey(MLProblem, on_delete=models.CASCADE, related_name="submissions")
    code = models.TextField()
    is_submit = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    verdict = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)  # per-test results, failure, error
    wall_ms = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "problem", "-created_at"], name="judge_sub_user_prob"),
            models.Index(fields=["user", "-created_at"], name="judge_sub_user_time"),
        ]

    @property
    def accepted(self) -> bool:
        return self.verdict == "accepted"


class HintView(models.Model):
    """A hint the user opened: a solve after it is a solve with help."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ml_hint_views"
    )
    problem = models.ForeignKey(MLProblem, on_delete=models.CASCADE, related_name="+")
    index = models.PositiveSmallIntegerField()
    viewed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "problem", "index"], name="judge_one_hint")
        ]


class MLAttempt(models.Model):
    """A day's submissions on a problem (the user's local day) as one attempt: clean,
    with help (hints or failed submissions first) or a miss. Derived from submissions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ml_attempts"
    )
    problem = models.ForeignKey(MLProblem, on_delete=models.CASCADE, related_name="attempts")
    day = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    submissions = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "problem", "day"], name="judge_one_attempt_a_day"
            )
        ]


class MLReviewState(models.Model):
    """The FSRS re-solve card of a problem (same rules as drills' ReviewState)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ml_reviews"
    )
    problem = models.ForeignKey(MLProblem, on_delete=models.CASCADE, related_name="reviews")
    due = models.DateTimeField()
    card = models.JSONField(default=dict)
    reviews = models.PositiveIntegerField(default=0)
    last_outcome = models.CharField(max_length=10, choices=Outcome.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "problem"], name="judge_one_review")]
        indexes = [models.Index(fields=["user", "due"], name="judge_rev_user_due")]
