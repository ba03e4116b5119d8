"""The curriculum content: parsed once per process, and stored as Module rows.

The engine core reads the parsed content (plain dataclasses); the site stores
modules as rows so plan items, progress and other apps can point at them.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import transaction

from curriculum.engine.content import ChecklistRule, Content, EventsRule, load_content
from prep.lib.content import sync_catalogue


@lru_cache(maxsize=1)
def content() -> Content:
    return load_content()


def completion_as_data(rule) -> dict:
    if isinstance(rule, ChecklistRule):
        return {"type": "checklist", "items": list(rule.items)}
    return {"type": "events", "event": rule.event, "tags": list(rule.tags), "count": rule.count}


def rule_for(module):
    data = module.completion
    if data.get("type") == "checklist":
        return ChecklistRule(items=tuple(data.get("items", ())))
    return EventsRule(
        event=data["event"], tags=tuple(data.get("tags", ())), count=int(data.get("count", 1))
    )


@transaction.atomic
def load_modules(parsed: Content | None = None) -> str:
    """Store the content's modules: update in place, retire the removed, touch no user state."""
    from .models import ContentState, Module

    parsed = parsed or content()
    rows = []
    for position, module in enumerate(parsed.modules):
        values = {
            "title": module.title,
            "description": module.description,
            "kind": module.kind,
            "area": module.area,
            "minutes": module.minutes,
            "roles": list(module.roles),
            "week": module.week,
            "priority": module.priority,
            "prerequisites": list(module.prerequisites),
            "url_name": module.url_name,
            "url_query": module.url_query,
            "completion": completion_as_data(module.completion),
            "position": position,
            "content_version": parsed.version,
            "retired_at": None,
        }
        rows.append((module.slug, values))
    synced = sync_catalogue(Module, "slug", rows, retire=True)
    ContentState.objects.update_or_create(
        name="curriculum", defaults={"version": parsed.version, "checksum": parsed.checksum}
    )
    return (
        f"{len(parsed.modules)} modules (v{parsed.version}): {synced.created} new, "
        f"{synced.updated} updated, {synced.retired} retired"
    )
