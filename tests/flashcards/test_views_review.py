"""The review page over HTTP: showing, rating with htmx, undo, duplicates, isolation."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from curriculum.models import ProgressEvent
from prep.flashcards.models import CardState, ReviewLog
from tests.flashcards.factories import own_card

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def showing(response):
    """(answer URL, token, intervals by rating) of the card on a rendered review page."""
    html = response.content.decode()
    action = re.search(r'hx-post="(/flashcards/review/\d+/answer/[^"]*)"', html).group(1)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    intervals = {int(r): v for r, v in re.findall(r'data-testid="interval-(\d)">([^<]+)<', html)}
    return action.replace("&amp;", "&"), token, intervals


def test_review_page_shows_the_first_new_card_with_four_rating_buttons(alice_client):
    response = alice_client.get("/flashcards/review/?deck=tradeoffs")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="flashcard"' in html
    assert "flashcards.js" in html and "<script>" not in html
    _, _, intervals = showing(response)
    assert set(intervals) == {1, 2, 3, 4}


def test_rating_with_htmx_returns_the_next_card_and_the_interval_shown_is_given(
    alice, alice_client
):
    first = alice_client.get("/flashcards/review/?deck=tradeoffs")
    action, token, intervals = showing(first)
    state_id = int(re.search(r"/review/(\d+)/", action).group(1))
    response = alice_client.post(action, {"token": token, "rating": "3"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="review-session"')  # the partial, not the page
    assert "<html" not in html
    next_action, _, _ = showing(response)
    assert next_action != action
    log = ReviewLog.objects.get(user=alice)
    state = CardState.objects.get(pk=state_id)
    assert log.rating == 3 and state.reps == 1
    assert intervals[3] == "10m"  # FSRS's second learning step for Good on a new card
    assert state.due - log.reviewed_at == dt.timedelta(minutes=10)


def test_the_same_rating_posted_twice_is_recorded_once(
    alice, alice_client, django_capture_on_commit_callbacks
):
    action, token, _ = showing(alice_client.get("/flashcards/review/"))
    with django_capture_on_commit_callbacks(execute=True) as reports:
        one = alice_client.post(action, {"token": token, "rating": "4"}, **HTMX)
        two = alice_client.post(action, {"token": token, "rating": "4"}, **HTMX)
    assert len(reports_to_curriculum(reports)) == 1
    assert one.status_code == two.status_code == 200
    assert "already recorded" in two.content.decode()
    assert ReviewLog.objects.filter(user=alice).count() == 1
    assert ProgressEvent.objects.filter(user=alice, kind="card_reviewed").count() == 1


def test_without_htmx_a_rating_redirects_back_to_the_review(alice, alice_client):
    action, token, _ = showing(alice_client.get("/flashcards/review/?deck=tradeoffs"))
    response = alice_client.post(action, {"token": token, "rating": "2"})
    assert response.status_code == 302
    assert response["Location"] == "/flashcards/review/?deck=tradeoffs"


def test_undo_brings_the_card_back(alice, alice_client, django_capture_on_commit_callbacks):
    action, token, _ = showing(alice_client.get("/flashcards/review/"))
    with django_capture_on_commit_callbacks(execute=True):  # each request commits
        alice_client.post(action, {"token": token, "rating": "4"}, **HTMX)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post("/flashcards/review/undo/", **HTMX)
    assert response.status_code == 200
    again_action, _, _ = showing(response)
    assert again_action == action
    assert ReviewLog.objects.filter(user=alice).count() == 0
    assert ProgressEvent.objects.get(user=alice).retracted_at is not None


@pytest.mark.parametrize(
    "data",
    [
        {"rating": "3"},
        {"token": "garbage", "rating": "3"},
        {"token": "", "rating": "9"},
    ],
)
def test_bad_rating_input_reshows_the_card_and_saves_nothing(alice, alice_client, data):
    action, token, _ = showing(alice_client.get("/flashcards/review/"))
    if data.get("token") == "":
        data = {**data, "token": token}
    response = alice_client.post(action, data, **HTMX)
    assert response.status_code == 200
    assert 'data-testid="notice"' in response.content.decode()
    assert ReviewLog.objects.filter(user=alice).count() == 0


def test_a_token_for_another_card_is_refused(alice, alice_client):
    own_card(alice)
    action, token, _ = showing(alice_client.get("/flashcards/review/"))
    other = CardState.objects.filter(user=alice).exclude(
        pk=int(re.search(r"/review/(\d+)/", action).group(1))
    )[0]
    response = alice_client.post(
        f"/flashcards/review/{other.pk}/answer/", {"token": token, "rating": "3"}, **HTMX
    )
    assert "another card" in response.content.decode()
    assert ReviewLog.objects.count() == 0


def test_another_users_card_state_is_a_404(alice, charlie, client):
    card = own_card(alice)
    state = CardState.objects.get(card=card)
    client.force_login(charlie)
    response = client.post(f"/flashcards/review/{state.pk}/answer/", {"rating": "3"})
    assert response.status_code == 404
    assert ReviewLog.objects.count() == 0


def test_an_unknown_or_foreign_deck_is_a_404(alice, charlie, client):
    from tests.flashcards.factories import own_deck

    own_deck(alice, "Alice private")
    client.force_login(charlie)
    assert client.get("/flashcards/review/?deck=alice-private").status_code == 404
    assert client.get("/flashcards/review/?deck=nope").status_code == 404
    assert client.get("/flashcards/review/?topic=<script>").status_code == 404


def test_topic_link_from_the_plan_shows_that_topic(alice_client):
    response = alice_client.get("/flashcards/review/?deck=tradeoffs&topic=evaluation")
    assert response.status_code == 200
    assert "ML trade-offs · evaluation" in response.content.decode()


def test_summary_at_the_end(alice, alice_client):
    from prep.flashcards import services

    services.study_settings_update(user=alice, new_per_day=1, desired_retention=0.9)
    action, token, _ = showing(alice_client.get("/flashcards/review/"))
    response = alice_client.post(action, {"token": token, "rating": "4"}, **HTMX)
    html = response.content.decode()
    assert 'data-testid="summary"' in html
    assert re.search(r'data-testid="summary-reviews">1<', html)


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/flashcards/review/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def reports_to_curriculum(callbacks) -> list:
    """The on-commit callbacks that report a rating (the curriculum then announces its own
    ``progress_changed``, which the dashboard listens to)."""
    return [c for c in callbacks if "review_report" in repr(c)]


def test_when_the_new_card_limit_is_what_leaves_nothing_the_page_says_so(alice, alice_client):
    from prep.flashcards import services

    deck = own_card(alice).deck
    own_card(alice, deck=deck, front="Second?")
    url = f"/flashcards/review/?deck={deck.slug}"
    services.study_settings_update(user=alice, new_per_day=0, desired_retention=0.9)
    html = alice_client.get(url).content.decode()
    assert 'data-testid="summary"' in html
    assert "new-card limit (0) is reached" in html  # two new cards, none allowed today
    CardState.objects.filter(user=alice, card__deck=deck).update(suspended=True)
    html = alice_client.get(url).content.decode()
    assert "Nothing due" in html and "new-card limit" not in html  # none left at all
