"""Demo history for one user (``seed_demo``): realistic attempts over the last days."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from prep.drills.models import Language, Outcome, Problem
from prep.drills.services import attempt_log

CODE = """def solve(nums: list[int], target: int) -> list[int]:
    seen = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return [seen[target - x], i]
        seen[x] = i
    return []
"""


#: Minutes a problem usually takes at each difficulty.
USUAL_MINUTES = {"easy": 15, "medium": 30, "hard": 50}
_SUCCESS = {"easy": 0.8, "medium": 0.55, "hard": 0.3}


def practice_window(problems: list, progress: float) -> list:
    """The problems a learner at ``progress`` (0 at the start, 1 today) picks from: the
    easier first part of the list at first, all of it by the end."""
    return problems[: max(10, int(len(problems) * (0.3 + 0.7 * progress)))]


def simulated_outcome(rng: random.Random, difficulty: str, progress: float) -> str:
    """An attempt's outcome for a learner who gets better with ``progress``: harder
    problems fail more often; of the successes, about 70 % are clean (one ``rng`` draw)."""
    base = _SUCCESS.get(difficulty, 0.5) + 0.2 * progress
    roll = rng.random()
    if roll < base * 0.7:
        return Outcome.CLEAN
    return Outcome.HINTS if roll < base else Outcome.FAILED


def seed(user, *, days: int, rng: random.Random) -> str:
    """Attempts on ~2 of 3 days, easier patterns first, skill improving over time."""
    problems = list(
        Problem.objects.filter(owner__isnull=True).prefetch_related("patterns").order_by("position")
    )
    if not problems:
        return "no problems loaded (run load_content first)"
    now = timezone.now()
    made = 0
    for day in range(days, 0, -1):
        if rng.random() > 0.65:
            continue
        progress = 1 - day / max(days, 1)  # 0 at the start, 1 today
        for _ in range(rng.randint(1, 3)):
            problem = rng.choice(practice_window(problems, progress))
            outcome = simulated_outcome(rng, problem.difficulty, progress)
            minutes = USUAL_MINUTES[problem.difficulty]
            when = now - dt.timedelta(days=day, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
            attempt_log(
                user=user,
                problem=problem,
                outcome=outcome,
                minutes=max(5, int(rng.gauss(minutes, minutes / 3))),
                confidence=rng.randint(2, 5) if outcome != Outcome.FAILED else rng.randint(1, 2),
                language=Language.PYTHON,
                notes="Missed the empty-input case at first." if outcome == Outcome.HINTS else "",
                code=CODE if problem.slug == "two-sum" else "",
                now=when,
            )
            made += 1
    return f"{made} attempts over {days} days"
