"""The curriculum content: parsed once per process, and stored as Module rows.

The engine core reads the parsed content (plain dataclasses); the site stores
modules as rows so plan items, progress and other apps can point at them.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from curriculum.engine.content import ChecklistRule, Content, EventsRule, load_content


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
    existing = {m.slug: m for m in Module.objects.all()}
    created = updated = retired = 0
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
        row = existing.pop(module.slug, None)
        if row is None:
            Module.objects.create(slug=module.slug, **values)
            created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
            updated += 1
    now = timezone.now()
    for row in existing.values():
        if row.retired_at is None:
            row.retired_at = now
            row.save(update_fields=["retired_at"])
            retired += 1
    ContentState.objects.update_or_create(
        name="curriculum", defaults={"version": parsed.version, "checksum": parsed.checksum}
    )
    return f"{len(parsed.modules)} modules (v{parsed.version}): {created} new, {updated} updated, {retired} retired"
