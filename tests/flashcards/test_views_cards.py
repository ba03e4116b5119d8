"""Own cards: add, edit, delete, suspend, browse and search; Markdown is sanitised."""

from __future__ import annotations

import pytest

from prep.flashcards.models import Card, CardState, Deck
from tests.flashcards.factories import own_card, own_deck, tradeoffs

pytestmark = pytest.mark.django_db


def test_add_a_card_with_markdown_and_tags(alice, alice_client):
    alice_client.get("/flashcards/cards/new/")  # creates the default deck
    deck = Deck.objects.get(owner=alice)
    response = alice_client.post(
        "/flashcards/cards/new/",
        {"deck": deck.pk, "front": "When **LSTM**?", "back": "Little data", "tags": "seq seq rnn"},
    )
    card = Card.objects.get(owner=alice)
    assert response.status_code == 302 and response["Location"] == f"/flashcards/cards/{card.pk}/"
    assert card.front_html == "<p>When <strong>LSTM</strong>?</p>"
    assert card.tag_list == ["seq", "rnn"]
    assert CardState.objects.get(card=card, user=alice).state == CardState.State.NEW


def test_hostile_markdown_is_sanitised(alice):
    card = own_card(
        alice,
        front='<script>alert(1)</script><img src=x onerror="alert(2)">[x](javascript:alert(3))',
        back='<a href="https://example.com" onclick="x()">ok</a><iframe src="//evil"></iframe>',
    )
    for html in (card.front_html, card.back_html):
        assert "<script" not in html and "onerror" not in html and "onclick" not in html
        assert "javascript:" not in html and "<iframe" not in html
    assert 'href="https://example.com"' in card.back_html


def test_an_empty_card_is_refused_with_messages(alice, alice_client):
    alice_client.get("/flashcards/cards/new/")
    deck = Deck.objects.get(owner=alice)
    response = alice_client.post("/flashcards/cards/new/", {"deck": deck.pk, "front": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Card.objects.filter(owner=alice).exists()


def test_adding_to_another_users_deck_is_refused(alice, charlie, client):
    deck = own_deck(alice, "Alice only")
    client.force_login(charlie)
    response = client.post("/flashcards/cards/new/", {"deck": deck.pk, "front": "q", "back": "a"})
    assert response.status_code == 200  # re-rendered with an error on the deck field
    assert "Select a valid choice" in response.content.decode()
    assert not Card.objects.filter(deck=deck).exists()


def test_edit_own_card(alice, alice_client):
    card = own_card(alice, front="old")
    response = alice_client.post(
        f"/flashcards/cards/{card.pk}/edit/",
        {"deck": card.deck_id, "front": "new *front*", "back": "b", "tags": "x"},
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.front_html == "<p>new <em>front</em></p>" and card.tags == " x "


def test_catalogue_cards_cannot_be_edited_or_deleted(alice_client):
    card = Card.objects.filter(deck=tradeoffs()).first()
    assert alice_client.get(f"/flashcards/cards/{card.pk}/edit/").status_code == 404
    assert alice_client.post(f"/flashcards/cards/{card.pk}/delete/").status_code == 404
    assert alice_client.get(f"/flashcards/cards/{card.pk}/").status_code == 200


@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/flashcards/cards/{pk}/"),
        ("get", "/flashcards/cards/{pk}/edit/"),
        ("post", "/flashcards/cards/{pk}/edit/"),
        ("post", "/flashcards/cards/{pk}/delete/"),
        ("post", "/flashcards/cards/{pk}/suspend/"),
    ],
)
def test_another_users_card_is_a_404(alice, charlie, client, method, path):
    card = own_card(alice)
    client.force_login(charlie)
    response = getattr(client, method)(path.format(pk=card.pk), {"suspended": "1"})
    assert response.status_code == 404
    assert Card.objects.filter(pk=card.pk).exists()
    assert not CardState.objects.get(card=card).suspended


def test_delete_own_card_retracts_its_progress(
    alice, alice_client, django_capture_on_commit_callbacks
):
    from curriculum.models import ProgressEvent
    from prep.flashcards import services

    card = own_card(alice)
    state = CardState.objects.get(card=card)
    with django_capture_on_commit_callbacks(execute=True):
        services.card_review(user=alice, state_id=state.pk, seq=0, rating=3, reviewed_at=state.due)
    assert ProgressEvent.objects.get(user=alice).retracted_at is None
    response = alice_client.post(f"/flashcards/cards/{card.pk}/delete/")
    assert response.status_code == 302
    assert not Card.objects.filter(pk=card.pk).exists()
    assert ProgressEvent.objects.get(user=alice).retracted_at is not None


def test_suspend_a_starter_card_with_htmx(alice, alice_client):
    card = Card.objects.filter(deck=tradeoffs()).first()
    response = alice_client.post(
        f"/flashcards/cards/{card.pk}/suspend/", {"suspended": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Unsuspend" in response.content.decode()
    assert CardState.objects.get(user=alice, card=card).suspended


def test_browse_searches_and_filters(alice, alice_client):
    own_card(alice, front="Quokka question", back="x", tags="marsupial")
    response = alice_client.get("/flashcards/cards/?q=quokka")
    assert "Quokka question" in response.content.decode()
    assert ">1 card<" in response.content.decode()
    by_tag = alice_client.get("/flashcards/cards/?tag=marsupial")
    assert "Quokka question" in by_tag.content.decode()
    by_topic = alice_client.get("/flashcards/cards/?deck=tradeoffs&tag=topic:evaluation")
    assert "Quokka" not in by_topic.content.decode()
    count = Card.objects.filter(topic="evaluation").count()
    assert f">{count} cards<" in by_topic.content.decode()
    partial = alice_client.get("/flashcards/cards/?q=quokka", HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith('<div id="results">')


def test_browse_never_shows_another_users_cards(alice, charlie, client):
    own_card(alice, front="Alice secret card")
    client.force_login(charlie)
    assert "Alice secret card" not in client.get("/flashcards/cards/?q=secret").content.decode()


def test_settings_validate_the_retention_range(alice, alice_client):
    bad = alice_client.post(
        "/flashcards/settings/", {"new_per_day": "10", "desired_retention": "0.99"}
    )
    assert bad.status_code == 400
    assert "less than or equal to 0.97" in bad.content.decode()
    good = alice_client.post(
        "/flashcards/settings/", {"new_per_day": "5", "desired_retention": "0.85"}
    )
    assert good.status_code == 302
    study = alice.flashcard_settings
    study.refresh_from_db()
    assert (study.new_per_day, study.desired_retention) == (5, 0.85)


def test_create_a_deck_and_refuse_an_empty_name(alice, alice_client):
    response = alice_client.post("/flashcards/decks/new/", {"title": "Tradeoffs"})
    assert response.status_code == 302
    deck = Deck.objects.get(owner=alice)
    assert deck.slug == "tradeoffs-2"  # never the starter deck's slug (curriculum tags)
    assert alice_client.post("/flashcards/decks/new/", {"title": ""}).status_code == 400
