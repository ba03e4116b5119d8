"""Import an Anki package (``.apkg`` / ``.colpkg``): its notes become own cards and its
review log (revlog) their review history, so the optimiser has data from day one.

A package is a zip holding the collection as SQLite: ``collection.anki21b`` (zstd
compressed, Anki 2.1.50+), ``collection.anki21`` or ``collection.anki2`` — the newest one
present is read (newer exports also carry a stub ``collection.anki2``). Each card becomes an
own card (front: the note's first field, back: the second), Anki's card id kept in the
card's tags as ``anki:<id>``; each revlog row with a rating (1-4) becomes a ``ReviewLog``,
and the card's state is what FSRS, replaying that history, makes of it. All or nothing: a
bad file raises ``AnkiError`` with a clear message and imports nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import tempfile
import zipfile

import fsrs
from django.db import transaction
from django.utils import timezone

from .models import Card, CardState, Deck, ReviewLog
from .rendering import render_markdown

MAX_BYTES = 50 * 1024 * 1024
MAX_CARDS = 20_000
MAX_REVIEWS = 500_000
NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")


class AnkiError(ValueError):
    pass


def _collection_bytes(data: bytes) -> bytes:
    if len(data) > MAX_BYTES:
        raise AnkiError(f"The package is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise AnkiError("This is not an Anki package (.apkg or .colpkg are zip files).") from exc
    names = set(archive.namelist())
    name = next((n for n in NAMES if n in names), None)
    if name is None:
        raise AnkiError("The package holds no Anki collection (collection.anki2/anki21/anki21b).")
    info = archive.getinfo(name)
    if info.file_size > 4 * MAX_BYTES:
        raise AnkiError("The collection inside the package is too large.")
    raw = archive.read(name)
    if name.endswith("anki21b"):
        import zstandard

        try:
            raw = zstandard.ZstdDecompressor().decompress(raw, max_output_size=4 * MAX_BYTES)
        except zstandard.ZstdError as exc:
            raise AnkiError("The compressed collection (anki21b) could not be read.") from exc
    if not raw.startswith(b"SQLite format 3\x00"):
        raise AnkiError("The collection inside the package is not an SQLite database.")
    return raw


def read_package(data: bytes):
    """The package's cards (id, fields, suspended) and revlog rows, read from its SQLite."""
    raw = _collection_bytes(data)
    fd, path = tempfile.mkstemp(suffix=".anki")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            cards = conn.execute(
                "SELECT c.id, n.flds, c.queue FROM cards c JOIN notes n ON n.id = c.nid ORDER BY c.id"
            ).fetchall()
            revlog = conn.execute(
                "SELECT id, cid, ease, time FROM revlog WHERE ease BETWEEN 1 AND 4 ORDER BY cid, id"
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise AnkiError(f"The collection could not be read: {exc}.") from exc
        finally:
            conn.close()
    finally:
        os.unlink(path)
    if not cards:
        raise AnkiError("The package has no cards.")
    if len(cards) > MAX_CARDS:
        raise AnkiError(f"The package has {len(cards):,} cards; at most {MAX_CARDS:,} at a time.")
    if len(revlog) > MAX_REVIEWS:
        raise AnkiError(f"The package has {len(revlog):,} reviews; at most {MAX_REVIEWS:,}.")
    return cards, revlog


@transaction.atomic
def package_import(*, user, data: bytes, title: str = "Anki import", now=None) -> tuple[int, int]:
    """Import a package into a new own deck: (cards, reviews) imported."""
    cards, revlog = read_package(data)
    now = now or timezone.now()
    from .services import deck_create

    deck: Deck = deck_create(user=user, title=title)
    created = []
    for position, (anki_id, fields, _queue) in enumerate(cards):
        parts = (fields or "").split("\x1f")
        front = parts[0].strip() or "(empty)"
        back = parts[1].strip() if len(parts) > 1 else ""
        card = Card(
            deck=deck,
            owner=user,
            front=front,
            back=back or "(empty)",
            tags=f" anki:{anki_id} ",
            position=position,
        )
        card.front_html, card.back_html = render_markdown(card.front), render_markdown(card.back)
        created.append(card)
    created = Card.objects.bulk_create(created)
    by_anki = {anki_id: card for (anki_id, _, _), card in zip(cards, created, strict=True)}
    suspended = {anki_id for anki_id, _, queue in cards if queue == -1}
    history: dict[int, list[tuple[int, int, int]]] = {}
    for rid, cid, ease, ms in revlog:
        if cid in by_anki:
            history.setdefault(cid, []).append((rid, ease, ms))
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    states, pending_logs = [], []
    for anki_id, card in by_anki.items():
        fcard = fsrs.Card(card_id=card.pk, state=fsrs.State.Learning, step=0, due=now)
        state = CardState(
            user=user,
            card=card,
            deck=deck,
            due=now,
            position=card.position,
            suspended=anki_id in suspended,
        )
        logs = []
        lapses = 0
        for seq, (rid, ease, ms) in enumerate(history.get(anki_id, [])):
            at = dt.datetime.fromtimestamp(rid / 1000, tz=dt.UTC)
            before = fcard
            fcard, _ = scheduler.review_card(fcard, fsrs.Rating(ease), review_datetime=at)
            prev_state = 0 if seq == 0 else int(before.state)
            if prev_state == 2 and ease == 1:
                lapses += 1
            logs.append(
                ReviewLog(
                    user=user,
                    card_id=card.pk,
                    deck=deck,
                    seq=seq,
                    rating=ease,
                    reviewed_at=at,
                    duration_ms=max(0, min(int(ms or 0), 3_600_000)),
                    prev_state=prev_state,
                    prev_step=before.step,
                    prev_stability=before.stability,
                    prev_difficulty=before.difficulty,
                    prev_due=before.due,
                    prev_last_review=before.last_review,
                    prev_interval_days=(
                        (before.due - before.last_review).total_seconds() / 86400
                        if before.last_review
                        else None
                    ),
                    state=int(fcard.state),
                    stability=fcard.stability,
                    difficulty=fcard.difficulty,
                    due=fcard.due,
                )
            )
        if logs:
            state.state, state.step = int(fcard.state), fcard.step
            state.stability, state.difficulty = fcard.stability, fcard.difficulty
            state.due, state.last_review = fcard.due, fcard.last_review
            state.reps, state.lapses = len(logs), lapses
        states.append(state)
        pending_logs.append(logs)
    states = CardState.objects.bulk_create(states)
    all_logs = []
    for state, logs in zip(states, pending_logs, strict=True):
        for log in logs:
            log.card_state = state
            all_logs.append(log)
    ReviewLog.objects.bulk_create(all_logs, batch_size=5000)
    return len(created), len(all_logs)
