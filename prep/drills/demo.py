"""Demo history for one user (``seed_demo``): realistic attempts over the last days."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from .models import Language, Outcome, Problem
from .services import attempt_log

CODE = """def solve(nums: list[int], target: int) -> list[int]:
    seen = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return [seen[target - x], i]
        seen[x] = i
    return []
"""


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
            window = problems[: max(10, int(len(problems) * (0.3 + 0.7 * progress)))]
            problem = rng.choice(window)
            base = {"easy": 0.8, "medium": 0.55, "hard": 0.3}[problem.difficulty] + 0.2 * progress
            roll = rng.random()
            outcome = (
                Outcome.CLEAN
                if roll < base * 0.7
                else Outcome.HINTS
                if roll < base
                else Outcome.FAILED
            )
            minutes = {"easy": 15, "medium": 30, "hard": 50}[problem.difficulty]
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
