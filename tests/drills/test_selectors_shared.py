"""The drills reads other apps compose (the dashboard's re-solves due, readiness's coding
evidence): their rules are tested here, with their owner."""

import datetime as dt
import zoneinfo

import pytest

from prep.drills import selectors
from prep.drills.models import Problem, ReviewState

from .factories import AttemptFactory

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NOW = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)  # 21:00 in Tokyo


def test_resolves_due_are_those_due_before_the_local_day_ends_soonest_first(alice):
    problems = list(Problem.objects.filter(owner__isnull=True).order_by("position")[:5])
    offsets = [-48, -1, 2, 3, 30]  # hours from NOW; Tokyo's day ends 3 hours after NOW
    for problem, hours in zip(problems, offsets, strict=True):
        ReviewState.objects.create(
            user=alice, problem=problem, due=NOW + dt.timedelta(hours=hours), last_outcome="hints"
        )
    first, count = selectors.resolves_due(alice, now=NOW, tz=TOKYO, limit=2)
    assert count == 3
    assert [r.problem for r in first] == problems[:2]


def test_coding_evidence_counts_distinct_problems_solved_and_the_latest_outcomes(alice):
    one, two = Problem.objects.filter(owner__isnull=True).order_by("position")[:2]
    outcomes = [(one, "failed"), (one, "hints"), (one, "clean"), (two, "failed")]
    for n, (problem, outcome) in enumerate(outcomes):
        AttemptFactory(
            user=alice, problem=problem, outcome=outcome, finished_at=NOW + dt.timedelta(hours=n)
        )
    solved, recent = selectors.coding_evidence(alice, recent=3)
    assert solved == 1  # "two" was never solved; "one" counts once
    assert recent == ["failed", "clean", "hints"]


@pytest.mark.parametrize("tz", [TOKYO, dt.UTC], ids=["tokyo", "utc"])
def test_dashboard_figures_say_what_resolves_due_and_coding_evidence_say(alice, bob, tz):
    """The dashboard's one statement (prep.memory.resolves.figures) against the two reads it
    stands for, on the same rows: due states around the local day's end, ties in due broken
    by the bank's order, another user's rows, more attempts than ``recent``."""
    problems = list(Problem.objects.filter(owner__isnull=True).order_by("position")[:6])
    for problem, hours in zip(problems, [-48, 2, 2, -1, 3, 30], strict=True):
        ReviewState.objects.create(
            user=alice, problem=problem, due=NOW + dt.timedelta(hours=hours), last_outcome="hints"
        )
    ReviewState.objects.create(user=bob, problem=problems[0], due=NOW, last_outcome="hints")
    outcomes = ["failed", "hints", "clean", "failed", "clean", "hints", "failed"]
    for n, outcome in enumerate(outcomes):
        AttemptFactory(
            user=alice,
            problem=problems[n % 4],
            outcome=outcome,
            finished_at=NOW - dt.timedelta(hours=n % 3),  # equal times: the id decides
        )
    AttemptFactory(user=bob, problem=problems[5], outcome="clean", finished_at=NOW)

    figures = selectors.dashboard_figures(alice, now=NOW, tz=tz, limit=3, recent=5)
    first, count = selectors.resolves_due(alice, now=NOW, tz=tz, limit=3)
    solved, recent = selectors.coding_evidence(alice, recent=5)
    assert figures.due_count == count
    assert figures.due == [(r.problem.title, r.problem.slug) for r in first]
    assert (figures.solved, figures.recent) == (solved, recent)
    assert len(figures.recent) == 5


def test_dashboard_figures_of_a_user_with_nothing(alice):
    figures = selectors.dashboard_figures(alice, now=NOW, tz=TOKYO)
    assert (figures.due_count, figures.due, figures.solved, figures.recent) == (0, [], 0, [])
