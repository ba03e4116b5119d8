from __future__ import annotations

import datetime as dt

from django.utils import timezone

from prep.mocks import services
from prep.mocks.models import Prompt, Rubric


def prompt(kind: str = "ml_system_design") -> Prompt:
    return Prompt.objects.active().filter(kind=kind).order_by("position").first()


def full_scores(kind: str = "ml_system_design", value: int = 3) -> dict[str, int]:
    return {slug: value for slug in Rubric.objects.get(kind=kind).dimension_slugs}


def completed_mock(user, *, kind="ml_system_design", value=3, at=None, prompt_obj=None):
    """A solo mock walked through every phase and self-scored."""
    at = at or timezone.now() - dt.timedelta(hours=2)
    mock = services.solo_mock_start(user=user, prompt=prompt_obj or prompt(kind), now=at)
    services.solo_mock_finish(mock=mock, now=at + dt.timedelta(minutes=40))
    mock.refresh_from_db()
    services.solo_mock_complete(
        mock=mock,
        scores=full_scores(kind, value),
        comments={},
        notes="",
        now=at + dt.timedelta(minutes=45),
    )
    mock.refresh_from_db()
    return mock
