"""CSV/TSV import and export in Anki's plain-text format."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prep.flashcards import exchange
from prep.flashcards.models import Card, Deck
from tests.flashcards.factories import own_card, own_deck

pytestmark = pytest.mark.django_db

ANKI_EXPORT = (
    b"#separator:tab\n#html:true\n#tags column:3\n"
    b'Why Adam over SGD?\t"<b>Adaptive</b> steps; ""AdamW"" for decay"\toptimisers week2\n'
    b"L1 or L2?\tL1 selects features\tregularisation\n"
    b'"multi\nline front"\tback\t\n'
)


def test_parse_reads_anki_headers_quotes_and_multiline_fields():
    parsed = exchange.parse(ANKI_EXPORT, filename="deck.txt")
    assert parsed.errors == []
    assert [r.front for r in parsed.rows] == [
        "Why Adam over SGD?",
        "L1 or L2?",
        "multi\nline front",
    ]
    assert parsed.rows[0].back == '<b>Adaptive</b> steps; "AdamW" for decay'
    assert parsed.rows[0].tags == "optimisers week2"
    assert [r.line for r in parsed.rows] == [4, 5, 6]


def test_parse_csv_without_headers():
    parsed = exchange.parse(b"front,back,tags\nq1,a1,t1\n", filename="x.csv")
    assert parsed.errors == [] and len(parsed.rows) == 2


def test_every_malformed_line_is_reported_and_nothing_returned():
    data = b"ok,fine\nonly one column\n,empty front\na,b,c,d\nlast,good\n"
    parsed = exchange.parse(data, filename="x.csv")
    assert parsed.rows == []
    assert parsed.errors == [
        "Line 2: expected front and back separated by a comma, found 1 column.",
        "Line 3: the front is empty.",
        "Line 4: expected at most 3 columns (front, back, tags), found 4.",
    ]


@pytest.mark.parametrize(
    "data,message",
    [
        (b'a,"never closed\nb,c\n', "never closed"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"a\x00,b\n", "NUL"),
        (b"", "no cards"),
        (b"#separator:weird\na,b\n", "unknown separator"),
        (b"x" * (exchange.MAX_BYTES + 1), "limit"),
    ],
)
def test_unreadable_files_are_reported(data, message):
    parsed = exchange.parse(data, filename="x.csv")
    assert parsed.rows == []
    assert any(message in e for e in parsed.errors), parsed.errors


def test_export_then_parse_round_trips(alice):
    deck = own_deck(alice, "Round trip")
    own_card(alice, deck=deck, front='Tab\there, comma, "quote"', back="**bold**", tags="a b")
    own_card(alice, deck=deck, front="Second", back="Line one\n\nLine two")
    text = exchange.export(Card.objects.filter(deck=deck).order_by("position"))
    assert text.startswith("#separator:tab\n#html:true\n#tags column:3\n")
    parsed = exchange.parse(text.encode(), filename="r.txt")
    assert parsed.errors == []
    first, second = Card.objects.filter(deck=deck).order_by("position")
    assert parsed.rows[0].front == first.front_html  # commas, quotes survive the quoting
    assert parsed.rows[1].back == second.back_html.strip()  # so do newlines
    assert "\n" in parsed.rows[1].back
    assert parsed.rows[0].back == "<p><strong>bold</strong></p>"
    assert parsed.rows[0].tags == "a b"


# --- Over HTTP ---------------------------------------------------------------------------------
def upload(content: bytes, name="cards.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_import_into_a_new_deck(alice, alice_client):
    response = alice_client.post(
        "/flashcards/import/", {"file": upload(ANKI_EXPORT, "anki.txt"), "new_deck": "From Anki"}
    )
    assert response.status_code == 302
    deck = Deck.objects.get(owner=alice, title="From Anki")
    cards = list(Card.objects.filter(deck=deck).order_by("position"))
    assert len(cards) == 3
    assert cards[0].front_html == "<p>Why Adam over SGD?</p>"
    assert cards[0].tag_list == ["optimisers", "week2"]
    assert all(c.states.filter(user=alice).exists() for c in cards)


def test_a_malformed_import_reports_lines_and_imports_nothing(alice, alice_client):
    before = Card.objects.count()
    response = alice_client.post(
        "/flashcards/import/", {"file": upload(b"good,one\nbad\n"), "new_deck": "Broken"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported" in html and "Line 2:" in html
    assert Card.objects.count() == before
    assert not Deck.objects.filter(owner=alice, title="Broken").exists()


def test_an_oversized_upload_is_refused(alice_client):
    big = b"a,b\n" * (exchange.MAX_BYTES // 4 + 10)
    response = alice_client.post("/flashcards/import/", {"file": upload(big), "new_deck": "Big"})
    assert response.status_code == 400
    assert "the limit is 1,000,000 bytes" in response.content.decode()
    assert not Card.objects.filter(owner__isnull=False).exists()


def test_import_needs_a_deck(alice_client):
    response = alice_client.post("/flashcards/import/", {"file": upload(b"a,b\n")})
    assert response.status_code == 400
    assert "name a new one" in response.content.decode()


def test_import_into_another_users_deck_is_refused(alice, charlie, client):
    deck = own_deck(alice, "Alice deck")
    client.force_login(charlie)
    response = client.post("/flashcards/import/", {"file": upload(b"a,b\n"), "deck": deck.pk})
    assert response.status_code == 400
    assert not Card.objects.filter(deck=deck).exists()


def test_export_the_starter_deck_as_tsv_and_csv(alice_client):
    response = alice_client.get("/flashcards/export/?deck=tradeoffs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/tab-separated-values")
    assert 'filename="tradeoffs.tsv"' in response["Content-Disposition"]
    parsed = exchange.parse(response.content, filename="tradeoffs.tsv")
    assert parsed.errors == [] and len(parsed.rows) == Card.objects.filter(owner=None).count()
    assert "What would change the answer" in parsed.rows[0].back
    csv_response = alice_client.get("/flashcards/export/?deck=tradeoffs&format=csv")
    assert csv_response.content.startswith(b"#separator:comma\n")


def test_exporting_another_users_deck_is_a_404(alice, charlie, client):
    deck = own_deck(alice, "Secret")
    client.force_login(charlie)
    assert client.get(f"/flashcards/export/?deck={deck.slug}").status_code == 404
