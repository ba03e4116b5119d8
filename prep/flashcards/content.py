"""The starter deck as data: content/deck.yaml plus content/<deck>/<topic>.yaml.

``load_decks`` is registered with ``manage.py load_content``. It validates every file
first (errors name file, entry and field), then updates catalogue decks and cards in
place by slug. It never touches user state: a card removed from the files stays in
the database (so nobody's history is lost) but is no longer updated.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .rendering import normalise_tags, render_markdown

CONTENT_DIR = Path(__file__).resolve().parent / "content"
CARD_FIELDS = {"slug", "tags", "scenario", "answer", "changes", "source"}
REQUIRED_CARD_FIELDS = ("slug", "scenario", "answer", "changes", "source")
DECK_FIELDS = {"slug", "title", "description", "topics"}


@dataclass(frozen=True)
class CardData:
    slug: str
    topic: str
    tags: tuple[str, ...]
    front: str
    back: str
    changes: str
    source: str


@dataclass(frozen=True)
class DeckData:
    slug: str
    title: str
    description: str
    cards: tuple[CardData, ...]


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{path.name}: cannot be read as YAML: {exc}") from exc


def parse_deck(deck_file: Path) -> DeckData:
    """Read and validate one deck (its metadata file and its topic files)."""
    meta = _read_yaml(deck_file)
    name = deck_file.name
    if not isinstance(meta, dict):
        raise ValueError(f"{name}: expected a mapping with slug, title, description, topics")
    unknown = set(meta) - DECK_FIELDS
    if unknown:
        raise ValueError(f"{name}: unknown field(s) {sorted(unknown)}")
    for key in ("slug", "title", "topics"):
        if not meta.get(key):
            raise ValueError(f"{name}: field {key!r} is required")
    slug = str(meta["slug"])
    if slugify(slug) != slug:
        raise ValueError(f"{name}: field 'slug' must be a slug, got {slug!r}")
    topics = meta["topics"]
    if not isinstance(topics, list) or not all(isinstance(t, str) and t for t in topics):
        raise ValueError(f"{name}: field 'topics' must be a list of topic slugs")
    cards: list[CardData] = []
    seen: dict[str, str] = {}
    for topic in topics:
        path = deck_file.parent / slug / f"{topic}.yaml"
        rel = f"{slug}/{topic}.yaml"
        if not path.exists():
            raise ValueError(f"{name}: topic {topic!r} has no file {rel}")
        entries = _read_yaml(path)
        if not isinstance(entries, list):
            raise ValueError(f"{rel}: expected a list of cards")
        for index, entry in enumerate(entries):
            cards.append(_parse_card(entry, rel=rel, index=index, topic=topic, seen=seen))
    return DeckData(
        slug=slug,
        title=str(meta["title"]),
        description=str(meta.get("description") or ""),
        cards=tuple(cards),
    )


def _parse_card(entry, *, rel: str, index: int, topic: str, seen: dict[str, str]) -> CardData:
    where = f"{rel}: entry {index + 1}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected a mapping")
    if entry.get("slug"):
        where = f"{rel}: entry {index + 1} ({entry['slug']})"
    unknown = set(entry) - CARD_FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
    for key in REQUIRED_CARD_FIELDS:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{where}: field {key!r} is required and must be text")
    slug = entry["slug"]
    if slugify(slug) != slug:
        raise ValueError(f"{where}: field 'slug' must be a slug, got {slug!r}")
    if slug in seen:
        raise ValueError(f"{where}: field 'slug' duplicates the card in {seen[slug]}")
    seen[slug] = rel
    tags = entry.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and " " not in t for t in tags):
        raise ValueError(f"{where}: field 'tags' must be a list of words without spaces")
    return CardData(
        slug=slug,
        topic=topic,
        tags=tuple(tags),
        front=entry["scenario"].strip(),
        back=entry["answer"].strip(),
        changes=entry["changes"].strip(),
        source=entry["source"].strip(),
    )


def parse_all(directory: Path = CONTENT_DIR) -> list[DeckData]:
    decks = [parse_deck(path) for path in sorted(directory.glob("*.yaml"))]
    slugs = [d.slug for d in decks]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"{directory.name}: two decks share a slug: {slugs}")
    return decks


@transaction.atomic
def load_decks(directory: Path = CONTENT_DIR) -> str:
    """Create or update the catalogue decks and cards (idempotent; no user state touched)."""
    from .models import Card, CardState, Deck

    parsed = parse_all(directory)
    now = timezone.now()
    created = updated = 0
    for data in parsed:
        deck, _ = Deck.objects.update_or_create(
            owner=None,
            slug=data.slug,
            defaults={"title": data.title, "description": data.description},
        )
        existing = {c.slug: c for c in Card.objects.filter(deck=deck)}
        to_create, to_update = [], []
        for position, item in enumerate(data.cards):
            values = {
                "topic": item.topic,
                "tags": normalise_tags((f"topic:{item.topic}", *item.tags)),
                "front": item.front,
                "back": item.back,
                "changes": item.changes,
                "source": item.source,
                "front_html": render_markdown(item.front),
                "back_html": render_markdown(item.back),
                "changes_html": render_markdown(item.changes),
                "source_html": render_markdown(item.source),
                "position": position,
            }
            card = existing.get(item.slug)
            if card is None:
                to_create.append(Card(deck=deck, owner=None, slug=item.slug, **values))
            elif any(getattr(card, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(card, key, value)
                card.updated_at = now
                to_update.append(card)
        Card.objects.bulk_create(to_create)
        if to_update:
            Card.objects.bulk_update(to_update, [*values.keys(), "updated_at"])
            # A card's new-card order follows the file order (state rows keep their copy).
            for card in to_update:
                CardState.objects.filter(card=card, state=CardState.State.NEW).exclude(
                    position=card.position
                ).update(position=card.position)
        created += len(to_create)
        updated += len(to_update)
    total = sum(len(d.cards) for d in parsed)
    return (
        f"{len(parsed)} deck(s), {total} cards ({created} created, {updated} updated, "
        f"{total - created - updated} unchanged)"
    )
