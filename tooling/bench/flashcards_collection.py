"""A whole flashcard collection in bulk, for the benchmark and the query-count tests.

One own deck of ``cards`` cards in every state, with ``logs`` review logs: a quarter of the
cards new, an eighth learning or relearning (due within the half hour), the rest in review
with due dates spread over the past week and the next two months; the logs, spread over the
last year, belong to review-state cards, and each of those cards' review count is its number
of logs, so the next rating's sequence number is a new one. With ``progress_events``, each
log also has its ``card_reviewed`` progress event, as the curriculum would have heard of it.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from prep.flashcards.models import Card, CardState, Deck, ReviewLog
from prep.flashcards.rendering import render_markdown

S = CardState.State


def build_collection(
    user,
    *,
    cards: int,
    logs: int,
    seed: int = 7,
    now: dt.datetime | None = None,
    slug: str | None = None,
    progress_events: bool = False,
) -> Deck:
    rng = random.Random(seed)
    now = now or timezone.now()
    slug = slug or f"bulk-{cards}"
    deck = Deck.objects.create(owner=user, slug=slug, title=f"Bulk {slug}")
    front = render_markdown("When would you use **A** over *B*, given little data?")
    back = render_markdown("Use A because of the constraints.\n\n- data size\n- latency")
    card_rows = Card.objects.bulk_create(
        [
            Card(
                deck=deck,
                owner=user,
                front=f"Question {i}",
                back=f"Answer {i}",
                front_html=front,
                back_html=back,
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
                position=i,
            )
        states.append(state)
    states = CardState.objects.bulk_create(states, batch_size=2000)
    reviewed = [s for s in states if s.state == S.REVIEW]
    log_rows: list[ReviewLog] = []
    seqs: dict[int, int] = {}
    for j in range(logs if reviewed else 0):
        st = reviewed[j % len(reviewed)]
        seq = seqs.get(st.pk, 0)
        seqs[st.pk] = seq + 1
        at = now - dt.timedelta(days=rng.uniform(0, 365))
        prev = rng.choice([3.0, 10.0, 30.0, 60.0])
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
                prev_stability=prev,
                prev_difficulty=5.0,
                prev_due=at,
                prev_last_review=at - dt.timedelta(days=prev),
                prev_interval_days=prev,
                state=S.REVIEW,
                stability=prev * 2,
                difficulty=5.0,
                due=at + dt.timedelta(days=prev * 2),
            )
        )
    created = ReviewLog.objects.bulk_create(log_rows, batch_size=5000)
    for st in reviewed:
        st.reps = seqs.get(st.pk, 0)
    CardState.objects.bulk_update(reviewed, ["reps"], batch_size=1000)
    if progress_events:
        from curriculum.models import ProgressEvent

        ProgressEvent.objects.bulk_create(
            [
                ProgressEvent(
                    user=user,
                    key=f"flashcards:review:{slug}-{i}",
                    kind="card_reviewed",
                    area="ml_fundamentals",
                    tags=[f"deck:{slug}"],
                    occurred_at=log.reviewed_at,
                )
                for i, log in enumerate(created)
            ],
            batch_size=5000,
        )
    return deck
