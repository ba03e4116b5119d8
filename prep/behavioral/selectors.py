"""Reads of the story builder (one query each)."""

from __future__ import annotations

from dataclasses import dataclass

from . import content
from .models import Story


@dataclass(frozen=True)
class Coverage:
    competency: content.Competency
    stories: list[Story]


def story_coverage(*, user) -> tuple[list[Story], list[Coverage], list[content.Competency]]:
    """The user's stories, each competency with its stories, and the uncovered competencies."""
    stories = list(Story.objects.for_user(user))
    names = {c.slug: c.name for c in content.bank().competencies}
    for story in stories:
        story.competency_names = [names.get(slug, slug) for slug in story.competencies]
    rows = [
        Coverage(c, [s for s in stories if c.slug in s.competencies])
        for c in content.bank().competencies
    ]
    return stories, rows, [row.competency for row in rows if not row.stories]
