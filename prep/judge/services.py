"""Writes of the judge app: submissions, their verdicts, daily attempts and re-solves."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from curriculum import progress
from prep.drills.models import SOLVED_OUTCOMES, Outcome
from prep.drills.services import outcome_rating
from prep.lib.localtime import day_of
from prep.memory.resolves import Resolves

from . import bank
from .models import HintView, MLAttempt, MLProblem, MLReviewState, Status, Submission
from .runner import MAX_CODE_BYTES, judge

AREA = "ml_coding"


class JudgeError(Exception):
    """A submission refused before it runs; the message is for the user."""


def _tz(user):
    profile = getattr(user, "profile", None)
    return profile.tzinfo if profile is not None else dt.UTC


@transaction.atomic
def submission_create(
    *, user, problem: MLProblem, code: str, is_submit: bool, now: dt.datetime | None = None
) -> Submission:
    """Store a Run or Submit as queued and hand it to the judge queue after commit.
    Refused: code over the size limit, or more than JUDGE_RATE_PER_MINUTE in a minute."""
    now = now or timezone.now()
    if not code.strip():
        raise JudgeError("There is no code to run.")
    if len(code.encode()) > MAX_CODE_BYTES:
        raise JudgeError(f"Your code is over {MAX_CODE_BYTES // 1024} KB; shorten it to run it.")
    per_minute = settings.JUDGE_RATE_PER_MINUTE
    recent = list(
        Submission.objects.filter(user=user, created_at__gt=now - dt.timedelta(minutes=1))
        .order_by("created_at")
        .values_list("created_at", flat=True)[:per_minute]
    )
    if len(recent) >= per_minute:
        wait = max(1, int((recent[0] + dt.timedelta(minutes=1) - now).total_seconds()) + 1)
        raise JudgeError(
            f"You can run or submit {per_minute} times a minute; try again in {wait} s."
        )
    submission = Submission.objects.create(
        user=user, problem=problem, code=code, is_submit=is_submit, created_at=now
    )
    from .tasks import judge_submission

    judge_submission.delay_on_commit(submission.pk)
    return submission


def submission_judge(*, submission_id: int, now=None) -> Submission | None:
    """Judge a queued submission once (claimed by a conditional update), store its verdict
    and, for a Submit, refresh the day's attempt. Idempotent."""
    claimed = Submission.objects.filter(pk=submission_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now or timezone.now()
    )
    if claimed != 1:
        return None
    submission = Submission.objects.select_related("problem", "user").get(pk=submission_id)
    problem = bank.by_slug(submission.problem.slug)
    if problem is None:
        from .runner import Verdict

        verdict = Verdict("judge_error", message="This problem is no longer in the bank.")
    else:
        verdict = judge(code=submission.code, spec=problem.spec, submit=submission.is_submit)
    return submission_finish(submission=submission, verdict=verdict, now=now)


STUCK_AFTER = dt.timedelta(minutes=3)


def submissions_requeue_stuck(*, now: dt.datetime | None = None) -> int:
    """Put back on the queue what a lost worker left running (a judge run takes seconds;
    the task's hard limit is 90 s), or what never reached a worker; returns how many."""
    now = now or timezone.now()
    stuck = list(
        Submission.objects.filter(
            Q(status=Status.RUNNING, started_at__lt=now - STUCK_AFTER)
            | Q(status=Status.QUEUED, created_at__lt=now - STUCK_AFTER)
        ).values_list("pk", flat=True)[:500]
    )
    from .tasks import judge_submission

    for pk in stuck:
        if (
            Submission.objects.filter(pk=pk)
            .exclude(status=Status.DONE)
            .update(status=Status.QUEUED)
        ):
            judge_submission.delay_on_commit(pk)
    return len(stuck)


@transaction.atomic
def submission_finish(*, submission: Submission, verdict, now=None) -> Submission:
    submission.status = Status.DONE
    submission.verdict = verdict.verdict
    submission.message = verdict.message
    submission.result = verdict.as_dict()
    submission.wall_ms = verdict.wall_ms
    submission.finished_at = now or timezone.now()
    submission.save(
        update_fields=["status", "verdict", "message", "result", "wall_ms", "finished_at"]
    )
    if submission.is_submit and verdict.verdict != "judge_error":
        day = submission.created_at.astimezone(_tz(submission.user)).date()
        attempt_refresh(user=submission.user, problem=submission.problem, day=day)
    return submission


@transaction.atomic
def hint_reveal(*, user, problem: MLProblem, index: int, now=None) -> None:
    """Record that a hint was opened (a later solve that day counts as with help)."""
    if not 0 <= index < len(problem.hints):
        raise JudgeError("There is no such hint.")
    HintView.objects.get_or_create(
        user=user, problem=problem, index=index, defaults={"viewed_at": now or timezone.now()}
    )


def _outcome(submits: list[Submission], hints: list[HintView]) -> str:
    accepted = next((s for s in submits if s.accepted), None)
    if accepted is None:
        return Outcome.FAILED
    failed_before = any(not s.accepted for s in submits if s.created_at < accepted.created_at)
    hinted_before = any(h.viewed_at <= accepted.created_at for h in hints)
    return Outcome.HINTS if failed_before or hinted_before else Outcome.CLEAN


@transaction.atomic
def attempt_refresh(*, user, problem: MLProblem, day: dt.date) -> MLAttempt | None:
    """Rebuild the day's attempt from that day's judged Submits (judge errors do not
    count) and hints, report it through the progress seam, and rebuild the re-solve card.

    Clean = accepted with no failed Submit and no hint before it; with help = accepted
    after either; a miss = no acceptance that day."""
    bounds = day_of(day, _tz(user))
    start, end = bounds.start, bounds.end
    submits = list(
        Submission.objects.filter(
            user=user,
            problem=problem,
            is_submit=True,
            status=Status.DONE,
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(verdict="judge_error")
        .order_by("created_at", "id")
    )
    if not submits:
        return None
    hints = list(HintView.objects.filter(user=user, problem=problem, viewed_at__lt=end))
    attempt, _ = MLAttempt.objects.update_or_create(
        user=user,
        problem=problem,
        day=day,
        defaults={
            "outcome": _outcome(submits, hints),
            "submissions": len(submits),
            "first_at": submits[0].created_at,
            "last_at": submits[-1].created_at,
        },
    )
    tags = (problem.kind, problem.difficulty, *problem.tags)
    progress.record(
        user,
        key=f"judge:attempt:{attempt.pk}",
        area=AREA,
        kind="ml_problem_attempted",
        tags=tags,
        occurred_at=attempt.first_at,
    )
    first_solve = (
        MLAttempt.objects.filter(user=user, problem=problem, outcome__in=SOLVED_OUTCOMES)
        .order_by("day")
        .first()
    )
    if first_solve is not None:
        progress.record(
            user,
            key=f"judge:solved:{problem.pk}",
            area=AREA,
            kind="ml_problem_solved",
            tags=tags,
            occurred_at=first_solve.last_at,
        )
    review_rebuild(user=user, problem=problem)
    return attempt


RESOLVES = Resolves(
    attempts=lambda user: (
        MLAttempt.objects.filter(user=user)
        .only("pk", "problem_id", "last_at", "outcome")
        .order_by("problem_id", "day", "id")
    ),
    at=lambda attempt: attempt.last_at,
    rating=lambda attempt: outcome_rating(attempt.outcome),
    state_model=MLReviewState,
)


def review_rebuild(*, user, problem: MLProblem, scheduler=None) -> MLReviewState | None:
    """The drills re-solve rule (``prep.memory.resolves``): a problem enters the FSRS
    schedule at its first daily attempt that is not clean; from there every daily attempt
    is a review (miss → Again, with help → Hard, clean → Good) at its last Submit, with the
    user's "problem re-solves" parameters, the ones drills use."""
    attempts = list(MLAttempt.objects.filter(user=user, problem=problem).order_by("day", "id"))
    return RESOLVES.rebuild(user=user, problem=problem, attempts=attempts, scheduler=scheduler)
