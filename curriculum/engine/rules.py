"""Completion rules evaluated against progress events (plain Python, no Django).

An events rule counts the events of its kind that carry *all* of its tags (an event may
carry more); a checklist rule counts the ticked item indexes. ``evaluate`` returns
``(done, target, complete)`` where ``done`` is capped at ``target`` (so "2 / 2", never
"5 / 2"), and never negative (retracted reports are removed by the caller, but a negative
``amount`` is tolerated).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from curriculum.engine.content import ChecklistRule, CompletionRule, EventsRule


@dataclass(frozen=True, slots=True)
class Event:
    """One progress report as the rules see it."""

    kind: str
    tags: frozenset[str]
    amount: int = 1


EventLike = Event | tuple


def _as_event(event: EventLike) -> Event:
    if isinstance(event, Event):
        return event
    if isinstance(event, tuple) and len(event) in (2, 3):
        kind, tags, *rest = event
        return Event(kind, frozenset(tags), rest[0] if rest else 1)
    kind = getattr(event, "kind", None)
    tags = getattr(event, "tags", None)
    if kind is None or tags is None:
        raise TypeError(f"not an event: {event!r}")
    return Event(kind, frozenset(tags), getattr(event, "amount", 1))


def matches(rule: EventsRule, event: EventLike) -> bool:
    """Whether ``event`` counts towards ``rule``."""
    e = _as_event(event)
    return e.kind == rule.event and all(tag in e.tags for tag in rule.tags)


def evaluate(
    rule: CompletionRule, events: Iterable[EventLike] | Iterable[int]
) -> tuple[int, int, bool]:
    """Evaluate ``rule``.

    For an :class:`EventsRule`, ``events`` is an iterable of :class:`Event` (or
    ``(kind, tags)`` / ``(kind, tags, amount)`` tuples, or any object with ``kind`` and
    ``tags`` attributes). For a :class:`ChecklistRule`, it is the set of ticked item indexes
    (0-based); indexes outside the list are ignored.
    """
    if isinstance(rule, EventsRule):
        target = rule.count
        total = 0
        required = rule.tags
        for raw in events:
            e = _as_event(raw)  # type: ignore[arg-type]
            if e.kind == rule.event and all(tag in e.tags for tag in required):
                total += e.amount
        done = max(0, min(total, target))
        return done, target, total >= target
    if isinstance(rule, ChecklistRule):
        target = len(rule.items)
        ticked = {
            i for i in events if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < target
        }  # type: ignore[misc]
        done = len(ticked)
        return done, target, target > 0 and done >= target
    raise TypeError(f"unknown rule: {rule!r}")
