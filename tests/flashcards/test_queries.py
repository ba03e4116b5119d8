"""Every flashcards page runs the same number of queries at 100 and at 10,000 cards.

The counts include everything the request runs: session, user with its profile (onboarding
middleware) and savepoints. Inside a test, a request's transaction is a SAVEPOINT and its
RELEASE; outside one it is BEGIN (BEGIN IMMEDIATE on SQLite) and COMMIT, which Django logs as
queries too: the same count, so these numbers are the bench's.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.budget import SESSION
from tooling.bench.flashcards_collection import build_collection

pytestmark = pytest.mark.django_db

SIZES = [(100, 1_000), (10_000, 20_000)]

# Every request: session (tests/budget.py), user with profile and whether the email is
# verified (one query: prep.accounts.backends; base.html's banner asks).
BASE = SESSION + 1
# + settings and deck (one query), enrol check, the queue (counts, next card and whether
# there is a rating to undo)
REVIEW_PAGE = BASE + 3
# The answer-and-next-card request, every query counted (the budget is 10), with a
# broker: session, user with profile (the htmx partial renders no base.html, so no email check);
# settings, deck and the card's state (one query, the state read without a lock); the
# rating's conditional write — on PostgreSQL one statement (the state's update where the row
# still holds what was read, and the log's insert fed by it), elsewhere BEGIN, that update,
# the insert, COMMIT (SAVEPOINT and RELEASE inside a test); then the queue (counts and next
# card) in one statement.
WRITE = 1 if connection.vendor == "postgresql" else 4
ANSWER = SESSION + 1 + 1 + WRITE + 1
# Without a broker (CELERY_TASK_ALWAYS_EAGER, the default without REDIS_URL), the report to the
# curriculum runs in-process after the commit: its transaction (BEGIN, the locked log, COMMIT)
# around progress.record (savepoint, look up the event, savepoint, insert it, release, the
# modules its tags could complete, release) — the curriculum's own queries; then the
# dashboard's refresh that the curriculum's ``progress_changed`` asks for (prep.dashboard
# .services): the user with profile, the plan, the readiness evidence (drills 1, flashcards 1,
# mocks 1, ML coding 1; this user has no plan to complete) and the day's snapshot upsert. The day's first
# refresh also reserves the review load; the count is pinned for the answers after it.
# (Issue 20: drills' and flashcards' evidence went from two queries each to one.)
ANSWER_EAGER = ANSWER + 3 + 7 + 7
# + deck, deck list, 7 stats queries (the user's FSRS parameters; the forecast: settings and
# the scheduled cards; reviews per day; retention; predicted retention; counts by state)
STATS_PAGE = BASE + 9
# + enrol check, decks with counts, settings
HOME_PAGE = BASE + 3
# + decks, count, page, the user's FSRS parameters (retrievability)
BROWSE_PAGE = BASE + 4


def count(client, method, url, data=None, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {}, **extra)
    assert response.status_code in (200, 302), response.status_code
    return len(ctx.captured_queries), response


def showing(response):
    html = response.content.decode()
    action = re.search(r'hx-post="(/flashcards/review/\d+/answer/[^"]*)"', html).group(1)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    return action.replace("&amp;", "&"), {"token": token, "rating": "3"}


@pytest.mark.parametrize("cards,logs", SIZES)
def test_review_page_and_answer(
    alice, alice_client, cards, logs, django_capture_on_commit_callbacks
):
    deck = build_collection(alice, cards=cards, logs=logs)
    url = f"/flashcards/review/?deck={deck.slug}"
    alice_client.get(url)  # first visit creates settings and starter-deck states
    n, response = count(alice_client, "get", url)
    assert n == REVIEW_PAGE

    # With a broker: the report is enqueued after the commit, and runs no query here.
    action, data = showing(response)
    with django_capture_on_commit_callbacks() as reports:
        n, response = count(alice_client, "post", action, data, HTTP_HX_REQUEST="true")
    assert 'data-testid="flashcard"' in response.content.decode()
    assert len(reports_to_curriculum(reports)) == 1  # the rating is reported once
    assert n == ANSWER

    # Without one: the report runs in-process once the rating's transaction commits.
    action, data = showing(response)
    with django_capture_on_commit_callbacks(execute=True):  # the day's first: review load
        response = alice_client.post(action, data, HTTP_HX_REQUEST="true")
    action, data = showing(response)
    with CaptureQueriesContext(connection) as ctx:
        with django_capture_on_commit_callbacks(execute=True) as reports:
            response = alice_client.post(action, data, HTTP_HX_REQUEST="true")
    assert 'data-testid="flashcard"' in response.content.decode()
    assert len(reports_to_curriculum(reports)) == 1
    assert len(ctx.captured_queries) == ANSWER_EAGER


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


def reports_to_curriculum(callbacks) -> list:
    """The on-commit callbacks that report a rating (the curriculum then announces its own
    ``progress_changed``, which the dashboard listens to)."""
    return [c for c in callbacks if "review_report" in repr(c)]
