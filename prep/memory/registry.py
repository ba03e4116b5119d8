"""What the memory app needs from each app that schedules with FSRS, registered from that
app's ``AppConfig.ready()`` (the memory app imports no app, as ``prep.lib.content``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .fit import Review


@dataclass(frozen=True)
class Moves:
    """The effect of rescheduling: how many cards move earlier, later, or stay."""

    earlier: int = 0
    later: int = 0
    same: int = 0

    @property
    def total(self) -> int:
        return self.earlier + self.later + self.same


@dataclass(frozen=True)
class Source:
    kind: str
    noun: str  # "card", "problem"
    # Each card's reviews in order, as (timestamp, local day number, rating).
    histories: Callable[..., list[list[Review]]]  # (user, *, tz) -> histories
    usable_reviews: Callable[..., int]  # (user) -> reviews after each card's first
    # Reschedule every scheduled item with ``parameters`` (apply=False: only count the moves).
    reschedule: Callable[..., Moves]  # (user, *, parameters, tz, now, apply) -> Moves
    retention: Callable[..., float]  # (user) -> desired retention


SOURCES: dict[str, list[Source]] = {}


def register_source(source: Source) -> None:
    """Register ``source`` under its kind; several apps may share a kind (drills and the
    judge both schedule problem re-solves), and then they share its parameters."""
    found = SOURCES.setdefault(source.kind, [])
    if source not in found:
        found.append(source)


def source_for(kind: str) -> Source:
    """The kind's source: the one registered, or all of a shared kind taken together."""
    sources = SOURCES[kind]
    return sources[0] if len(sources) == 1 else _together(sources)


def _together(sources: Sequence[Source]) -> Source:
    def histories(user, **kwargs):
        return [h for s in sources for h in s.histories(user, **kwargs)]

    def reschedule(user, **kwargs) -> Moves:
        moves = [s.reschedule(user, **kwargs) for s in sources]
        return Moves(*(sum(getattr(m, f) for m in moves) for f in ("earlier", "later", "same")))

    return Source(
        kind=sources[0].kind,
        noun=sources[0].noun,
        histories=histories,
        usable_reviews=lambda user: sum(s.usable_reviews(user) for s in sources),
        reschedule=reschedule,
        retention=sources[0].retention,
    )


def local_day(when: dt.datetime, tz) -> int:
    """The local calendar day of ``when`` as a day number (FSRS counts whole days)."""
    return when.astimezone(tz).date().toordinal()


def moves_between(old_new: Sequence[tuple[dt.datetime, dt.datetime]], tz) -> Moves:
    earlier = later = same = 0
    for old, new in old_new:
        a, b = local_day(old, tz), local_day(new, tz)
        if b < a:
            earlier += 1
        elif b > a:
            later += 1
        else:
            same += 1
    return Moves(earlier, later, same)
