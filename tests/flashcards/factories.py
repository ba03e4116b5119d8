"""Builders for flashcards data: own decks and cards; whole collections in bulk come from
``tooling.bench.flashcards_collection`` (the benchmark builds with it too)."""

from __future__ import annotations

from prep.flashcards import services
from prep.flashcards.models import Card, Deck


def own_deck(user, title="My deck") -> Deck:
    return services.deck_create(user=user, title=title)


def own_card(user, *, deck=None, front="Front?", back="Back.", tags="") -> Card:
    deck = deck or services.deck_default(user=user)
    return services.card_create(user=user, deck=deck, front=front, back=back, tags=tags)


def tradeoffs() -> Deck:
    return Deck.objects.get(owner=None, slug="tradeoffs")
