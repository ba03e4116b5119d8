"""Writes of the story builder: ``story_save``, ``story_delete``, ``story_rehearse``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import Story

FIELDS = ("title", "situation", "task", "action", "result", "competencies")


@transaction.atomic
def story_save(*, user, data: dict, story: Story | None = None) -> Story:
    """Create a story for ``user`` or update one of theirs from cleaned form data."""
    story = story or Story(user=user)
    for field in FIELDS:
        setattr(story, field, data[field])
    story.competencies = sorted(set(story.competencies))
    story.save()
    return story


@transaction.atomic
def story_delete(*, story: Story) -> None:
    story.delete()


@transaction.atomic
def story_rehearse(*, story: Story, now=None) -> Story:
    """Count one rehearsal (told aloud against the clock)."""
    story.rehearsals += 1
    story.last_rehearsed_at = now or timezone.now()
    story.save(update_fields=["rehearsals", "last_rehearsed_at", "updated_at"])
    return story
