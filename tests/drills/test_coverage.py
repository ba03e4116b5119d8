"""The coverage page's figures (``selectors.coverage_for``) held to the attempts
themselves: what a reader would count by hand from the user's attempts and the bank they
see, on a mixed history with another user's rows and custom problems on both sides."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import defaultdict

import pytest

from prep.drills import selectors
from prep.drills.models import Attempt, Pattern, Problem, ProblemList

from .factories import AttemptFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
RANK = {"failed": 0, "hints": 1, "clean": 2}
RANK_D = ["easy", "medium", "hard"]


def _custom(owner, slug, difficulty, patterns, lists=()):
    problem = Problem.objects.create(
        slug=slug, title=slug.title(), difficulty=difficulty, owner=owner, position=9999
    )
    problem.patterns.set(patterns)
    problem.lists.set(lists)
    return problem


def _history(user, problems, rng, n):
    for i in range(n):
        AttemptFactory(
            user=user,
            problem=rng.choice(problems),
            outcome=rng.choice(["clean", "hints", "failed"]),
            minutes=rng.randint(1, 90),
            finished_at=T0 + dt.timedelta(hours=i),
        )


def _by_hand(user):
    """The figures counted from the rows, one problem at a time."""
    visible = [
        p for p in Problem.objects.prefetch_related("patterns") if p.owner_id in (None, user.pk)
    ]
    difficulty = {p.pk: p.difficulty for p in visible}
    slugs = {p.pk: {pat.slug for pat in p.patterns.all()} for p in visible}
    attempts = list(Attempt.objects.filter(user=user))
    best = {}
    for a in attempts:
        if a.problem_id not in best or RANK[a.outcome] > RANK[best[a.problem_id]]:
            best[a.problem_id] = a.outcome
    per_pattern = defaultdict(lambda: defaultdict(int))
    for pid, slugset in slugs.items():
        for slug in slugset:
            per_pattern[slug][f"bank_{difficulty[pid]}"] += 1
    for pid, outcome in best.items():
        for slug in slugs[pid]:
            if outcome != "failed":
                per_pattern[slug][f"solved_{difficulty[pid]}"] += 1
                per_pattern[slug]["clean" if outcome == "clean" else "hints_only"] += 1
    for a in attempts:
        if a.outcome == "failed":
            for slug in slugs[a.problem_id]:
                per_pattern[slug]["failures"] += 1
    minutes = defaultdict(list)
    for a in attempts:
        if a.outcome != "failed":
            minutes[difficulty[a.problem_id]].append(a.minutes)
    return {
        "attempts": len(attempts),
        "bank": {d: sum(1 for v in difficulty.values() if v == d) for d in RANK_D},
        "solved": {
            d: sum(1 for pid, o in best.items() if o != "failed" and difficulty[pid] == d)
            for d in RANK_D
        },
        "medians": {d: statistics.median(minutes[d]) if minutes[d] else None for d in RANK_D},
        "patterns": {slug: dict(v) for slug, v in per_pattern.items()},
    }


def _as_seen(cov):
    patterns = {}
    for pc in cov.patterns:
        row = {f"bank_{d}": n for d, n in pc.bank.items() if n}
        row |= {f"solved_{d}": n for d, n in pc.solved.items() if n}
        row |= {k: getattr(pc, k) for k in ("clean", "hints_only", "failures") if getattr(pc, k)}
        if row:
            patterns[pc.pattern.slug] = row
    return {
        "attempts": cov.attempts,
        "bank": cov.bank_by_difficulty,
        "solved": cov.solved_by_difficulty,
        "medians": cov.median_minutes,
        "patterns": patterns,
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_are_those_counted_by_hand_from_the_attempts(alice, bob, seed):
    rng = random.Random(seed)
    two_pointers, graphs = Pattern.objects.order_by("position")[:2]
    blind = ProblemList.objects.first()
    mine = _custom(alice, "alice-own", "hard", [two_pointers, graphs], [blind])
    theirs = _custom(bob, "bob-own", "easy", [two_pointers])
    problems = list(Problem.objects.filter(owner__isnull=True).order_by("?")[:25]) + [mine]
    _history(alice, problems, rng, 120)
    _history(bob, problems[:10] + [theirs], rng, 40)  # never counted for alice

    cov = selectors.coverage_for(alice, role="mle")

    assert _as_seen(cov) == _by_hand(alice)
    assert (
        sum(cov.bank_by_difficulty.values())
        == Problem.objects.filter(owner__isnull=True).count() + 1
    )


def test_no_attempts_no_figures_and_a_suggestion_from_the_first_pattern(alice):
    cov = selectors.coverage_for(alice, role="mle")
    assert cov.attempts == 0 and cov.solved_total == 0 and cov.medium_share is None
    assert cov.median_minutes == {"easy": None, "medium": None, "hard": None}
    first = cov.weakest[0].pattern
    assert first == Pattern.objects.filter(problems__isnull=False).order_by("position").first()
    assert cov.target_difficulty == "medium"
    # The medium of that pattern on the most lists, then the bank's order.
    expected = max(
        Problem.objects.filter(owner__isnull=True, patterns=first, difficulty="medium"),
        key=lambda p: (p.lists.count(), -p.position),
    )
    assert cov.suggestion.pk == expected.pk and cov.suggestion.suggested_for == first


def test_a_failure_steps_the_weakest_pattern_down_to_an_untried_easy(alice):
    first = Pattern.objects.filter(problems__isnull=False).order_by("position").first()
    easies = list(
        Problem.objects.filter(owner__isnull=True, patterns=first, difficulty="easy").order_by(
            "position"
        )
    )
    assert len(easies) >= 2, "the bank has two easy problems in its first pattern"
    failed = max(easies, key=lambda p: (p.lists.count(), -p.position))
    AttemptFactory(user=alice, problem=failed, outcome="failed", finished_at=T0)

    cov = selectors.coverage_for(alice, role="mle")

    assert cov.weakest[0].pattern == first and cov.weakest[0].failures == 1
    assert cov.target_difficulty == "easy"
    untried = [p for p in easies if p != failed]
    expected = max(untried, key=lambda p: (p.lists.count(), -p.position))
    assert cov.suggestion.pk == expected.pk  # never tried comes before tried and failed
