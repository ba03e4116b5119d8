"""Builders for flashcards data: own decks and cards, and whole collections in bulk."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from prep.flashcards import services
from prep.flashcards.models import Card, CardState, Deck, ReviewLog
from prep.flashcards.rendering import render_markdown

S = CardState.State


def own_deck(user, title="My deck") -> Deck:
    return services.deck_create(user=user, title=title)


def own_card(user, *, deck=None, front="Front?", back="Back.", tags="") -> Card:
    deck = deck or services.deck_default(user=user)
    return services.card_create(user=user, deck=deck, front=front, back=back, tags=tags)


def tradeoffs() -> Deck:
    return Deck.objects.get(owner=None, slug="tradeoffs")


def build_collection(user, *, cards: int, logs: int, seed: int = 7, now=None) -> Deck:
    """An own deck of ``cards`` cards in every state, with ``logs`` review logs, in bulk.

    A quarter of the cards are new, a few are learning/relearning, the rest in review with
    due dates spread over the past week and the next two months; logs are spread over
    the last year (a share of them on mature review-state cards, for true retention).
    """
    rng = random.Random(seed)
    now = now or timezone.now()
    deck = Deck.objects.create(owner=user, slug=f"bulk-{cards}", title=f"Bulk {cards}")
    html = render_markdown("A *front*")
    card_rows = Card.objects.bulk_create(
        [
            Card(
                deck=deck,
                owner=user,
                front=f"Question {i}",
                back=f"Answer {i}",
                front_html=html,
                back_html=html,
                tags=" bulk ",
                position=i,
            )
            for i in range(cards)
        ],
        batch_size=2000,
    )
    states = []
    for i, card in enumerate(card_rows):
        kind = i % 8
        if kind < 2:
            state = CardState(user=user, card=card, deck=deck, due=now, position=i)
        elif kind == 2:
            state = CardState(
                user=user,
                card=card,
                deck=deck,
                state=S.LEARNING if i % 16 < 8 else S.RELEARNING,
                step=0,
                stability=1.0,
                difficulty=5.0,
                due=now + dt.timedelta(minutes=rng.randint(-30, 30)),
                last_review=now - dt.timedelta(minutes=10),
                reps=3,
                position=i,
            )
        else:
            interval = rng.choice([2, 5, 12, 25, 40, 90])
            due = now + dt.timedelta(days=rng.uniform(-7, 60))
            state = CardState(
                user=user,
                card=card,
                deck=deck,
                state=S.REVIEW,
                stability=float(interval),
                difficulty=rng.uniform(2, 8),
                due=due,
                last_review=due - dt.timedelta(days=interval),
                reps=6,
                position=i,
            )
        states.append(state)
    states = CardState.objects.bulk_create(states, batch_size=2000)
    review_states = [s for s in states if s.state == S.REVIEW] or states
    log_rows = []
    seqs: dict[int, int] = {}
    for j in range(logs):
        st = review_states[j % len(review_states)]
        seq = seqs.get(st.pk, 100)
        seqs[st.pk] = seq + 1
        at = now - dt.timedelta(days=rng.uniform(0, 365))
        prev_interval = rng.choice([3.0, 10.0, 30.0, 60.0])
        log_rows.append(
            ReviewLog(
                user=user,
                card_state=st,
                card_id=st.card_id,
                deck=deck,
                seq=seq,
                rating=rng.choices([1, 2, 3, 4], [0.1, 0.15, 0.65, 0.1])[0],
                reviewed_at=at,
                duration_ms=rng.randint(2000, 30000),
                prev_state=S.REVIEW,
                prev_stability=prev_interval,
                prev_difficulty=5.0,
                prev_due=at,
                prev_last_review=at - dt.timedelta(days=prev_interval),
                prev_interval_days=prev_interval,
                state=S.REVIEW,
                stability=prev_interval * 2,
                difficulty=5.0,
                due=at + dt.timedelta(days=prev_interval * 2),
            )
        )
    ReviewLog.objects.bulk_create(log_rows, batch_size=5000)
    return deck
