"""Reads of the judge app (each a fixed number of queries)."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Subquery

from prep.memory.resolves import Figures
from prep.memory.resolves import figures as resolve_figures

from .models import MLAttempt, MLProblem, MLReviewState, Submission


def problem_list(*, user, kind: str = ""):
    problems = MLProblem.objects.filter(retired_at=None)
    if kind:
        problems = problems.filter(kind=kind)
    solved = MLAttempt.objects.filter(
        user=user, problem=OuterRef("pk"), outcome__in=("clean", "hints")
    )
    tried = MLAttempt.objects.filter(user=user, problem=OuterRef("pk"))
    return problems.annotate(solved=Exists(solved), tried=Exists(tried)).only(
        "slug", "kind", "title", "difficulty", "tags", "roles", "position"
    )


def problem_page(*, user, problem: MLProblem) -> dict:
    submissions = list(
        Submission.objects.filter(user=user, problem=problem).order_by("-created_at", "-id")[:10]
    )
    review = MLReviewState.objects.filter(user=user, problem=problem).first()
    attempts = list(MLAttempt.objects.filter(user=user, problem=problem).order_by("-day")[:10])
    return {"submissions": submissions, "review": review, "attempts": attempts}


def resolves(*, user, limit: int = 50) -> list:
    """The user's re-solve schedule, soonest first (one query)."""
    return list(
        MLReviewState.objects.filter(user=user)
        .select_related("problem")
        .only("due", "last_outcome", "reviews", "problem__slug", "problem__title")
        .order_by("due", "problem__position")[:limit]
    )


def resolves_due(user, *, now, tz) -> list:
    """The judged problems due for a re-solve today or overdue, soonest first, with their
    problem (one query; a user has few): the dashboard's ML coding re-solve entry."""
    from prep.lib.localtime import local_day

    return list(
        MLReviewState.objects.filter(user=user, due__lt=local_day(tz, now).end)
        .select_related("problem")
        .only("due", "problem__slug", "problem__title")
        .order_by("due", "problem__position")
    )


def dashboard_figures(user, *, now, tz, limit: int = 3, recent: int = 20) -> Figures:
    """``resolves_due`` (the first ``limit`` as (title, slug), and how many) and
    ``ml_coding_evidence`` in one statement, for the dashboard, which shows both on every
    view (``prep.memory.resolves.figures``)."""
    from prep.lib.localtime import local_day

    return resolve_figures(
        state_model=MLReviewState,
        attempt_model=MLAttempt,
        newest=("day", "id"),
        solved_outcomes=("clean", "hints"),
        user_id=user.pk,
        day_end=local_day(tz, now).end,
        limit=limit,
        recent=recent,
    )


def ml_coding_evidence(user, *, recent: int = 20) -> tuple[int, list[str]]:
    """(distinct problems solved clean or with help, outcomes of the last ``recent`` daily
    attempts, newest first): what readiness weighs for ML coding. One query: the solved count
    rides on each of the recent rows (a user without attempts has solved none)."""
    solved = (
        MLAttempt.objects.filter(user=user, outcome__in=("clean", "hints"))
        .order_by()
        .values("user")
        .annotate(n=Count("problem_id", distinct=True))
        .values("n")
    )
    rows = list(
        MLAttempt.objects.filter(user=user)
        .order_by("-day", "-id")
        .annotate(solved=Subquery(solved))
        .values_list("outcome", "solved")[: max(1, recent)]
    )
    solved_count = (rows[0][1] or 0) if rows else 0
    return solved_count, [outcome for outcome, _ in rows[:recent]]
