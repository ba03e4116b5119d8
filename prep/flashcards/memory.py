"""Flashcards as a source for the memory app (``prep.memory``): the review history the
optimiser fits, and rescheduling with the parameters and retention in use.

Registered from ``FlashcardsConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from prep.memory import fit
from prep.memory.models import Kind
from prep.memory.registry import Moves, Source, local_day, moves_between

from .models import CardState, ReviewLog, StudySettings


def histories(user, *, tz, state_ids=None) -> list[list[fit.Review]]:
    """Every card's ratings in order, as (timestamp, local day, rating)."""
    logs = ReviewLog.objects.filter(user=user)
    if state_ids is not None:
        logs = logs.filter(card_state_id__in=state_ids)
    rows = logs.order_by("card_state_id", "seq").values_list(
        "card_state_id", "reviewed_at", "rating"
    )
    out: dict[int, list[fit.Review]] = {}
    for state_id, at, rating in rows.iterator(chunk_size=5000):
        out.setdefault(state_id, []).append((at.timestamp(), local_day(at, tz), rating))
    return list(out.values()) if state_ids is None else out


def usable_reviews(user) -> int:
    """Reviews after each card's first (what the optimiser learns from), in one query."""
    agg = ReviewLog.objects.filter(user=user).aggregate(
        n=Count("pk"), cards=Count("card_state", distinct=True)
    )
    return agg["n"] - agg["cards"]


def retention(user) -> float:
    value = StudySettings.objects.filter(user=user).values_list("desired_retention", flat=True)
    return value.first() or 0.9


def reschedule(user, *, parameters, tz, now: dt.datetime, apply: bool) -> Moves:
    """Review-state cards get the memory state their history gives under ``parameters`` and
    are due when recall falls to the desired retention (cards still in (re)learning keep
    their steps). ``apply=False`` counts how many would move earlier or later."""
    states = list(
        CardState.objects.filter(
            user=user, state=CardState.State.REVIEW, suspended=False, last_review__isnull=False
        ).only("pk", "due", "last_review", "stability", "difficulty")
    )
    if not states:
        return Moves()
    by_state = histories(user, tz=tz, state_ids=[s.pk for s in states])
    states = [s for s in states if by_state.get(s.pk)]
    memory = fit.memory_states(parameters, [by_state[s.pk] for s in states])
    goal = retention(user)
    pairs = []
    for state, (stability, difficulty) in zip(states, memory, strict=True):
        due = state.last_review + dt.timedelta(days=fit.interval_days(stability, goal, parameters))
        pairs.append((state.due, due))
        state.stability, state.difficulty, state.due = stability, difficulty, due
    if apply:
        CardState.objects.bulk_update(states, ["stability", "difficulty", "due"], batch_size=1000)
    return moves_between(pairs, tz)


SOURCE = Source(
    kind=Kind.FLASHCARDS,
    noun="card",
    histories=histories,
    usable_reviews=usable_reviews,
    reschedule=reschedule,
    retention=retention,
)


# --- Desired retention and its price ------------------------------------------------------------
def workload_for(user, *, retention: float, parameters) -> dict:
    """The simulated daily workload across desired retentions for this user's collection
    (cards not suspended, new cards per day, their own seconds per review) and parameters,
    with ``retention`` (the one being considered) among the points."""
    from .forecast import seconds_per_review

    deck_size = CardState.objects.filter(user=user, suspended=False).count()
    study = StudySettings.objects.filter(user=user).first()
    new_per_day = study.new_per_day if study is not None else 20
    seconds = seconds_per_review(user)
    retentions = sorted({*fit.RETENTIONS, round(retention, 2)})
    points = fit.workload(
        parameters,
        deck_size=deck_size,
        new_per_day=new_per_day,
        seconds_per_review=seconds,
        retentions=retentions,
    )
    chosen = next(p for p in points if abs(p.retention - retention) < 1e-9)
    top = max((p.minutes_per_day for p in points), default=1) or 1
    width, height, left, bottom = 640, 180, 40, 24
    slot = (width - left) / len(points)
    bars = [
        {
            "x": round(left + i * slot + slot * 0.15, 1),
            "w": round(slot * 0.7, 1),
            "h": round((height - bottom - 8) * p.minutes_per_day / top, 1),
            "y": round(height - bottom - (height - bottom - 8) * p.minutes_per_day / top, 1),
            "label_x": round(left + i * slot + slot / 2, 1),
            "point": p,
            "chosen": p is chosen,
        }
        for i, p in enumerate(points)
    ]
    return {
        "points": points,
        "chosen": chosen,
        "bars": bars,
        "width": width,
        "height": height,
        "baseline": height - bottom,
        "deck_size": deck_size,
        "new_per_day": new_per_day,
        "seconds": round(seconds, 1),
        "days": 90,
    }


# --- A ready-made history (tests, the benchmark, the browser journey) ------------------------------
def history_seed(user, histories: list[list[fit.Review]], *, title: str = "Seeded history") -> int:
    """Give ``user`` an own deck with one card per history and its reviews as review logs;
    each card's state is what the FSRS defaults make of its history. Returns the reviews."""
    from .models import Card, Deck

    deck = Deck.objects.create(
        owner=user, title=title, slug=f"seeded-{user.pk}-{Deck.objects.count()}"
    )
    cards = Card.objects.bulk_create(
        [
            Card(deck=deck, owner=user, front=f"Seeded card {i + 1}", back="…", position=i)
            for i in range(len(histories))
        ]
    )
    memory = fit.memory_states(fit.DEFAULT_PARAMETERS, histories)
    states = []
    for card, history, (stability, difficulty) in zip(cards, histories, memory, strict=True):
        last = dt.datetime.fromtimestamp(history[-1][0], tz=dt.UTC)
        due = last + dt.timedelta(days=fit.interval_days(stability, 0.9, fit.DEFAULT_PARAMETERS))
        states.append(
            CardState(
                user=user,
                card=card,
                deck=deck,
                state=CardState.State.REVIEW,
                stability=stability,
                difficulty=difficulty,
                due=due,
                last_review=last,
                reps=len(history),
                position=card.position,
            )
        )
    states = CardState.objects.bulk_create(states)
    logs = []
    for state, history in zip(states, histories, strict=True):
        for seq, (ts, _, rating) in enumerate(history):
            at = dt.datetime.fromtimestamp(ts, tz=dt.UTC)
            logs.append(
                ReviewLog(
                    user=user,
                    card_state=state,
                    card_id=state.card_id,
                    deck=deck,
                    seq=seq,
                    rating=rating,
                    reviewed_at=at,
                    duration_ms=8000,
                    prev_state=CardState.State.NEW if seq == 0 else CardState.State.REVIEW,
                    prev_due=at,
                    state=CardState.State.REVIEW,
                    due=at,
                )
            )
    ReviewLog.objects.bulk_create(logs, batch_size=5000)
    return len(logs)
