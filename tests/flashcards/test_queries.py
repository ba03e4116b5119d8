"""Every flashcards page runs the same number of queries at 100 and at 10,000 cards.

The counts include everything the request runs: session, user, profile (onboarding
middleware) and savepoints.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curriculum import progress
from tests.flashcards.factories import build_collection

pytestmark = pytest.mark.django_db

SIZES = [(100, 1_000), (10_000, 20_000)]

# Every request: session, user, profile (onboarding middleware) and the verified-email check of
# base.html's context processor.
BASE = 4
# + deck, enrol check, study settings, queue counts, new introduced today, next card, last review
REVIEW_PAGE = BASE + 7
# The htmx partial renders no base.html, so no verified-email check: BASE - 1.
# + deck, settings; the rating: savepoint and release (the test's transaction; BEGIN/COMMIT,
# not logged, outside tests), the locked state, insert log, update state; then the next card:
# counts, introduced today, next. The progress report's own queries (curriculum's) come on
# top and are counted separately.
ANSWER_OWN = BASE - 1 + 2 + 5 + 3
# + deck, deck list, 4 stats queries (future due, reviews per day, retention, counts by state)
STATS_PAGE = BASE + 6
# + enrol check, decks with counts, settings
HOME_PAGE = BASE + 3
# + decks, count, page
BROWSE_PAGE = BASE + 3


def count(client, method, url, data=None, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {}, **extra)
    assert response.status_code in (200, 302), response.status_code
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("cards,logs", SIZES)
def test_review_page_and_answer(alice, alice_client, cards, logs, monkeypatch):
    deck = build_collection(alice, cards=cards, logs=logs)
    url = f"/flashcards/review/?deck={deck.slug}"
    alice_client.get(url)  # first visit creates settings and starter-deck states
    n, response = count(alice_client, "get", url)
    assert n == REVIEW_PAGE
    html = response.content.decode()
    action = re.search(r'hx-post="(/flashcards/review/\d+/answer/[^"]*)"', html).group(1)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    seam = []
    real_record = progress.record

    def counted_record(*args, **kwargs):
        before = len(connection.queries)
        try:
            return real_record(*args, **kwargs)
        finally:
            seam.append(len(connection.queries) - before)

    monkeypatch.setattr(progress, "record", counted_record)
    n, response = count(
        alice_client,
        "post",
        action.replace("&amp;", "&"),
        {"token": token, "rating": "3"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="flashcard"' in response.content.decode()
    assert len(seam) == 1  # the rating was reported once
    assert n - seam[0] == ANSWER_OWN


@pytest.mark.parametrize("cards,logs", SIZES)
def test_stats_page(alice, alice_client, cards, logs):
    deck = build_collection(alice, cards=cards, logs=logs)
    n, response = count(alice_client, "get", f"/flashcards/stats/?deck={deck.slug}")
    assert n == STATS_PAGE
    assert 'data-testid="chart-future-due"' in response.content.decode()
    n, _ = count(alice_client, "get", "/flashcards/stats/")
    assert n == STATS_PAGE - 1  # no deck to look up


@pytest.mark.parametrize("cards,logs", SIZES)
def test_home_and_browse(alice, alice_client, cards, logs):
    deck = build_collection(alice, cards=cards, logs=logs)
    alice_client.get("/flashcards/")
    n, _ = count(alice_client, "get", "/flashcards/")
    assert n == HOME_PAGE
    n, response = count(alice_client, "get", f"/flashcards/cards/?deck={deck.slug}&q=Question")
    assert n == BROWSE_PAGE
    assert f">{cards} cards<" in response.content.decode()
