"""Anki packages (.apkg/.colpkg): cards and their revlog arrive together, or nothing does."""

import io
import sqlite3
import zipfile

import pytest
import zstandard

from prep.flashcards import anki
from prep.flashcards.models import Card, CardState, Deck, ReviewLog

pytestmark = pytest.mark.django_db

DAY_MS = 86_400_000
T0 = 1_767_261_600_000  # 2026-01-01 10:00 UTC, in Anki's epoch milliseconds


def collection(tmp_path, n_cards=3, reviews_per_card=4, suspended=()):
    """A minimal Anki collection: the notes, cards and revlog tables as Anki stores them."""
    path = tmp_path / "collection.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer,
            usn integer, tags text, flds text, sfld text, csum integer, flags integer, data text);
        CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer,
            mod integer, usn integer, type integer, queue integer, due integer, ivl integer,
            factor integer, reps integer, lapses integer, left integer, odue integer,
            odid integer, flags integer, data text);
        CREATE TABLE revlog (id integer primary key, cid integer, usn integer, ease integer,
            ivl integer, lastIvl integer, factor integer, time integer, type integer);
        """
    )
    for i in range(n_cards):
        nid, cid = 1000 + i, 5000 + i
        conn.execute(
            "INSERT INTO notes VALUES (?, 'g', 1, 0, 0, '', ?, '', 0, 0, '')",
            (nid, f"Question {i}\x1fAnswer {i}"),
        )
        queue = -1 if i in suspended else 2
        conn.execute(
            "INSERT INTO cards VALUES (?, ?, 1, 0, 0, 0, 2, ?, 0, 1, 2500, 0, 0, 0, 0, 0, 0, '')",
            (cid, nid, queue),
        )
        for r in range(reviews_per_card):
            ease = 1 if (i + r) % 5 == 0 else 3
            conn.execute(
                "INSERT INTO revlog VALUES (?, ?, 0, ?, 1, 0, 2500, 6000, 1)",
                (T0 + i * 1000 + r * 3 * DAY_MS, cid, ease),
            )
        # A manual reschedule (ease 0) is not a review.
        conn.execute(
            "INSERT INTO revlog VALUES (?, ?, 0, 0, 1, 0, 2500, 0, 4)", (T0 + 90 * DAY_MS + i, cid)
        )
    conn.commit()
    conn.close()
    return path.read_bytes()


def package(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def test_a_legacy_package_brings_cards_and_their_reviews(alice, tmp_path):
    data = package({"collection.anki2": collection(tmp_path, suspended=(1,)), "media": b"{}"})
    assert anki.package_import(user=alice, data=data) == (3, 12)
    card = Card.objects.get(owner=alice, tags__contains=" anki:5000 ")
    assert card.front == "Question 0" and card.back == "Answer 0"
    state = CardState.objects.get(user=alice, card=card)
    assert state.reps == 4 and state.state == CardState.State.REVIEW
    assert state.stability > 0 and state.last_review is not None
    assert list(
        ReviewLog.objects.filter(card=card).order_by("seq").values_list("seq", flat=True)
    ) == [0, 1, 2, 3]
    assert CardState.objects.get(user=alice, card__tags__contains=" anki:5001 ").suspended


def test_the_newest_collection_wins_and_zstd_is_read(alice, tmp_path):
    (tmp_path / "a").mkdir()
    stub = collection(tmp_path / "a", n_cards=1)
    (tmp_path / "b").mkdir()
    real = collection(tmp_path / "b", n_cards=5, reviews_per_card=2)
    data = package(
        {
            "collection.anki2": stub,  # the "please update Anki" stub newer exports carry
            "collection.anki21b": zstandard.ZstdCompressor().compress(real),
        }
    )
    assert anki.package_import(user=alice, data=data) == (5, 10)


@pytest.mark.parametrize(
    "data,message",
    [
        (b"not a zip", "not an Anki package"),
        (package({"media": b"{}"}), "holds no Anki collection"),
        (package({"collection.anki2": b"garbage" * 10}), "not an SQLite database"),
        (package({"collection.anki21b": b"garbage"}), "could not be read"),
    ],
)
def test_a_bad_file_is_a_clear_error_and_imports_nothing(alice, data, message):
    with pytest.raises(anki.AnkiError, match=message):
        anki.package_import(user=alice, data=data)
    assert not Deck.objects.filter(owner=alice).exists()
    assert not Card.objects.filter(owner=alice).exists()


def test_a_collection_without_anki_tables_imports_nothing(alice, tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(anki.AnkiError, match="could not be read"):
        anki.package_import(user=alice, data=package({"collection.anki2": path.read_bytes()}))
    assert not Card.objects.filter(owner=alice).exists()


def test_an_oversized_upload_is_refused(alice, monkeypatch):
    monkeypatch.setattr(anki, "MAX_BYTES", 100)
    with pytest.raises(anki.AnkiError, match="larger than"):
        anki.package_import(user=alice, data=b"x" * 101)


def test_the_upload_page_imports_a_package_or_says_why_not(alice_client, alice, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = package({"collection.anki2": collection(tmp_path)})
    response = alice_client.post(
        "/flashcards/import/anki/",
        {"package": SimpleUploadedFile("deck.apkg", good), "title": "From Anki"},
    )
    assert response.status_code == 302
    assert ReviewLog.objects.filter(user=alice).count() == 12
    response = alice_client.post(
        "/flashcards/import/anki/",
        {"package": SimpleUploadedFile("deck.apkg", b"not a zip"), "title": "Again"},
    )
    assert response.status_code == 400
    assert "not an Anki package" in response.content.decode()
    response = alice_client.post(
        "/flashcards/import/anki/",
        {"package": SimpleUploadedFile("deck.txt", good), "title": "Again"},
    )
    assert response.status_code == 400
    assert "Choose an .apkg or .colpkg" in response.content.decode()
    assert Deck.objects.filter(owner=alice).count() == 1
