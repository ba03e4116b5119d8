"""The judge reads other apps compose (the dashboard's ML coding re-solves, readiness's ML
coding evidence): their rules are tested here, with their owner."""

import datetime as dt
import zoneinfo

import pytest

from prep.judge import selectors
from prep.judge.models import MLAttempt, MLProblem, MLReviewState

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NOW = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)  # 21:00 in Tokyo


def test_resolves_due_are_those_due_before_the_local_day_ends_soonest_first(alice, bob):
    problems = list(MLProblem.objects.order_by("position", "id")[:4])
    offsets = [2, -30, 3, 5]  # hours from NOW; Tokyo's day ends 3 hours after NOW
    for problem, hours in zip(problems, offsets, strict=True):
        MLReviewState.objects.create(
            user=alice, problem=problem, due=NOW + dt.timedelta(hours=hours), last_outcome="hints"
        )
    MLReviewState.objects.create(user=bob, problem=problems[0], due=NOW, last_outcome="hints")
    due = selectors.resolves_due(alice, now=NOW, tz=TOKYO)
    assert [r.problem for r in due] == [problems[1], problems[0]]
    # The same instant is still early on 9 March in UTC: the day ends 12 hours later.
    assert len(selectors.resolves_due(alice, now=NOW, tz=dt.UTC)) == 4


def test_ml_coding_evidence_counts_distinct_problems_solved_and_the_latest_outcomes(alice, bob):
    one, two, three = MLProblem.objects.order_by("position", "id")[:3]
    days = [(one, "failed"), (one, "clean"), (two, "hints"), (three, "failed")]
    for n, (problem, outcome) in enumerate(days):
        MLAttempt.objects.create(
            user=alice,
            problem=problem,
            day=NOW.date() + dt.timedelta(days=n),
            outcome=outcome,
            submissions=1,
            first_at=NOW,
            last_at=NOW,
        )
    MLAttempt.objects.create(
        user=bob, problem=three, day=NOW.date(), outcome="clean", first_at=NOW, last_at=NOW
    )
    solved, recent = selectors.ml_coding_evidence(alice, recent=3)
    assert solved == 2  # "one" counts once, "two" with help; "three" only by bob
    assert recent == ["failed", "hints", "clean"]  # newest day first


@pytest.mark.parametrize("tz", [TOKYO, dt.UTC], ids=["tokyo", "utc"])
def test_dashboard_figures_say_what_resolves_due_and_ml_coding_evidence_say(alice, bob, tz):
    """The dashboard's one statement (prep.memory.resolves.figures) against the two reads it
    stands for, on the same rows."""
    problems = list(MLProblem.objects.order_by("position", "id")[:5])
    for problem, hours in zip(problems, [2, -30, 3, 5, 2], strict=True):
        MLReviewState.objects.create(
            user=alice, problem=problem, due=NOW + dt.timedelta(hours=hours), last_outcome="hints"
        )
    MLReviewState.objects.create(user=bob, problem=problems[0], due=NOW, last_outcome="hints")
    for n, outcome in enumerate(["failed", "clean", "hints", "failed", "clean"]):
        MLAttempt.objects.create(
            user=alice,
            problem=problems[n % 3],
            day=NOW.date() + dt.timedelta(days=n // 2),  # two a day: the id decides
            outcome=outcome,
            first_at=NOW,
            last_at=NOW,
        )
    MLAttempt.objects.create(
        user=bob, problem=problems[4], day=NOW.date(), outcome="clean", first_at=NOW, last_at=NOW
    )
    figures = selectors.dashboard_figures(alice, now=NOW, tz=tz, limit=3, recent=4)
    due = selectors.resolves_due(alice, now=NOW, tz=tz)
    solved, recent = selectors.ml_coding_evidence(alice, recent=4)
    assert figures.due_count == len(due)
    assert figures.due == [(r.problem.title, r.problem.slug) for r in due[:3]]
    assert (figures.solved, figures.recent) == (solved, recent)
