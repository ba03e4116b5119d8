"""Concurrent delivery on PostgreSQL: copies of the same batches from 8 threads at once."""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connection
from django.test import Client

from prep.accounts.tokens import api_token_create
from prep.capture.models import CaptureSession
from prep.transcripts.models import Segment
from tests.factories import UserFactory

from .conftest import API, Api, seg

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.capture.urls"),
]

THREADS = 8


def _run_threads(target):
    barrier = threading.Barrier(THREADS)
    results, errors = [None] * THREADS, []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


@pytest.fixture
def token(settings):
    settings.PREP_CAPTURE_RATE_PER_MINUTE = 100_000
    return api_token_create(user=UserFactory(), name="threads")[1]


def test_the_same_batches_from_8_threads_leave_each_seq_once(token):
    session_id = Api(Client(), token).create().json()["id"]
    batches = []
    for b in range(10):
        seqs = range(b * 100, b * 100 + 100)
        batches.append([seg(s, f"draft {s}", final=False) for s in seqs])
        batches.append([seg(s) for s in seqs])

    def post_all(i):
        rng = random.Random(i)
        order = list(batches)
        rng.shuffle(order)
        api = Api(Client(), token)
        totals = {"new": 0, "duplicate": 0, "replaced": 0, "stale": 0}
        for batch in order:
            batch = list(batch)
            rng.shuffle(batch)
            response = api.segments(session_id, batch)
            assert response.status_code == 200, response.content
            for key in totals:
                totals[key] += response.json()[key]
        return totals

    results = _run_threads(post_all)
    assert sum(r["new"] for r in results) == 1000  # each seq inserted exactly once
    rows = list(
        Segment.objects.filter(transcript__capture_session=session_id)
        .order_by("seq")
        .values_list("seq", "text", "final")
    )
    assert rows == [(s, f"segment {s}", True) for s in range(1000)]
    summary = Api(Client(), token).get(f"{API}/{session_id}").json()
    assert summary["last_contiguous_seq"] == 999
    assert summary["counts"] == {"segments": 1000, "final": 1000, "pins": 0, "phases": 0}


def test_the_same_idempotency_key_from_8_threads_creates_one_session(token):
    def create(i):
        response = Api(Client(), token).post(
            API, {"title": "T", "kind": "coding"}, headers={"Idempotency-Key": "once"}
        )
        assert response.status_code in (200, 201), response.content
        return response.status_code, response.json()["id"]

    answers = _run_threads(create)
    # One thread creates (201); every other one is a replay of it (200, Idempotent-Replayed).
    assert sorted(status for status, _ in answers) == [200] * (len(answers) - 1) + [201]
    assert len({session_id for _, session_id in answers}) == 1
    assert CaptureSession.objects.count() == 1
