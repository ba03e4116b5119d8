from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from prep.drills.models import Attempt, Problem


def problem(slug: str) -> Problem:
    return Problem.objects.get(slug=slug, owner__isnull=True)


class AttemptFactory(factory.django.DjangoModelFactory):
    """A bare attempt row (no progress reports): for data volume in query tests."""

    class Meta:
        model = Attempt

    problem = factory.LazyFunction(lambda: Problem.objects.filter(owner__isnull=True).first())
    finished_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    minutes = 25
    outcome = "clean"
    confidence = 3
    language = "python"


def bulk_attempts(user, n: int) -> list[Attempt]:
    """``n`` attempts spread over the bank with mixed outcomes, inserted in one go."""
    problems = list(Problem.objects.filter(owner__isnull=True).order_by("position"))
    now = timezone.now()
    outcomes = ["clean", "hints", "failed"]
    rows = [
        AttemptFactory.build(
            user=user,
            problem=problems[i % len(problems)],
            outcome=outcomes[i % 3],
            minutes=10 + i % 50,
            finished_at=now - dt.timedelta(hours=i + 1),
        )
        for i in range(n)
    ]
    return Attempt.objects.bulk_create(rows)
