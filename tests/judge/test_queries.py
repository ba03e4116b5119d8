"""The ML coding pages run the same number of queries with little and much history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prep.judge.models import MLAttempt, MLProblem, MLReviewState, Submission
from tests.budget import SESSION

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def history(user, n):
    problems = list(MLProblem.objects.all())
    Submission.objects.bulk_create(
        Submission(
            user=user,
            problem=problems[i % len(problems)],
            code="pass",
            status="done",
            verdict="wrong_answer",
            result={"passed": 0, "total": 3},
            created_at=NOON + dt.timedelta(minutes=i),
        )
        for i in range(n)
    )
    MLAttempt.objects.bulk_create(
        MLAttempt(
            user=user,
            problem=problems[i % len(problems)],
            day=NOON.date() + dt.timedelta(days=i // len(problems)),
            outcome="failed",
            submissions=1,
            first_at=NOON,
            last_at=NOON,
        )
        for i in range(n)
    )
    MLReviewState.objects.bulk_create(
        MLReviewState(user=user, problem=p, due=NOON, last_outcome="failed")
        for p in problems[: min(n, len(problems))]
    )


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # user+profile, banner, problems (annotated), re-solves
        ("/ml-coding/", SESSION + 3),
        # user+profile, banner, problem, submissions, review, attempts, hints
        ("/ml-coding/problems/softmax-stable/", SESSION + 6),
    ],
)
def test_pages_run_fixed_queries_at_10_and_300_rows(client, alice, bob, url, expected):
    client.force_login(alice)
    history(alice, 10)
    small = count(client, url)
    client.force_login(bob)
    history(bob, 300)
    large = count(client, url)
    assert small == large == expected
