"""Every drills page runs exactly the same number of queries with 10 and 1,000 attempts.

The counts include the site's own per-request queries (session, user, profile, the
email-verified banner); the rest are the page's fixed reads (see prep/drills/selectors.py).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from prep.drills import services
from prep.drills.models import Attempt
from tests.budget import SESSION
from tests.drills.factories import bulk_attempts

pytestmark = pytest.mark.django_db

PAGES = [
    # user, patterns + lists (filter choices), problems, the shown rows' pattern and list
    # links and attempt counts (one union)
    ("drills:problem_list", {}, SESSION + 5),
    (
        "drills:problem_list",
        {"pattern": "hashing", "difficulty": "easy", "status": "attempted"},
        SESSION + 5,
    ),
    # user, patterns, the bank (with its list counts: the suggestion's candidates), attempts
    # per problem, solved minutes, modules, module progress
    ("drills:coverage", {}, SESSION + 7),
    ("drills:resolve_list", {}, SESSION + 2),
    ("drills:attempt_list", {}, SESSION + 3),
]


def _prepare(user, n):
    Attempt.objects.filter(user=user).delete()
    for attempt in bulk_attempts(user, n)[:10]:  # schedules for some of them
        services.review_rebuild(user=user, problem=attempt.problem)
    assert Attempt.objects.filter(user=user).count() == n


@pytest.mark.parametrize(("name", "params", "expected"), PAGES)
@pytest.mark.parametrize("size", [10, 1000])
def test_query_count_is_fixed(
    alice, alice_client, django_assert_num_queries, name, params, expected, size
):
    _prepare(alice, size)
    with django_assert_num_queries(expected):
        response = alice_client.get(reverse(name), params)
    assert response.status_code == 200
    if name == "drills:attempt_list":
        assert f"{size} attempt" in response.content.decode()


@pytest.mark.parametrize("size", [10, 1000])
def test_attempt_post_query_count_is_fixed(alice, alice_client, django_assert_num_queries, size):
    """Logging an attempt: the user, the problem with its timer flag, its patterns; then in
    one transaction the timer lock, the insert, the problem's attempts (read once for the
    reports and the replay), the reports in one ``progress.record_many``, the re-solve
    parameters and one review-state upsert; the message reuses that state (32 before)."""
    _prepare(alice, size)
    problem = Attempt.objects.filter(user=alice).order_by("problem__position").first().problem
    with django_assert_num_queries(SESSION + 15):
        response = alice_client.post(
            reverse("drills:attempt_create", args=[problem.pk]),
            {"minutes": 20, "outcome": "failed", "confidence": 3, "language": "python"},
        )
    assert response.status_code == 302
    assert Attempt.objects.filter(user=alice, problem=problem).count() > 1
