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


SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> None:
    SOURCES[source.kind] = source


def source_for(kind: str) -> Source:
    return SOURCES[kind]


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
