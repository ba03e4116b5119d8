"""Query counts do not grow with the transcript, its pages or the search hits."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client

from prep.transcripts import selectors, services
from prep.transcripts.models import SEARCH_INDEX
from tests.budget import SESSION

from .factories import booking, bulk_transcript, transcript

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    client.get("/transcripts/")  # warm the session and the profile
    return client


def _count(django_assert_num_queries, client, url, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [50, 5000])
def test_transcript_page_queries_do_not_grow(alice, size, django_assert_num_queries):
    t = bulk_transcript(alice, size)
    for seq in range(0, min(size, 150), 7):
        services.highlight_set(transcript=t, user=alice, seq=seq, note="n")
    client = _client(alice)
    # The transcript, its segments, the highlights (no booking: no shares, no feedback).
    _count(django_assert_num_queries, client, f"/transcripts/{t.pk}/", SESSION + 4)
    _count(django_assert_num_queries, client, f"/transcripts/{t.pk}/?page=9999", SESSION + 4)


@pytest.mark.parametrize("size", [50, 5000])
def test_owner_page_of_a_booking_queries_do_not_grow(alice, bob, size, django_assert_num_queries):
    b = booking(alice, bob)
    t = transcript(alice, booking_obj=b, n=size)
    services.transcript_share(transcript=t, by=alice)
    services.highlight_set(transcript=t, user=alice, seq=1, note="n")
    # ... and, with a booking, its people, the shares and the booking's feedback.
    _count(django_assert_num_queries, _client(alice), f"/transcripts/{t.pk}/", SESSION + 7)


@pytest.mark.parametrize("size", [50, 5000])
def test_shared_page_queries_do_not_grow(alice, bob, size, django_assert_num_queries):
    b = booking(alice, bob)
    t = transcript(alice, booking_obj=b, n=size)
    services.transcript_share(transcript=t, by=alice)
    _count(django_assert_num_queries, _client(bob), f"/transcripts/{t.pk}/", SESSION + 5)


@pytest.mark.parametrize("size", [3, 60])
def test_list_and_search_queries_do_not_grow(alice, size, django_assert_num_queries):
    for i in range(size):
        transcript(alice, n=4, title=f"mock {i}")
    client = _client(alice)
    _count(django_assert_num_queries, client, "/transcripts/", SESSION + 2)
    _count(django_assert_num_queries, client, "/transcripts/search/?q=latency+budget", SESSION + 3)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search index")
def test_search_reads_only_the_users_entries_of_the_search_index(alice, bob):
    """The search's owner condition is one the GIN (user_id, search) index can answer: a
    ``smallint`` parameter (psycopg's type for a small int) against the ``integer`` column
    has no btree_gin operator, and the search would then read every match in the table."""
    bulk_transcript(alice, 300)
    bulk_transcript(bob, 300)
    statements = []

    def grab(execute, sql, params, many, context):
        if "ts_rank" in sql:
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(grab):
        assert selectors.search_segments(user=alice, q="latency budget")
    ((sql, params),) = statements
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE transcripts_segment")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        # Left to itself, on a table this small, the planner reads the owner's btree index;
        # without it (the test's transaction rolls back), the GIN index must take the owner.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'transcripts_segment' "
            "AND indexdef LIKE '%%btree (user_id)'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = json.dumps(cursor.fetchone()[0])
    assert SEARCH_INDEX in plan
    assert re.search(r'"Index Cond": "\(\(user_id = \d+\) AND \(search @@', plan), plan
