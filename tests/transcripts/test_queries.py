"""Query counts do not grow with the transcript, its pages or the search hits."""

from __future__ import annotations

import pytest
from django.test import Client

from prep.transcripts import services
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
    _count(django_assert_num_queries, client, f"/transcripts/{t.pk}/", SESSION + 6)
    _count(django_assert_num_queries, client, f"/transcripts/{t.pk}/?page=9999", SESSION + 6)


@pytest.mark.parametrize("size", [50, 5000])
def test_shared_page_queries_do_not_grow(alice, bob, size, django_assert_num_queries):
    b = booking(alice, bob)
    t = transcript(alice, booking_obj=b, n=size)
    services.transcript_share(transcript=t, by=alice)
    _count(django_assert_num_queries, _client(bob), f"/transcripts/{t.pk}/", SESSION + 6)


@pytest.mark.parametrize("size", [3, 60])
def test_list_and_search_queries_do_not_grow(alice, size, django_assert_num_queries):
    for i in range(size):
        transcript(alice, n=4, title=f"mock {i}")
    client = _client(alice)
    _count(django_assert_num_queries, client, "/transcripts/", SESSION + 3)
    _count(django_assert_num_queries, client, "/transcripts/search/?q=latency+budget", SESSION + 4)
