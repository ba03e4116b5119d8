"""The flashcards reads other apps compose (the dashboard's "cards due", readiness's
retention and coverage): their rules are tested here, with their owner."""

import datetime as dt
import zoneinfo

import pytest

from prep.flashcards import selectors
from prep.flashcards.models import CardState, ReviewLog

from .factories import own_card, own_deck

pytestmark = pytest.mark.django_db

S = CardState.State
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NOW = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)  # 21:00 in Tokyo: three hours left


def state(user, deck, n, **fields):
    card = own_card(user, deck=deck, front=f"Q{n}")
    CardState.objects.filter(card=card, user=user).update(**fields)


def test_due_today_is_learning_due_now_and_reviews_due_before_the_local_day_ends(alice):
    deck = own_deck(alice)
    state(alice, deck, 1, state=S.LEARNING, due=NOW - dt.timedelta(minutes=1))  # due
    state(alice, deck, 2, state=S.RELEARNING, due=NOW)  # due
    state(alice, deck, 3, state=S.LEARNING, due=NOW + dt.timedelta(minutes=5))  # not yet
    state(alice, deck, 4, state=S.REVIEW, due=NOW + dt.timedelta(hours=2, minutes=59))  # today
    state(alice, deck, 5, state=S.REVIEW, due=NOW + dt.timedelta(hours=3))  # tomorrow
    state(alice, deck, 6, state=S.NEW, due=NOW - dt.timedelta(days=1))  # new: never "due"
    state(alice, deck, 7, state=S.REVIEW, due=NOW, suspended=True)  # suspended
    assert selectors.due_count(alice, now=NOW, tz=TOKYO) == 3
    # In UTC the same instant leaves twelve hours of the day: the 3-hour review is due too.
    assert selectors.due_count(alice, now=NOW, tz=dt.UTC) == 4


def test_retention_counts_answers_past_the_first_review_and_coverage_cards_seen(alice):
    deck = own_deck(alice)
    for n in range(4):
        state(alice, deck, n, state=S.REVIEW, due=NOW, reps=1 if n < 3 else 0)
    first = CardState.objects.filter(user=alice).order_by("pk").first()

    def log(seq, rating, prev_state, days_ago):
        ReviewLog.objects.create(
            user=alice,
            card_state=first,
            card_id=first.card_id,
            deck_id=first.deck_id,
            prev_due=NOW,
            state=S.REVIEW,
            due=NOW,
            seq=seq,
            rating=rating,
            prev_state=prev_state,
            reviewed_at=NOW - dt.timedelta(days=days_ago),
        )

    log(0, 3, S.NEW, 1)  # a first review: not retention
    log(1, 3, S.REVIEW, 1)
    log(2, 1, S.REVIEW, 2)  # "Again"
    log(3, 4, S.REVIEW, 3)
    log(4, 1, S.REVIEW, 31)  # older than 30 days
    retention, coverage = selectors.retention_and_coverage(alice, now=NOW)
    assert retention == pytest.approx(2 / 3)
    assert coverage == pytest.approx(3 / 4)
